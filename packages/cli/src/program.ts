import { Command, CommanderError } from 'commander';
import { AeError, registry, UnknownFamilyError } from '@aekit/core';
// Registers the `native` backend (native kernels on every core); `auto` picks it for the families the bench measured it faster on.
import '@aekit/kernels-native';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { addPluginCommand } from './commands/plugin-command.js';
import { detectCommand, detectOptions } from './commands/detect.js';
import { evalCommand, evalOptions } from './commands/eval.js';
import { listCommand } from './commands/list.js';
import { newPluginCommand, newPluginOptions } from './commands/new-plugin.js';
import { scoreCommand, scoreOptions } from './commands/score.js';
import { trainCommand } from './commands/train.js';
import { addDeclaredOptions, givenOptions } from './options/command-flags.js';
import { trainOptions } from './train/train-options.js';
import { explainUnknownFamily, missingCommand } from './known-families.js';
import { loadPlugins } from './plugins.js';
import { addBuiltInDatasets } from './datasets.js';
import { registerReaderModules } from './reader-modules.js';

/** Where the program writes: lines for the user, and errors. */
export interface Output {
  /**
   * Writes a line for the user.
   *
   * @param line - Text to write, without a newline.
   */
  log(line: string): void;
  /**
   * Writes an error line.
   *
   * @param line - Text to write, without a newline.
   */
  error(line: string): void;
}

/** Options of {@link runCli} for programs that embed `ae`. */
export interface RunCliOptions {
  /**
   * The project whose dependencies are searched for plugins, instead of the
   * one `ae` is installed in (tests use the cli package's own).
   */
  pluginProject?: string;
}

/** Exit code of a run stopped by Ctrl-C or SIGTERM, as shells report a SIGINT. */
const INTERRUPTED = 130;

const console_: Output = {
  log: (line) => process.stdout.write(line + '\n'),
  error: (line) => process.stderr.write(line + '\n'),
};

/**
 * Runs the `ae` command line and returns the exit code: 0 on success, 1 for
 * an error the user can fix (printed as one line, never a stack trace), 2
 * for a usage error. Set `AE_DEBUG=1` to see stack traces of unexpected errors.
 *
 * @example
 * ```ts
 * import { runCli } from '@aekit/cli';
 *
 * const code = await runCli(['train', 'dense', '--epochs', '2', '--out', 'runs/dense']);
 * process.exitCode = code; // 0 on success, 1 for an error the user can fix, 2 for a usage error
 * ```
 * @param argv - Arguments after the program name, e.g. `['train', 'dense']`.
 * @param output - Where to print; the terminal by default.
 * @param options - Where plugins are discovered; by default the project `ae` is installed in.
 */
