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

/** A subcommand that a plugin adds to the `ae` command-line tool. */
export interface PluginCommand {
  /** Subcommand name, e.g. `detect`. */
  readonly name: string;
  /** One line for `ae --help`. */
  readonly description: string;
  /** Positional arguments, in order. */
  readonly arguments?: readonly { name: string; description: string; required?: boolean }[];
  /** Options in commander's syntax, e.g. `{ flags: '--epochs <n>', description: '…', default: '10' }`. */
  readonly options?: readonly { flags: string; description: string; default?: string }[];
  /**
   * Runs the command; throw an `AeError` for a one-line user-facing failure.
   * `options` holds commander's camel-cased option values (strings, booleans or arrays).
   *
   * @param args - The command's positional arguments, in order.
   * @param options - The command's options by camel-cased name.
   * @param io - Output, backend, figure writer and progress bars of this run.
   */
  run(args: string[], options: Record<string, unknown>, io: CommandIO): Promise<void>;
}
