import { ConfigError, parseCommandOptions, z } from '@aekit/core';
import { describe, expect, it } from 'vitest';
import { choiceOption, intOption, numberOption, stringOption } from '../src/cli/options.js';

const schema = z.object({
  maxBatch: intOption({ min: 1, fallback: 256 }),
  port: intOption({ min: 0, max: 65535, fallback: 8080 }),
  limit: intOption({ min: 1 }),
  tolerance: numberOption(1e-4),
  format: choiceOption(['onnx', 'triton'], 'onnx'),
  out: stringOption(),
});
const parse = (options: Record<string, unknown>) => parseCommandOptions(schema, options, 'flag');

describe('the option schemas of the export-onnx commands', () => {
  it('fill in defaults for absent or empty options and convert strings', () => {
    expect(parse({})).toEqual({ maxBatch: 256, port: 8080, tolerance: 1e-4, format: 'onnx' });
    expect(parse({ maxBatch: '', limit: ' 7 ', tolerance: '1e-3', format: 'triton', out: 'x' })).toEqual({
      maxBatch: 256,
      port: 8080,
      limit: 7,
      tolerance: 1e-3,
      format: 'triton',
      out: 'x',
    });
  });

  it('name the flag, the expected range and the value given', () => {
    expect(() => parse({ maxBatch: '0' })).toThrow(ConfigError);
    expect(() => parse({ maxBatch: '0' })).toThrow(/^--max-batch: expected an integer ≥ 1, got "0"$/);
    expect(() => parse({ port: '70000' })).toThrow(/^--port: expected an integer from 0 to 65535, got "70000"$/);
    expect(() => parse({ limit: '1.5' })).toThrow(/^--limit: expected an integer ≥ 1, got "1.5"$/);
    expect(() => parse({ tolerance: '-1' })).toThrow(/^--tolerance: expected a positive number, got "-1"$/);
    expect(() => parse({ tolerance: 'abc' })).toThrow(/^--tolerance: expected a positive number, got "abc"$/);
    expect(() => parse({ format: 'tflite' })).toThrow(/^--format: expected one of onnx, triton, got "tflite"$/);
  });
});
