/** Marks AeErrors across copies of this package. */
const AE_ERROR = Symbol.for('aekit.AeError');

/**
 * Errors that aekit raises for things a user can fix: a bad config value,
 * a broken data file, a backend that is not there. Each carries a message
 * meant to be printed as one line, so command-line tools can show it without
 * a stack trace.
 *
 * @example
 * ```ts
 * import { AeError } from '@aekit/core';
 *
 * declare function run(): Promise<void>;
 * try {
 *   await run();
 * } catch (error) {
 *   if (!(error instanceof AeError)) throw error;
 *   console.error(`ae: ${error.message}`); // one line, no stack trace; error.code is e.g. 'config'
 * }
 * ```
 */
export class AeError extends Error {
  /** A stable machine-readable code, e.g. `config`, `data-file`, `backend`. */
  readonly code: string;

  /**
   * `error instanceof AeError` also holds for an AeError made by another copy
   * of this package (a plugin or data reader that brought its own, or a test
   * runner that loads the package twice), so such errors still print as one line.
   *
   * @param value - The left-hand side of `instanceof`; anything.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === AeError && typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[AE_ERROR] === true;
  }

  /**
   * @param code - Stable machine-readable category of the error.
   * @param message - One-line, human-readable description.
   */
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AeError';
    this.code = code;
    Object.defineProperty(this, AE_ERROR, { value: true });
  }
}

/**
 * A configuration or option value is invalid; the message names the field.
 *
 * @example
 * ```ts
 * import { ConfigError } from '@aekit/core';
 *
 * const error = new ConfigError('epochs', 'expected a positive integer, got -3');
 * error.message; // 'epochs: expected a positive integer, got -3'
 * error.field; // 'epochs'
 * ```
 */
export class ConfigError extends AeError {
  /** Dotted path of the offending field, e.g. `layers.1` or `epochs`. */
  readonly field: string;

