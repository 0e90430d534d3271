import { describe, expect, it } from 'vitest';
import { AeError, ConfigError, DataFileError } from '../src/index.js';

describe('AeError', () => {
  it('is recognised across copies of the package, and subclasses keep their own checks', () => {
    // An error as another copy of @aekit/core would make it: a different class with the same brand.
    class OtherCopyError extends Error {
      constructor(message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for('aekit.AeError'), { value: true });
      }
    }
    expect(new OtherCopyError('x')).toBeInstanceOf(AeError);
    expect(new OtherCopyError('x')).not.toBeInstanceOf(ConfigError);
    expect(new Error('plain')).not.toBeInstanceOf(AeError);
    expect((null as unknown as object) instanceof AeError).toBe(false);
    const file = new DataFileError('a.png', 'truncated');
    expect(file).toBeInstanceOf(AeError);
    expect(file).toBeInstanceOf(DataFileError);
    expect(file).not.toBeInstanceOf(ConfigError);
    expect(file.message).toBe('a.png: truncated');
  });
});
