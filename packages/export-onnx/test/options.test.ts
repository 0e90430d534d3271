import { ConfigError } from '@aekit/core';
import { describe, expect, it } from 'vitest';
import { exportOptions } from '../src/cli/export-command.js';
import { inferOptions } from '../src/cli/infer-command.js';
import { serveOptions } from '../src/cli/serve-command.js';

describe('the option declarations of the export-onnx commands', () => {
  it('fill in defaults and read command-line text', () => {
    expect(serveOptions.parse({})).toEqual({ port: 8080, host: '127.0.0.1', maxBatch: 256, maxDelayMs: 0, maxQueue: 128, batching: true });
    expect(inferOptions.parse({ limit: ' 7 ', out: 'x' })).toEqual({ limit: 7, out: 'x', batchSize: 256 });
    expect(exportOptions.parse({ tolerance: '1e-3', format: 'triton', check: false })).toMatchObject({ tolerance: 1e-3, format: 'triton', check: false, part: 'full' });
  });

  it('name the flag, the expected range and the value given', () => {
    expect(() => exportOptions.parse({ maxBatch: '0' })).toThrow(ConfigError);
    expect(() => exportOptions.parse({ maxBatch: '0' })).toThrow(/^--max-batch: expected an integer ≥ 1, got "0"$/);
    expect(() => exportOptions.parse({ maxBatch: '' })).toThrow(/^--max-batch: expected an integer ≥ 1, got ""$/);
    expect(() => serveOptions.parse({ port: '70000' })).toThrow(/^--port: expected an integer from 0 to 65535, got "70000"$/);
    expect(() => inferOptions.parse({ limit: '1.5' })).toThrow(/^--limit: expected an integer ≥ 1, got "1.5"$/);
    expect(() => exportOptions.parse({ tolerance: '-1' })).toThrow(/^--tolerance: expected a positive number, got "-1"$/);
    expect(() => exportOptions.parse({ tolerance: 'abc' })).toThrow(/^--tolerance: expected a positive number, got "abc"$/);
    expect(() => exportOptions.parse({ format: 'tflite' })).toThrow(/^--format: expected one of onnx, triton, got "tflite"$/);
  });

  it('derive the flags of switches that are on by default', () => {
    expect(serveOptions.fields.find((f) => f.key === 'batching')?.flags).toBe('--no-batching');
    expect(exportOptions.fields.find((f) => f.key === 'check')?.flags).toBe('--no-check');
  });
});
