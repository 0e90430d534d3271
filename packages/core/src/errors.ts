/** Marks AeErrors across copies of this package. */
const AE_ERROR = Symbol.for('aekit.AeError');

/**
 * Errors that aekit raises for things a user can fix: a bad config value,
 * a broken data file, a backend that is not there. Each carries a message
 * meant to be printed as one line, so command-line tools can show it without
 * a stack trace.
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

/** A configuration or option value is invalid; the message names the field. */
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

/** A file is missing, truncated or malformed; the message names the file. */
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

/** A backend was asked for that is unknown or cannot start here. */
export class BackendError extends AeError {
  /**
   * @param message - Which backend failed and why.
   */
  constructor(message: string) {
    super('backend', message);
    this.name = 'BackendError';
  }
}

/** A family name was asked for that no installed plugin registered. */
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

/** Training produced a loss that is NaN or infinite. */
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
