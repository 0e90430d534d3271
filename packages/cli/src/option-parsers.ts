import { readFileSync, existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parseNoiseSpec, type NoiseSpec } from '@aekit/core';

/** Commander parser for a positive integer option. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** Commander parser for a non-negative integer option (seeds). */
export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

/** Commander parser for a positive finite number (learning rates). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

/** Commander parser for a fraction strictly between 0 and 1. */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a number from 0 (none) up to but excluding 1.');
  return n;
}

/** Commander parser for `--noise`: a noise spec, or `none`. */
export function noiseOption(value: string): NoiseSpec | 'none' {
  if (value === 'none') return 'none';
  try {
    return parseNoiseSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^noise: /, '') + '.');
  }
}

/** Commander parser for `--config`: inline JSON or a path to a JSON file. */
export function jsonObject(value: string): Record<string, unknown> {
  const fromFile = !value.trim().startsWith('{') && existsSync(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromFile ? readFileSync(value, 'utf8') : value);
  } catch {
    throw new InvalidArgumentError(fromFile ? `${value} is not valid JSON.` : 'expected a JSON object or the path of a JSON file.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Commander parser for `--channels`: 1 (grey) or 3 (colour). */
export function channelCount(value: string): 1 | 3 {
  if (value.trim() === '1') return 1;
  if (value.trim() === '3') return 3;
  throw new InvalidArgumentError('expected 1 (grey) or 3 (colour).');
}

/** Commander parser for a comma-separated list of column names (`--columns a,b`), repeatable. */
export function nameList(value: string, previous: string[] = []): string[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expected column names separated by commas.');
  return [...previous, ...names];
}

/** Commander parser for a share strictly between 0 and 1 (`--test-split`). */
export function openFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n < 1)) throw new InvalidArgumentError('expected a number between 0 and 1, e.g. 0.2.');
  return n;
}

/** Commander parser for a window length: an integer of at least 2. */
export function windowLength(value: string): number {
  const n = positiveInteger(value);
  if (n < 2) throw new InvalidArgumentError('expected at least 2 points.');
  return n;
}

/** Commander parser for a percentile above 0 and at most 100. */
export function percentage(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n <= 100)) throw new InvalidArgumentError('expected a percentile above 0 and at most 100.');
  return n;
}
