import type { CommandOptions, OptionShape, OptionValues } from './command-options.js';
import type { FigureWriter } from './figures.js';

/** What the `ae` tool hands a plugin command besides its arguments. */
export interface CommandIO {
  /**
   * Prints a line for the user.
   *
   * @param line - Text to print, without a newline.
   */
  log(line: string): void;
  /** The backend the tool selected (from `--backend`) before running the command. */
  backend: string;
  /**
   * A figure writer for pictures in the given directory.
   *
   * @param dir - Directory the pictures are written to.
   */
  figures(dir: string): FigureWriter;
  /**
   * Starts a progress bar of `total` steps; call `update` with the step count done.
   *
   * @param label - Text shown before the bar.
   * @param total - Number of steps of the whole task.
   */
  progress(label: string, total: number): { update(done: number, values?: Record<string, string | number>): void; stop(): void };
}

/**
 * A subcommand that a plugin adds to the `ae` command-line tool. Its
 * options are declared once with `commandOptions` (flags, help, defaults
 * and checks derive from it); `ae` checks what the user gave and hands
 * `run` the typed values. Write one with {@link pluginCommand} so that
 * `run`'s options are typed by the declaration.
 */
export interface PluginCommand<S extends OptionShape = OptionShape> {
  /** Subcommand name, e.g. `detect`. */
  readonly name: string;
  /** One line for `ae --help`. */
  readonly description: string;
  /** Positional arguments, in order. */
  readonly arguments?: readonly { name: string; description: string; required?: boolean }[];
  /** The command's options, declared with `commandOptions`; `ae` adds `--backend` unless declared here. */
  readonly options?: CommandOptions<S>;
  /**
   * Runs the command; throw an `AeError` for a one-line user-facing failure.
   *
   * @param args - The command's positional arguments, in order.
   * @param options - The options, checked by the declaration, defaults filled in.
   * @param io - Output, backend, figure writer and progress bars of this run.
   */
  run(args: string[], options: OptionValues<S>, io: CommandIO): Promise<void>;
}

/**
 * Types a {@link PluginCommand} by its option declaration (an identity
 * function: `run` gets `options` typed as the declaration's values).
 *
 * @example
 * ```ts
 * import { commandOptions, option, pluginCommand, z } from '@aekit/core';
 *
 * export const helloCommand = pluginCommand({
 *   name: 'hello',
 *   description: 'say hello',
 *   options: commandOptions({ times: option(z.number().int().positive(), { value: 'n', help: 'how often', default: 1 }) }),
 *   async run(_args, { times }, io) { for (let i = 0; i < times; i++) io.log('hello'); },
 * });
 * ```
 * @param command - The command.
 */
export function pluginCommand<S extends OptionShape>(command: PluginCommand<S>): PluginCommand<S> {
  return command;
}

/**
 * Runs a plugin command as `ae` does: checks `options` (a command line's
 * text or typed values) with the command's declaration, then runs it.
 *
 * @example
 * ```ts
 * import { commandOptions, option, pluginCommand, runPluginCommand, z, type CommandIO } from '@aekit/core';
 *
 * const hello = pluginCommand({
 *   name: 'hello',
 *   description: 'say hello',
 *   options: commandOptions({ times: option(z.number().int().positive(), { value: 'n', help: 'how often', default: 1 }) }),
 *   async run(_args, { times }, io) { for (let i = 0; i < times; i++) io.log('hello'); },
 * });
 * declare const io: CommandIO; // what `ae` hands a command (a test passes its own)
 * await runPluginCommand(hello, [], { times: '3' }, io); // logs 'hello' three times
 * await runPluginCommand(hello, [], { times: '0' }, io); // throws ConfigError '--times: Too small: expected number to be >0, got "0"'
 * ```
 * @param command - The command.
 * @param args - Its positional arguments.
 * @param options - Option values by camel-cased key; strings are read as command-line text.
 * @param io - Output, backend, figures and progress.
 * @throws ConfigError naming the flag of a bad option.
 */
export async function runPluginCommand<S extends OptionShape>(command: PluginCommand<S>, args: string[], options: Readonly<Record<string, unknown>>, io: CommandIO): Promise<void> {
  const values = command.options ? command.options.parse(options) : ({} as OptionValues<S>);
  await command.run(args, values, io);
}
