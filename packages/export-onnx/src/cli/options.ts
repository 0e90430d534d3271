import { ConfigError } from '@aekit/core';

/** Commander's option values: strings, booleans or arrays of strings. */
export type CommandOptions = Readonly<Record<string, unknown>>;

/**
 * An integer option in `[min, max]`, its default when absent.
 *
 * @throws ConfigError naming the flag for anything else.
 */
export function intOption(options: CommandOptions, key: string, flag: string, range: { min: number; max?: number; fallback: number }): number {
  const raw = options[key];
  if (raw === undefined || raw === null || raw === '') return range.fallback;
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(value) || value < range.min || (range.max !== undefined && value > range.max)) {
    const bounds = range.max === undefined ? `≥ ${range.min}` : `from ${range.min} to ${range.max}`;
    throw new ConfigError(flag, `expected an integer ${bounds}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A positive number option, its default when absent. */
export function numberOption(options: CommandOptions, key: string, flag: string, fallback: number): number {
  const raw = options[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(flag, `expected a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** One of a fixed set of values, its default when absent. */
export function choiceOption<T extends string>(options: CommandOptions, key: string, flag: string, choices: readonly T[], fallback: T): T {
  const raw = options[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (!choices.includes(raw as T)) throw new ConfigError(flag, `expected one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

/** A string option, or undefined. */
export function stringOption(options: CommandOptions, key: string): string | undefined {
  const raw = options[key];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

/** Positional arguments flattened: commander hands a variadic argument over as one array. */
export function positionals(args: readonly unknown[]): string[] {
  return args.flat().map(String);
}
