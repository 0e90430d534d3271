import { z } from '@aekit/core';

/** Commander's option values: strings, booleans or arrays of strings. */
export type CommandOptions = Readonly<Record<string, unknown>>;

/** commander leaves an option out, or an empty `--x ''`, as absent: the field's default applies. */
const absentIfBlank = (raw: unknown): unknown => (raw === null || raw === '' ? undefined : raw);

/**
 * Schema of an integer option in `[min, max]`, for `parseCommandOptions`;
 * `fallback` when absent, optional without one.
 *
 * @param range - Bounds and the default.
 */
export function intOption(range: { min: number; max?: number; fallback: number }): z.ZodType<number, unknown>;
export function intOption(range: { min: number; max?: number }): z.ZodType<number | undefined, unknown>;
export function intOption(range: { min: number; max?: number; fallback?: number }): z.ZodType<number | undefined, unknown> {
  const error = `expected an integer ${range.max === undefined ? `≥ ${range.min}` : `from ${range.min} to ${range.max}`}`;
  let value = z.coerce.number({ error }).int({ error }).min(range.min, { error });
  if (range.max !== undefined) value = value.max(range.max, { error });
  return z.preprocess(absentIfBlank, range.fallback === undefined ? value.optional() : value.default(range.fallback));
}

/**
 * Schema of a positive number option; `fallback` when absent, optional without one.
 *
 * @param fallback - The default.
 */
export function numberOption(fallback?: number): z.ZodType<number | undefined, unknown> {
  const error = 'expected a positive number';
  const value = z.coerce.number({ error }).refine((n) => Number.isFinite(n) && n > 0, { error });
  return z.preprocess(absentIfBlank, fallback === undefined ? value.optional() : value.default(fallback));
}

/**
 * Schema of an option that is one of a fixed set of values, `fallback` when absent.
 *
 * @param choices - The values accepted.
 * @param fallback - The default.
 */
export function choiceOption<T extends string>(choices: readonly T[], fallback: T): z.ZodType<T, unknown> {
  return z.preprocess(absentIfBlank, z.enum(choices as [T, ...T[]], { error: `expected one of ${choices.join(', ')}` }).default(fallback)) as z.ZodType<T, unknown>;
}

/** Schema of a string option, undefined when absent or empty. */
export function stringOption(): z.ZodType<string | undefined, unknown> {
  return z.preprocess((raw) => (typeof raw === 'string' && raw !== '' ? raw : undefined), z.string().optional());
}

/** Positional arguments flattened: commander hands a variadic argument over as one array. */
export function positionals(args: readonly unknown[]): string[] {
  return args.flat().map(String);
}