  /**
   * @param field - Dotted path of the offending field.
   * @param message - What was expected, e.g. `expected a positive integer, got -3`.
   */
  constructor(field: string, message: string) {
    super('config', `${field}: ${message}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}

/**
 * A file is missing, truncated or malformed; the message names the file.
 *
 * @example
 * ```ts
 * import { DataFileError } from '@aekit/core';
 *
 * const error = new DataFileError('data/sensors.csv', 'row 12 has 5 cells, the header 6');
 * error.message; // 'data/sensors.csv: row 12 has 5 cells, the header 6'
 * error.code; // 'data-file'
 * ```
 */
export class DataFileError extends AeError {
  /** Path of the offending file. */
  readonly file: string;

  /**
   * @param file - Path of the offending file.
   * @param message - What is wrong with it.
   */
  constructor(file: string, message: string) {
    super('data-file', `${file}: ${message}`);
    this.name = 'DataFileError';
    this.file = file;
  }
}

/**
 * A backend was asked for that is unknown or cannot start here.
 *
 * @example
 * ```ts
 * import { BackendError, useBackend } from '@aekit/core';
 *
 * try {
 *   await useBackend('webgl');
 * } catch (error) {
 *   if (!(error instanceof BackendError)) throw error;
 *   await useBackend('wasm'); // webgl cannot start in Node
 * }
 * ```
 */
export class BackendError extends AeError {
  /**
   * @param message - Which backend failed and why.
   */
  constructor(message: string) {
    super('backend', message);
    this.name = 'BackendError';
  }
}

/**
 * A family name was asked for that no installed plugin registered.
 *
 * @example
 * ```ts
 * import { UnknownFamilyError } from '@aekit/core';
 *
 * const error = new UnknownFamilyError('lstm', ['dense', 'sparse', 'deep', 'contractive']);
 * error.message; // "unknown family 'lstm'; registered families: dense, sparse, deep, contractive"
 * error.known; // ['dense', 'sparse', 'deep', 'contractive']
 * ```
 */
export class UnknownFamilyError extends AeError {
  /** The family that was asked for. */
  readonly family: string;
  /** The families that were registered when it was asked for. */
  readonly known: readonly string[];

  /**
   * @param name - The family that was asked for.
   * @param known - The families that are registered.
   */
  constructor(name: string, known: readonly string[]) {
    const list = known.length > 0 ? known.join(', ') : 'none (install a models-* package)';
    super('unknown-family', `unknown family '${name}'; registered families: ${list}`);
    this.name = 'UnknownFamilyError';
    this.family = name;
    this.known = [...known];
  }
}

/**
 * Training produced a loss that is NaN or infinite.
 *
 * @example
 * ```ts
 * import { NonFiniteLossError } from '@aekit/core';
 *
 * const error = new NonFiniteLossError(2, 14, NaN);
 * error.message; // 'loss became NaN at epoch 3, batch 15; weights were not updated from this batch'
 * error.epoch; // 2 (zero-based)
 * ```
 */
export class NonFiniteLossError extends AeError {
  /** Zero-based epoch in which the loss stopped being finite. */
  readonly epoch: number;
  /** Zero-based batch within that epoch. */
  readonly batch: number;

  /**
   * @param epoch - Zero-based epoch.
   * @param batch - Zero-based batch within the epoch.
   * @param value - The loss value that was seen.
   */
  constructor(epoch: number, batch: number, value: number) {
    super(
      'non-finite-loss',
      `loss became ${value} at epoch ${epoch + 1}, batch ${batch + 1}; weights were not updated from this batch`,
    );
    this.name = 'NonFiniteLossError';
    this.epoch = epoch;
    this.batch = batch;
  }
}

/**
 * An output path cannot be written without harming what is there: it is a
 * device, a FIFO, a socket, a symbolic link or a folder aekit did not write,
 * or the file system refused the write. The message names the path.
 *
 * @example
 * ```ts
 * import { OutputError } from '@aekit/core';
 *
 * const error = new OutputError('/dev/null', 'is a device, not a file; pass a file path');
 * error.message; // '/dev/null: is a device, not a file; pass a file path'
 * error.code; // 'output'
 * ```
 */
export class OutputError extends AeError {
  /** The path that was not written. */
  readonly path: string;

  /**
   * @param path - The output path.
   * @param message - What is wrong and what to do instead.
   */
  constructor(path: string, message: string) {
    super('output', `${path}: ${message}`);
    this.name = 'OutputError';
    this.path = path;
  }
}

/**
 * A write ran out of space (ENOSPC) or quota (EDQUOT); nothing partial was left behind.
 *
 * @example
 * ```ts
 * import { DiskFullError } from '@aekit/core';
 *
 * const error = new DiskFullError('runs/dense/model.weights.bin', 'ENOSPC', 48_000_000, 12_500_000);
 * error.message;
 * // 'runs/dense/model.weights.bin: no space left on the device (ENOSPC); writing it needs 48.0 MB,
 * //  12.5 MB free there; free some space or write elsewhere'
 * error instanceof DiskFullError; // true, and an OutputError too
 * ```
 */
export class DiskFullError extends OutputError {
  /** `ENOSPC` or `EDQUOT`. */
  readonly errno: 'ENOSPC' | 'EDQUOT';
  /** Bytes the write needed, when known. */
  readonly needed?: number;
  /** Bytes free on the file system after the partial write was removed, when known. */
  readonly available?: number;

  /**
   * @param path - The file that could not be written.
   * @param errno - `ENOSPC` (no space left on the device) or `EDQUOT` (disk quota exceeded).
   * @param needed - Bytes the write needed, when known.
   * @param available - Bytes free there, when known.
   */
  constructor(path: string, errno: 'ENOSPC' | 'EDQUOT', needed?: number, available?: number) {
    const what = errno === 'EDQUOT' ? 'disk quota exceeded' : 'no space left on the device';
    const need = needed === undefined ? '' : `; writing it needs ${formatBytes(needed)}`;
    const free = available === undefined ? '' : `${need ? ',' : ';'} ${formatBytes(available)} ${errno === 'EDQUOT' ? 'free on the device (the quota may be lower)' : 'free there'}`;
    super(path, `${what} (${errno})${need}${free}; free some space or write elsewhere`);
    this.name = 'DiskFullError';
    this.errno = errno;
    this.needed = needed;
    this.available = available;
  }
}

/** Bytes in kB/MB/GB (powers of 1000, as `df -H` and file managers show them). */
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toPrecision(3)} ${units[unit]}`;
}

/** Why a run was judged to diverge: its weights exploded, or its loss rose far above where it started. */
export type DivergenceSign =
  | { kind: 'weights'; rms: number; startRms: number; loss: number }
  | { kind: 'loss'; loss: number; startLoss: number; bestLoss: number };

/**
 * Training diverged while the loss stayed finite (a clipped loss hides it):
 * the weights grew by orders of magnitude, or the loss rose well above the
 * untrained model's. The message names the step, the sign and the likely
 * cause, a learning rate too high for the optimizer.
 *
 * @example
 * ```ts
 * import { DivergenceError } from '@aekit/core';
 *
 * const error = new DivergenceError(3, 41, { kind: 'weights', rms: 2.4e6, startRms: 0.05, loss: 0.21 }, 0.5);
 * error.message;
 * // 'training diverged at epoch 4, batch 42: the weights grew to an RMS of 2.4e+6 from 0.050
 * //  (loss 0.210); the learning rate (0.5) is likely too high'
 * ```
 */
export class DivergenceError extends AeError {
  /** Zero-based epoch in which divergence was seen. */
  readonly epoch: number;
  /** Zero-based batch within that epoch. */
  readonly batch: number;
  /** What was seen. */
  readonly sign: DivergenceSign;
  /** The optimizer's learning rate, when it has one. */
  readonly learningRate?: number;

  /**
   * @param epoch - Zero-based epoch.
   * @param batch - Zero-based batch within the epoch.
   * @param sign - What was seen: exploding weights or a rising loss.
   * @param learningRate - The optimizer's learning rate, when known.
   */
  constructor(epoch: number, batch: number, sign: DivergenceSign, learningRate?: number) {
    const seen =
      sign.kind === 'weights'
        ? `the weights grew to an RMS of ${sign.rms.toPrecision(2)} from ${sign.startRms.toPrecision(2)} (loss ${sign.loss.toPrecision(3)})`
        : `the loss rose to ${sign.loss.toPrecision(3)}, above the untrained model's ${sign.startLoss.toPrecision(3)} and ${(sign.loss / sign.bestLoss).toFixed(1)} times the lowest so far (${sign.bestLoss.toPrecision(3)})`;
    const rate = learningRate === undefined ? '' : ` (${learningRate})`;
    super('diverged', `training diverged at epoch ${epoch + 1}, batch ${batch + 1}: ${seen}; the learning rate${rate} is likely too high`);
    this.name = 'DivergenceError';
    this.epoch = epoch;
    this.batch = batch;
    this.sign = sign;
    this.learningRate = learningRate;
  }
}
