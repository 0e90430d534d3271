import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * What a command-line option says about itself besides its value's schema:
 * everything `ae` needs to add it to a command, show it in `--help` and in
 * the README's option tables, and check it.
 */
export interface OptionMeta<T = unknown> {
  /** One line for `--help` and the option tables. */
  readonly help: string;
  /** Name of the value in the flag, e.g. `n` for `--epochs <n>`; none for a switch (a boolean). */
  readonly value?: string;
  /** The value when the option is not given; shown in `--help` and the tables. */
  readonly default?: T;
  /** The option must be given (a missing one is refused with the schema's message). */
  readonly required?: boolean;
  /** The flag when it is not the key in kebab case (`batchSize` is `--batch-size`; a boolean defaulting to true is `--no-<key>`). */
  readonly flag?: string;
  /**
   * Turns the text of a command line into the schema's input, for values
   * that are not plain numbers or strings (a JSON object, a noise spec).
   * Throw an `Error` (or a `ConfigError`) whose message says what was expected.
   */
  readonly fromText?: (text: string) => unknown;
  /**
   * For commands that continue a saved run (`ae train --resume`): `apply`
   * if a new value may replace the run's (epochs, learning rate), `refuse`
   * (the default) if it must stay as the run began.
   */
  readonly resume?: 'apply' | 'refuse';
}

/** Where {@link option} keeps each field's {@link OptionMeta}. */
const optionMetas = z.registry<OptionMeta>();

/**
 * Declares one option of a command: a zod schema of its value (numbers as
 * numbers: text from a command line is converted first) and its
 * {@link OptionMeta}. With a `default` the value is always there; without
 * one (and without `required`) it is optional.
 *
 * @example
 * ```ts
 * import { commandOptions, option, z } from '@aekit/core';
 *
 * const options = commandOptions({
 *   epochs: option(z.number().int().positive(), { value: 'n', help: 'passes over the data', default: 2 }),
 *   out: option(z.string().min(1), { value: 'dir', help: 'where to write (default: <run>/out)' }),
 * });
 * ```
 * @param schema - The value's schema, e.g. `z.number().int().positive()`.
 * @param meta - Help text, value name, default and the rest of {@link OptionMeta}.
 */
export function option<S extends z.ZodType>(schema: S, meta: OptionMeta<z.output<S>> & { default: z.util.NoUndefined<z.output<S>> }): z.ZodDefault<S>;
export function option<S extends z.ZodType>(schema: S, meta: OptionMeta<z.output<S>> & { required: true }): S;
export function option<S extends z.ZodType>(schema: S, meta: OptionMeta<z.output<S>>): z.ZodOptional<S>;
export function option(schema: z.ZodType, meta: OptionMeta): z.ZodType {
  const field = meta.default !== undefined ? schema.default(meta.default) : meta.required ? schema : schema.optional();
  // The registry holds schemas by identity; a copy keeps `schema` itself free to be declared again elsewhere.
  const declared = field === schema ? schema.clone() : field;
  return declared.register(optionMetas, meta);
}

/** The options a command declares: camel-cased keys to {@link option} schemas. */
export type OptionShape = Readonly<Record<string, z.ZodType>>;

/** One declared option, as `ae` adds it to a command and the option tables show it. */
export interface OptionField {
  /** The camel-cased key, e.g. `batchSize`. */
  readonly key: string;
  /** The flag, e.g. `--batch-size`, or `--no-check` for a switch on by default. */
  readonly flag: string;
  /** The flag with its value, e.g. `--batch-size <n>`, as commander and `--help` write it. */
  readonly flags: string;
  /** The value's schema. */
  readonly schema: z.ZodType;
  /** What the declaration says about the option. */
  readonly meta: OptionMeta;
  /** The values allowed, for an option with a fixed set. */
  readonly choices?: readonly string[];
  /** Whether the option is a switch (a boolean that takes no value). */
  readonly isSwitch: boolean;
}

/** The checked values of a {@link CommandOptions}, defaults filled in. */
export type OptionValues<S extends OptionShape> = z.output<z.ZodObject<{ -readonly [K in keyof S]: S[K] }, z.core.$strict>>;

