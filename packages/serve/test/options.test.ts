import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, serveOptions } from '../src/index.js';

describe('the option declaration of ae serve', () => {
  it('fills in defaults that agree with the server limits, and reads command-line text', () => {
    expect(serveOptions.parse({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      maxBatch: 256,
      maxDelayMs: 0,
      maxQueue: 128,
      batching: true,
      maxResponseBytes: DEFAULT_LIMITS.maxResponseBytes,
      headerTimeoutMs: DEFAULT_LIMITS.headersTimeoutMs,
      bodyTimeoutMs: DEFAULT_LIMITS.bodyTimeoutMs,
      idleTimeoutMs: DEFAULT_LIMITS.idleTimeoutMs,
      allowUnsigned: false,
    });
    expect(serveOptions.parse({ maxReceivingMb: '0.5', codecThreads: '0', allowUnsigned: true })).toMatchObject({ maxReceivingMb: 0.5, codecThreads: 0, allowUnsigned: true });
  });

  it('names the flag, the expected range and the value given', () => {
    expect(() => serveOptions.parse({ port: '70000' })).toThrow(/^--port: expected an integer from 0 to 65535, got "70000"$/);
    expect(() => serveOptions.parse({ maxResponseBytes: '0' })).toThrow(/^--max-response-bytes: expected an integer ≥ 1, got "0"$/);
    expect(() => serveOptions.parse({ headerTimeoutMs: 'soon' })).toThrow(/^--header-timeout-ms: /);
    expect(() => serveOptions.parse({ maxReceivingMb: '-1' })).toThrow(/^--max-receiving-mb: expected a positive number, got "-1"$/);
  });

  it('derives the flags: --no-batching for the switch on by default, --allow-unsigned for the one off', () => {
    const flags = Object.fromEntries(serveOptions.fields.map((f) => [f.key, f.flags]));
    expect(flags.batching).toBe('--no-batching');
    expect(flags.allowUnsigned).toBe('--allow-unsigned');
    expect(flags.idleTimeoutMs).toBe('--idle-timeout-ms <ms>');
  });
});
