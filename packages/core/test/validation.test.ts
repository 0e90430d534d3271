import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FamilyRegistry, fit, parseNoiseSpec, tf, useBackend, ArrayDataset } from '../src/index.js';
import { tinyFamily } from './fixtures/tiny-family.js';

const registry = new FamilyRegistry();
registry.register(tinyFamily);

beforeAll(async () => {
  await useBackend('cpu');
});

/**
 * Any JSON-like value, including the awkward ones. Numbers stay at sizes a
 * model can be built with: a valid but huge layer size (2e9 units) is not a
 * validation error, it is a model that does not fit in memory.
 */
const anything = fc.oneof(
  fc.anything({ values: [fc.string(), fc.boolean(), fc.constant(null), fc.integer({ min: -64, max: 64 }), fc.double({ min: -64, max: 64 })] }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 2.5, 1e-9, '', '3', null, undefined, [], {}, true),
);

describe('validation never fails in an unexpected way', () => {
  it('family configs: any input either builds a model or is a ConfigError naming a field', () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.record({ latentDim: anything, hidden: anything }, { requiredKeys: [] })), (config) => {
        try {
          const ae = registry.create('tiny', config, { seed: 0, dataShape: [8] });
          expect(Number.isInteger(ae.config.latentDim) && (ae.config.latentDim as number) > 0).toBe(true);
          ae.dispose();
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).message).toMatch(/^tiny(\.\w+)?: /);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fit options: any input trains or is a ConfigError naming the option', async () => {
    const ae = registry.create('tiny', {}, { seed: 0, dataShape: [4] });
    const data = new ArrayDataset(new Float32Array(16).fill(0.5), [4]);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ epochs: anything, batchSize: anything, seed: anything, learningRate: anything, validationSplit: anything, optimizer: anything }, { requiredKeys: [] }),
        async (options) => {
          try {
            await fit(ae, data, { ...(options as object), epochs: 1 } as never);
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expect((error as Error).message).toMatch(/^(batchSize|seed|learningRate|validationSplit|optimizer|shuffle|noise|epochs)(\.\w+)?: /);
          }
        },
      ),
      { numRuns: 150 },
    );
    ae.dispose();
  });

  it('noise specs: any text parses or is a ConfigError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('gaussian:', ':0.5', 'mask:-1', 'salt-and-pepper:1e9', 'gaussian:NaN')), (text) => {
        try {
          const spec = parseNoiseSpec(text);
          expect(['gaussian', 'salt-and-pepper', 'mask']).toContain(spec.type);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('input checks at the Autoencoder boundary', () => {
  it('names the expected shape and dtype', () => {
    const ae = registry.create('tiny', { latentDim: 3 }, { seed: 0, dataShape: [8] });
    expect(() => ae.encode(tf.zeros([2, 4]))).toThrow('x: expected a batch of shape [n, 8], got [2, 4]');
    expect(() => ae.reconstruct(tf.zeros([8]))).toThrow('x: expected a batch of shape [n, 8], got [8]');
    expect(() => ae.decode(tf.zeros([2, 3], 'int32'))).toThrow('z: expected a float32 batch [n, 3], got dtype int32');
    expect(ae.decode(tf.zeros([2, 3])).shape).toEqual([2, 8]);
    ae.dispose();
  });
});