export async function runCli(argv: readonly string[], output: Output = console_, options: RunCliOptions = {}): Promise<number> {
  try {
    // Every command that runs tfjs gets aekit's wasm kernels (and its worker threads with it).
    registerWasmKernels();
    registerReaderModules();
    await loadPlugins({
      project: options.pluginProject,
      cwdProject: globalFlags(argv).includes(PROJECT_PLUGINS) ? process.cwd() : undefined,
      explicit: [...pluginSpecs(argv), ...envPlugins()],
    });
    addBuiltInDatasets();
    const status = { exitCode: 0 };
    const program = buildProgram(output, status);
    const command = commandName(argv);
    if (command && !program.commands.some((c) => c.name() === command)) {
      const missing = missingCommand(command);
      if (missing) throw missing;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return status.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof AeError) {
      const explained = error instanceof UnknownFamilyError ? explainUnknownFamily(error) : error;
      output.error(`ae: ${explained.message}`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.error(`ae: unexpected error: ${message}`);
    if (process.env.AE_DEBUG) output.error((error as Error).stack ?? '');
    else output.error('ae: run again with AE_DEBUG=1 to see where it happened');
    return 1;
  }
}

/**
 * The `ae` program with its built-in commands and those of registered
 * plugins; `runCli` parses with it. Every command's options come from
 * its declaration (`commandOptions` in core).
 *
 * @example
 * ```ts
 * import { buildProgram } from '@aekit/cli';
 *
 * const program = buildProgram(console);
 * console.log(program.commands.map((command) => command.name())); // ['list', 'train', 'detect', 'eval', 'new-plugin', 'score'] and the plugins' commands
 * ```
 * @param output - Where commands print.
 * @param status - Receives the exit code a command sets.
 * @param status.exitCode - The exit code; a command sets it, e.g. to 130 when `ae train` is interrupted.
 */
export function buildProgram(output: Output, status: { exitCode: number } = { exitCode: 0 }): Command {
  const program = new Command('ae')
    .description('Train, evaluate and inspect autoencoders (aekit).')
    .option('--plugin <package-or-path>', 'load a plugin besides those installed with ae (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option(PROJECT_PLUGINS, "also load the aekit plugins among the dependencies of the package.json above the working directory (runs that project's code)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.log(s.trimEnd()), writeErr: (s) => output.error(s.trimEnd()) })
    .showHelpAfterError('(run ae --help for usage)');

  program
    .command('list')
    .description('list the families and commands that installed plugins registered')
    .action(() => listCommand(output.log));

  addDeclaredOptions(
    program
      .command('train')
      .description('train a family on MNIST or your own data (--data) and write a run directory')
      .argument('[family]', 'family name (see ae list); not needed with --resume'),
    trainOptions,
  ).action(async (family: string | undefined, _options, command: Command) => {
    const outcome = await trainCommand(family, givenOptions(command), output.log);
    outcome.autoencoder.dispose();
    if (outcome.interrupted) status.exitCode = INTERRUPTED;
  });

  addDeclaredOptions(
    program
      .command('detect')
      .description('find anomalies in a time series: ae train lstm on it, then ae score on its test part, in one command (a generated series without --data)'),
    detectOptions,
  ).action(async (_options, command: Command) => {
    const outcome = await detectCommand(givenOptions(command), output.log);
    if (outcome.interrupted) status.exitCode = INTERRUPTED;
  });

  addDeclaredOptions(
    program.command('eval').description("compute a trained run's loss on the test set").argument('<run-dir>', 'a run directory written by ae train'),
    evalOptions,
  ).action(async (runDir: string, _options, command: Command) => {
    await evalCommand(runDir, evalOptions.parse(givenOptions(command)), output.log);
  });

  addDeclaredOptions(
    program
      .command('new-plugin')
      .description('write a new plugin package (one family, a build, a test that trains it) into a new directory')
      .argument('<name>', 'npm package name, e.g. aekit-plugin-tied or @me/aekit-tied'),
    newPluginOptions,
  ).action(async (name: string, _options, command: Command) => {
    await newPluginCommand(name, newPluginOptions.parse(givenOptions(command)), output.log);
  });

  addDeclaredOptions(
    program
      .command('score')
      .description('score every item of some data by reconstruction error; with labels, ROC AUC, PR AUC and the best F1')
      .argument('<run-dir>', 'a run directory written by ae train')
      .argument('[data]', 'items to score, every one: a table file, a folder of images (sub-folders are labels), image files, or idx files (default: the test split of the data the run used)'),
    scoreOptions,
  ).action(async (runDir: string, data: string | undefined, _options, command: Command) => {
    await scoreCommand(runDir, data, scoreOptions.parse(givenOptions(command)), output.log);
  });

  for (const command of registry.commands()) addPluginCommand(program, command, output.log);
  return program;
}

/** The flag that extends plugin discovery to the project of the working directory. */
const PROJECT_PLUGINS = '--project-plugins';

/** The subcommand in `argv`: its first argument that is neither an option nor the value of `--plugin`. */
function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--plugin') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

/** The options before the subcommand: the program's own (`--project-plugins`), read before the program is built. */
function globalFlags(argv: readonly string[]): string[] {
  const command = commandName(argv);
  const end = command === undefined ? argv.length : argv.indexOf(command);
  return argv.slice(0, end);
}

/** `--plugin` values, read before the program is built so that plugin commands can be added. */
function pluginSpecs(argv: readonly string[]): string[] {
  const specs: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--plugin' && argv[i + 1]) specs.push(argv[i + 1]);
    else if (arg.startsWith('--plugin=')) specs.push(arg.slice('--plugin='.length));
  });
  return specs;
}

function envPlugins(): string[] {
  return (process.env.AE_PLUGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
