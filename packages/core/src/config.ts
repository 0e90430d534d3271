import { z } from 'zod';
import { ConfigError, DataFileError } from './errors.js';

/**
 * Validates `input` against a zod schema and returns the parsed value with
 * defaults filled in. On failure throws a {@link ConfigError} naming the
 * first offending field, prefixed by `scope` (for example the family name).
 *
 * @param schema - The zod schema, usually a family's config schema.
 * @param input - Untrusted input (user config, CLI flags, JSON from disk).
 * @param scope - Prefix for the field path in the error message.
 * @returns The validated value.
 * @example
 * ```ts
 * import { parseConfig, positiveInt, z } from '@aekit/core';
 *
 * const schema = z.object({ latentDim: positiveInt().default(32) });
 * parseConfig(schema, {}, 'dense'); // { latentDim: 32 }
 * parseConfig(schema, { latentDim: -3 }, 'dense'); // throws ConfigError 'dense.latentDim: Too small: expected number to be >0, got -3'
 * ```
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, scope?: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const { path, message } = firstIssue(result.error, input);
  const field = [scope, path].filter((part) => part !== undefined && part !== '').join('.') || 'config';
  throw new ConfigError(field, message);
}

/**
 * Validates what a file holds (parsed JSON) against a zod schema. On
 * failure throws a {@link DataFileError} naming the file and the first
 * offending field, so that a damaged or hand-edited file is reported in
 * one line rather than failing somewhere later.
 *
 * @param schema - What the file must hold.
 * @param input - The parsed contents; `null` and other non-objects are refused by the schema.
 * @param file - The file, for the message.
 * @returns The validated value.
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { parseFileContents, z } from '@aekit/core';
 *
 * const file = 'runs/dense/settings.json';
 * const settings = parseFileContents(z.object({ epochs: z.number().int().positive() }), JSON.parse(await readFile(file, 'utf8')), file);
 * settings.epochs; // a number, or a one-line error naming the file and `epochs`
 * ```
 */
export function parseFileContents<S extends z.ZodType>(schema: S, input: unknown, file: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const { path, message } = firstIssue(result.error, input);
  throw new DataFileError(file, path ? `${path}: ${message}` : `holds ${describeValue(input)}, not what aekit writes (${result.error.issues[0].message})`);
}

/** The first issue of a failed parse: the dotted path of its field and what is wrong. */
function firstIssue(error: z.ZodError, input: unknown): { path: string; message: string } {
  const issue = error.issues[0];
  // An unknown key is reported at its parent; name the key itself.
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
  return { path: [...issue.path.map(String), ...keys.slice(0, 1)].join('.'), message: describeIssue(issue, input) };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') return 'is not a setting here (unknown key)';
  const got = valueAt(input, issue.path);
  // JSON would print NaN and the infinities as null.
  const text = typeof got === 'number' && !Number.isFinite(got) ? String(got) : JSON.stringify(got);
  // zod's own type errors already say what they received.
  const shown = got === undefined || /\breceived\b/.test(issue.message) ? '' : `, got ${text}`;
  return `${issue.message}${shown}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Schema of a positive integer (sizes, counts, epochs).
 *
 * @example
 * ```ts
 * import { positiveInt, z } from '@aekit/core';
 *
 * const schema = z.object({ epochs: positiveInt().default(20) });
 * schema.parse({}); // { epochs: 20 }
 * positiveInt().safeParse(2.5).success; // false
 * ```
 */
export const positiveInt = () => z.number().int().positive();

/**
 * Schema of a non-negative finite number (penalty weights, rates).
 *
 * @example
 * ```ts
 * import { nonNegative, z } from '@aekit/core';
 *
 * const schema = z.object({ sparsity: nonNegative().default(1e-4) });
 * schema.parse({ sparsity: 0 }); // { sparsity: 0 }
 * nonNegative().safeParse(-0.1).success; // false
 * ```
 */
export const nonNegative = () => z.number().finite().nonnegative();

/**
 * Schema of an integer from `min` (to `max`), with one message for every
 * way a value misses: `expected an integer ≥ 1`, `expected an integer from
 * 0 to 65535`. For options and settings a user types.
 *
 * @param range - The bounds, inclusive.
 * @param range.min - The smallest integer accepted.
 * @param range.max - The largest integer accepted; none by default.
 * @example
 * ```ts
 * import { integerIn } from '@aekit/core';
 *
 * const port = integerIn({ min: 0, max: 65535 });
 * port.parse(8080); // 8080
 * port.safeParse(70000).error?.issues[0].message; // 'expected an integer from 0 to 65535'
 * ```
 */
export function integerIn(range: { min: number; max?: number }) {
  const error = `expected an integer ${range.max === undefined ? `≥ ${range.min}` : `from ${range.min} to ${range.max}`}`;
  const value = z.number({ error }).int({ error }).min(range.min, { error });
  return range.max === undefined ? value : value.max(range.max, { error });
}

/**
 * Schema of a positive finite number (learning rates, tolerances), with one message: `expected a positive number`.
 *
 * @example
 * ```ts
 * import { positiveNumber, z } from '@aekit/core';
 *
 * const schema = z.object({ learningRate: positiveNumber().default(1e-3) });
 * schema.parse({}); // { learningRate: 0.001 }
 * positiveNumber().safeParse(0).error?.issues[0].message; // 'expected a positive number'
 * ```
 */
export function positiveNumber() {
  const error = 'expected a positive number';
  return z.number({ error }).finite({ error }).positive({ error });
}