/** The values a {@link CommandOptions} accepts from code (numbers as numbers), every one optional where it has a default. */
export type OptionInput<S extends OptionShape> = z.input<z.ZodObject<{ -readonly [K in keyof S]: S[K] }, z.core.$strict>>;

/**
 * A command's options declared once (see {@link commandOptions}): the
 * schema that checks them, the fields `ae` turns into flags and option
 * tables, and the one parser of values from a command line or from code.
 */
export interface CommandOptions<S extends OptionShape = OptionShape> {
  /** The declared fields, by key. */
  readonly shape: S;
  /** The declared options, in order. */
  readonly fields: readonly OptionField[];
  /** The options' object schema (unknown keys refused). */
  readonly schema: z.ZodType<OptionValues<S>>;
  /**
   * Checks the options and fills in defaults. Strings are read as a
   * command line's text (`'64'` for a number option), other values as
   * given; the first problem becomes a `ConfigError` naming the flag and
   * the value given, which `ae` prints as one line.
   *
   * @param values - Option values by camel-cased key.
   * @throws ConfigError naming the flag, e.g. `--batch-size: expected a positive integer, got "0"`.
   */
  parse(values: Readonly<Record<string, unknown>>): OptionValues<S>;
  /**
   * Converts and checks one option's text from a command line alone, for a
   * parser that refuses a bad value as soon as it reads it.
   *
   * @param key - The option's key.
   * @param text - The text given after the flag.
   * @returns The value the schema takes as input (checked).
   * @throws Error whose message says what was expected.
   */
  fromText(key: string, text: string): unknown;
  /** The options as a Markdown table (option, default, what it does), as the READMEs show them. */
  table(): string;
}

/**
 * Declares the options of a command in one place, each an {@link option}.
 * `ae` builds the command's flags (with `--help`), its checks, the
 * README's option table and, for `ae train`, what may change on resume
 * from this one declaration; the parsed values are typed by it.
 *
 * @example
 * ```ts
 * import { commandOptions, option, z } from '@aekit/core';
 *
 * export const sampleOptions = commandOptions({
 *   count: option(z.number().int().positive(), { value: 'n', help: 'number of digits', default: 100 }),
 *   seed: option(z.number().int(), { value: 'n', help: 'seed of the draw', default: 0 }),
 * });
 * // sampleOptions.parse({ count: '8' }) -> { count: 8, seed: 0 }
 * ```
 * @param shape - The options by camel-cased key, each declared with {@link option}.
 * @throws Error (a programming error) when a field was not declared with {@link option}.
 */
export function commandOptions<S extends OptionShape>(shape: S): CommandOptions<S> {
  const fields = Object.entries(shape).map(([key, schema]) => describeField(key, schema));
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const schema = z.strictObject(shape as Record<string, z.ZodType>) as unknown as z.ZodType<OptionValues<S>>;
  const fromText = (key: string, text: string): unknown => {
    const field = byKey.get(key);
    if (!field) throw new Error(`no option '${key}'`);
    let value: unknown;
    try {
      value = textToValue(field, text);
    } catch (error) {
      throw new Error(reason(error));
    }
    const result = field.schema.safeParse(value);
    if (!result.success) throw new Error(result.error.issues[0].message);
    return value;
  };
  return {
    shape,
    fields,
    schema,
    fromText,
    parse(values) {
      const input: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        const field = byKey.get(key);
        input[key] = field && typeof value === 'string' ? convertText(field, value) : value;
      }
      const result = schema.safeParse(input);
      if (result.success) return result.data;
      throw optionError(result.error.issues[0], values, byKey);
    },
    table: () => optionTable(fields),
  };
}

/**
 * The flag of a camel-cased option name: `batchSize` → `--batch-size`.
 *
 * @example
 * ```ts
 * import { flagName } from '@aekit/core';
 *
 * flagName('batchSize'); // '--batch-size'
 * ```
 * @param key - A camel-cased option name.
 */
