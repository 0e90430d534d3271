import type { z } from 'zod';
import { parseConfig } from './config.js';
import { ConfigError } from './errors.js';

/**
 * How a {@link parseCommandOptions} error names the option: by its
 * camel-cased key (`batchSize`, as `parseConfig` names config fields) or
 * by its flag (`--batch-size`).
 */
export type OptionNaming = 'key' | 'flag';

/**
 * The one way a plugin command checks its options: a zod schema of the
 * values commander hands `PluginCommand.run` (strings, booleans or arrays;
 * use `z.coerce.number()` for numbers), its defaults filled in. The first
 * problem becomes a `ConfigError` naming the option and the value given,
 * which `ae` prints as one line.
 *
 * @param schema - The options' schema.
 * @param options - commander's camel-cased option values.
 * @param naming - Name the option by its key (the default) or by its flag in errors.
 * @throws ConfigError naming the option.
 */
export function parseCommandOptions<S extends z.ZodType>(schema: S, options: Readonly<Record<string, unknown>>, naming: OptionNaming = 'key'): z.output<S> {
  if (naming === 'key') return parseConfig(schema, options);
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue.path[0] ?? 'options');
  throw new ConfigError(flagName(key), `${issue.message}, got ${JSON.stringify(options[key])}`);
}

/**
 * The flag of a camel-cased option name: `batchSize` → `--batch-size`.
 *
 * @param key - A camel-cased option name.
 */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
