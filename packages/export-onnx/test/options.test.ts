import { ConfigError } from '@aekit/core';
import { describe, expect, it } from 'vitest';
import { exportOptions } from '../src/cli/export-command.js';
import { inferOptions } from '../src/cli/infer-command.js';

describe('the option declarations of the export-onnx commands (ae export, ae infer)', () => {
  it('fill in defaults and read command-line text', () => {
    expect(inferOptions.parse({ limit: ' 7 ', out: 'x' })).toEqual({ limit: 7, out: 'x', batchSize: 256, allowUnsigned: false });
    expect(inferOptions.parse({ allowUnsigned: true }).allowUnsigned).toBe(true);
    expect(exportOptions.parse({ tolerance: '1e-3', format: 'triton', check: false })).toMatchObject({ tolerance: 1e-3, format: 'triton', check: false, part: 'full' });
  });

  it('name the flag, the expected range and the value given', () => {
    expect(() => exportOptions.parse({ maxBatch: '0' })).toThrow(ConfigError);
    expect(() => exportOptions.parse({ maxBatch: '0' })).toThrow(/^--max-batch: expected an integer ≥ 1, got "0"$/);
    expect(() => exportOptions.parse({ maxBatch: '' })).toThrow(/^--max-batch: expected an integer ≥ 1, got ""$/);
    expect(() => inferOptions.parse({ limit: '1.5' })).toThrow(/^--limit: expected an integer ≥ 1, got "1.5"$/);
    expect(() => exportOptions.parse({ tolerance: '-1' })).toThrow(/^--tolerance: expected a positive number, got "-1"$/);
    expect(() => exportOptions.parse({ tolerance: 'abc' })).toThrow(/^--tolerance: expected a positive number, got "abc"$/);
    expect(() => exportOptions.parse({ format: 'tflite' })).toThrow(/^--format: expected one of onnx, triton, got "tflite"$/);
  });

  it('derive the flags of switches that are on by default', () => {
    expect(exportOptions.fields.find((f) => f.key === 'check')?.flags).toBe('--no-check');
  });
});