export function flagName(key: string): string {
  return `--${kebab(key)}`;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function describeField(key: string, schema: z.ZodType): OptionField {
  const meta = optionMetas.get(schema);
  if (!meta) throw new Error(`option '${key}' is not declared with option(schema, { help, ... })`);
  const base = baseSchema(schema);
  const isSwitch = base._zod.def.type === 'boolean';
  const flag = meta.flag ?? (isSwitch && meta.default === true ? `--no-${kebab(key)}` : flagName(key));
  const flags = isSwitch ? flag : `${flag} <${meta.value ?? 'value'}>`;
  const entries = base._zod.def.type === 'enum' ? Object.values((base._zod.def as unknown as { entries: Record<string, string> }).entries) : undefined;
  return { key, flag, flags, schema, meta, choices: entries?.map(String), isSwitch };
}

/** The schema under the wrappers `option` and users add (optional, default, nullable, pipes). */
function baseSchema(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } };
  for (let depth = 0; depth < 16; depth++) {
    const def = current._zod.def;
    const inner = (def.innerType ?? (def.type === 'pipe' ? def.in : undefined)) as typeof current | undefined;
    if (!inner) break;
    current = inner;
  }
  return current as unknown as z.ZodType;
}

/** Whether every value the schema takes is a number (numbers, integers, a union of number literals). */
function takesNumbers(schema: z.ZodType): boolean {
  const def = baseSchema(schema)._zod.def as unknown as { type: string; values?: unknown[]; options?: z.ZodType[] };
  if (def.type === 'number' || def.type === 'int') return true;
  if (def.type === 'literal') return (def.values ?? []).every((v) => typeof v === 'number');
  if (def.type === 'union') return (def.options ?? []).every(takesNumbers);
  return false;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/** A command line's text as the schema's input: numbers for number options, `fromText` where declared; else the text. */
function textToValue(field: OptionField, text: string): unknown {
  if (field.meta.fromText) return field.meta.fromText(text);
  if (takesNumbers(field.schema)) return NUMBER_TEXT.test(text) ? Number(text) : text;
  return text;
}

/** {@link textToValue} for `parse`, where a `fromText` failure becomes the value's error. */
function convertText(field: OptionField, text: string): unknown {
  try {
    return textToValue(field, text);
  } catch (error) {
    throw new ConfigError(field.flag, `${reason(error).replace(/\.$/, '')}, got ${JSON.stringify(text)}`);
  }
}

/** What a `fromText` error says, without the field a `ConfigError` names (the flag is named instead). */
function reason(error: unknown): string {
  if (error instanceof ConfigError) return error.message.slice(error.field.length + 2);
  return error instanceof Error ? error.message : String(error);
}

function optionError(issue: z.core.$ZodIssue, values: Readonly<Record<string, unknown>>, byKey: ReadonlyMap<string, OptionField>): ConfigError {
  if (issue.code === 'unrecognized_keys') {
    const key = (issue as { keys: string[] }).keys[0];
    return new ConfigError(flagName(key), `is not an option of this command; its options are ${[...byKey.values()].map((f) => f.flag).join(', ')}`);
  }
  const key = String(issue.path[0] ?? 'options');
  const given = values[key];
  const flag = byKey.get(key)?.flag ?? flagName(key);
  const shown = given === undefined ? '' : `, got ${typeof given === 'number' && !Number.isFinite(given) ? String(given) : JSON.stringify(given)}`;
  return new ConfigError(flag, `${issue.message}${shown}`);
}

function optionTable(fields: readonly OptionField[]): string {
  const rows = fields.map((field) => {
    const { meta } = field;
    const choices = field.choices ? ` (${field.choices.join(', ')})` : '';
    const shown = meta.default === undefined || field.isSwitch ? '' : `\`${String(meta.default)}\``;
    return `| \`${field.flags}\` | ${shown} | ${escapeCell(meta.help)}${choices} |`;
  });
  return ['| option | default | what it does |', '| --- | --- | --- |', ...rows].join('\n');
}

function escapeCell(text: string): string {
  // Angle brackets would read as HTML tags in Markdown.
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
