import { afterAll, describe, expect, it } from 'vitest';
import { createOptimizer, createRng, FusedAdamOptimizer, tf, useBackend } from '@aekit/core';


afterAll(async () => {
  await useBackend('cpu');
});

describe('FusedAdamOptimizer', () => {
  it("gives tfjs' Adam's weights and state bit for bit on wasm, in one kernel a variable", async () => {
    await useBackend('wasm');
    const rng = createRng('adam');
    const shapes = [[3, 5], [7], [2, 2, 3], [1]]; // sizes 15, 7, 12, 1: SIMD lanes and tails
    const start = shapes.map((shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1));
    const steps = Array.from({ length: 6 }, () => start.map((w) => Float32Array.from(w, () => (rng() * 2 - 1) * 10 ** Math.floor(rng() * 6 - 4))));
    const train = (optimizer: tf.Optimizer, tag: string) => {
      const variables = start.map((w, i) => tf.variable(tf.tensor(w, shapes[i]), true, `${tag}${i}`));
      for (const [s, gradients] of steps.entries()) {
        // The last variable gets no gradient on odd steps, as a frozen layer's would not.
        const map: tf.NamedTensorMap = {};
        gradients.forEach((g, i) => {
          if (!(i === shapes.length - 1 && s % 2 === 1)) map[`${tag}${i}`] = tf.tensor(g, shapes[i]);
        });
        optimizer.applyGradients(map);
        tf.dispose(Object.values(map));
      }
      return variables;
    };
    const reference = tf.train.adam(0.01);
    const fused = createOptimizer('adam', 0.01);
    expect(fused).toBeInstanceOf(FusedAdamOptimizer);
    expect(fused.getClassName()).toBe('Adam');
    const expected = train(reference, 'reference');
    const profile = await tf.profile(() => void train(new FusedAdamOptimizer(0.01), 'profiled').forEach((v) => v.dispose()));
    expect(profile.kernels.filter((k) => k.name === 'AekitAdamUpdate')).toHaveLength(6 * shapes.length - 3);
    expect(profile.kernels.some((k) => k.name === 'Sqrt')).toBe(false);
    const actual = train(fused, 'fused');
    for (let i = 0; i < shapes.length; i++) expect(Array.from(actual[i]!.dataSync())).toEqual(Array.from(expected[i]!.dataSync()));
    const [referenceState, fusedState] = [await reference.getWeights(), await fused.getWeights()];
    expect(fusedState.map((w) => w.name.replace('fused', ''))).toEqual(referenceState.map((w) => w.name.replace('reference', '')));
    fusedState.forEach((w, i) => expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(referenceState[i]!.tensor.dataSync())));
    tf.dispose([...expected, ...actual]);
    reference.dispose();
    fused.dispose();
  });
});
