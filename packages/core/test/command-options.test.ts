import { describe, expect, it } from 'vitest';
import { ConfigError, flagName, parseCommandOptions, z } from '../src/index.js';

const schema = z.object({
  batchSize: z.coerce.number().int().positive().default(32),
  out: z.string().min(1).optional(),
});

describe('parseCommandOptions', () => {
  it("converts commander's strings and fills in defaults", () => {
    expect(parseCommandOptions(schema, { batchSize: '64' })).toEqual({ batchSize: 64 });
    expect(parseCommandOptions(schema, { out: 'runs/x' })).toEqual({ batchSize: 32, out: 'runs/x' });
  });

  it('names the option by its key, or by its flag, with the value given', () => {
    expect(() => parseCommandOptions(schema, { batchSize: '0' })).toThrow(ConfigError);
    expect(() => parseCommandOptions(schema, { batchSize: '0' })).toThrow(/^batchSize: Too small.*, got "0"$/);
    expect(() => parseCommandOptions(schema, { batchSize: 'x' }, 'flag')).toThrow(/^--batch-size: .*, got "x"$/);
  });

  it('spells flags as commander does', () => {
    expect(flagName('trainFraction')).toBe('--train-fraction');
    expect(flagName('out')).toBe('--out');
  });
});
