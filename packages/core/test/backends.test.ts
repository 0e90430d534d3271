import { afterAll, describe, expect, it } from 'vitest';
import {
  activeBackendName,
  BackendError,
  backendNotices,
  binaryCrossEntropy,
  defaultBackend,
  kernelPackages,
  registerBackendProvider,
  tf,
  useBackend,
  useKernels,
  type KernelPackage,
} from '../src/index.js';
import { ADAM_UPDATE, BINARY_CROSS_ENTROPY } from '../src/kernel-contracts/index.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('backend selection', () => {
  it('defaults to wasm in Node and rejects unknown or unavailable backends', async () => {
    expect(defaultBackend()).toBe('wasm');
    await expect(useBackend('tpu')).rejects.toThrow(BackendError);
    await expect(useBackend('tpu')).rejects.toThrow(/unknown backend 'tpu'; expected one of native, wasm, cpu, webgl/);
    await expect(useBackend('webgl')).rejects.toThrow(/not available in Node/);
    expect(await useBackend()).toBe('wasm');
    expect(await useBackend('cpu')).toBe('cpu');
  });
});

describe('core alone', () => {
  it("registers no kernel of aekit's own, and its ops compose them from tfjs ops", async () => {
    await useBackend('wasm');
    expect(tf.getKernel(BINARY_CROSS_ENTROPY, 'wasm')).toBeUndefined();
    expect(tf.getKernel(ADAM_UPDATE, 'wasm')).toBeUndefined();
    const [p, t] = [tf.tensor([0.2, 0.9, 0, 1], [4, 1]), tf.tensor([0, 1, 0, 1], [4, 1])];
    const loss = (out: tf.Tensor) => binaryCrossEntropy().compute({ input: out, output: out, code: out, extras: {} }, t, { epoch: 0, training: true });
    const profile = await tf.profile(() => void tf.dispose(tf.grad(loss)(p)));
    expect(profile.kernels.map((k) => k.name)).toContain('Log');
    expect((await loss(p).data())[0]).toBeCloseTo(-(Math.log(0.8) + Math.log(0.9) + Math.log(1 - 1e-7) * 2) / 4, 5);
    tf.dispose([p, t]);
  });
});

describe('useKernels', () => {
  /** A kernel package that doubles on cpu, and remembers each call of its hooks. */
  const calls: string[] = [];
  const doubling = (name: string, factor: number): KernelPackage => ({
    name,
    register: () => {
      calls.push(`register ${name}`);
      if (tf.getKernel('TestScale', 'cpu')) tf.unregisterKernel('TestScale', 'cpu');
      tf.registerKernel({
        kernelName: 'TestScale',
        backendName: 'cpu',
        kernelFunc: ({ inputs, backend }) => {
          const x = inputs.x!;
          const values = (backend as unknown as { readSync(id: tf.DataId): Float32Array }).readSync(x.dataId).map((v) => v * factor);
          return (backend as unknown as { makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo }).makeTensorInfo(x.shape, 'float32', values);
        },
      });
    },
    prepare: async (backend) => void calls.push(`prepare ${name} ${backend}`),
  });

  it('registers a package at once and on every useBackend, in the order added, and awaits its preparation', async () => {
    const first = doubling('test-first', 2);
    const second = doubling('test-second', 3);
    useKernels(first);
    useKernels(second);
    useKernels(doubling('test-first', 5)); // another package of a known name: ignored
    useKernels(first);
    expect(calls).toEqual(['register test-first', 'register test-second']);
    expect(kernelPackages().map((k) => k.name)).toEqual(['test-first', 'test-second']);
    calls.length = 0;
    await useBackend('cpu');
    expect(calls).toEqual(['register test-first', 'register test-second', 'prepare test-first cpu', 'prepare test-second cpu']);
    // The later package registered last, so its kernel is the one that runs.
    const x = tf.tensor([1, 2]);
    const y = tf.engine().runKernel('TestScale', { x }) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual([3, 6]);
    tf.dispose([x, y]);
  });
});

describe('auto with a backend provider', () => {
  it('picks a provider only for the work it prefers and where it runs, and says why not otherwise', async () => {
    const here: { unavailable?: string } = {};
    const switched: boolean[] = [];
    registerBackendProvider({
      name: 'twin',
      tfjsBackend: 'wasm',
      unavailable: () => here.unavailable,
      activate: (on) => void switched.push(on),
      threads: () => 1,
      prefers: ({ family }) => family === 'fast',
    });
    expect(defaultBackend()).toBe('wasm');
    expect(defaultBackend({ family: 'slow' })).toBe('wasm');
    expect(defaultBackend({ family: 'fast' })).toBe('twin');
    expect(backendNotices({ family: 'fast' })).toEqual(['running the twin kernels: measured faster than the wasm ones for the fast family (--backend wasm picks those)']);
    expect(backendNotices({ family: 'slow' })).toEqual(['running the wasm kernels: the twin ones were not measured faster for the slow family (--backend twin picks them anyway)']);
    expect(await useBackend('auto', { family: 'slow' })).toBe('wasm');
    expect(activeBackendName()).toBe('wasm');
    expect(await useBackend('auto', { family: 'fast' })).toBe('twin');
    expect(activeBackendName()).toBe('twin');
    expect(await useBackend('twin')).toBe('twin');
    here.unavailable = 'no binary here';
    expect(defaultBackend({ family: 'fast' })).toBe('wasm');
    expect(backendNotices({ family: 'fast' })).toEqual(['twin kernels unavailable (no binary here); running the wasm kernels']);
    expect(await useBackend('auto', { family: 'fast' })).toBe('wasm');
    expect(switched).toEqual([true, true, false]);
  });
});
