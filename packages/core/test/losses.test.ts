import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  contractivePenalty,
  gaussianKl,
  klDivergence,
  l1ActivityPenalty,
  meanSquaredError,
  sigmoidJacobianFrobeniusSquared,
  tf,
  useBackend,
  type ForwardPass,
} from '../src/index.js';

const state = { epoch: 0, training: true };
const pass = (output: number[][], extras: Record<string, tf.Tensor> = {}, code?: number[][]): ForwardPass => ({
  input: tf.tensor2d(output),
  output: tf.tensor2d(output),
  code: tf.tensor2d(code ?? [[0]]),
  extras,
});

beforeAll(async () => {
  await useBackend('cpu');
});

describe('loss terms', () => {
  it('binary cross-entropy matches the formula with both reductions', () => {
    const p = pass([[0.9, 0.2], [0.5, 0.7]]);
    const target = tf.tensor2d([[1, 0], [1, 1]]);
    const manual = [[-Math.log(0.9), -Math.log(0.8)], [-Math.log(0.5), -Math.log(0.7)]];
    const mean = manual.flat().reduce((a, b) => a + b) / 4;
    expect(binaryCrossEntropy().compute(p, target, state).dataSync()[0]).toBeCloseTo(mean, 5);
    expect(binaryCrossEntropy({ reduction: 'sum' }).compute(p, target, state).dataSync()[0]).toBeCloseTo(mean * 2, 5);
  });

  it('binary cross-entropy has the analytic gradient, also for outputs and targets, and at saturation', () => {
    const outputs = [0.9, 0.2, 0.5, 0.7, 0.01, 0.999];
    const targets = [1, 0, 0.3, 1, 0, 0.6];
    const bce = (o: tf.Tensor, t: tf.Tensor) => binaryCrossEntropy().compute({ input: o, output: o, code: o, extras: {} }, t, state);
    const [dOut, dTarget] = tf.grads((o: tf.Tensor, t: tf.Tensor) => bce(o, t))([tf.tensor2d([outputs]), tf.tensor2d([targets])]);
    const n = outputs.length;
    const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(1e-3, Math.abs(expected));
    outputs.forEach((p, i) => {
      expect(relative(dOut.dataSync()[i], (p - targets[i]) / (p * (1 - p)) / n)).toBeLessThan(1e-4);
      expect(relative(dTarget.dataSync()[i], (Math.log(1 - p) - Math.log(p)) / n)).toBeLessThan(1e-4);
    });
    // An output stuck at exactly 1 for a target of 0 is still pushed down (a clip's gradient would be 0).
    const [saturated] = tf.grads((o: tf.Tensor) => bce(o, tf.tensor2d([[0]])))([tf.tensor2d([[1]])]);
    expect(saturated.dataSync()[0]).toBeGreaterThan(1e3);
    expect(Number.isFinite(saturated.dataSync()[0])).toBe(true);
  });

  it('mean squared error ignores masked elements', () => {
    const target = tf.tensor2d([[0, 0], [0, 0]]);
    const mask = tf.tensor2d([[1, 0], [1, 0]]);
    const a = meanSquaredError().compute(pass([[1, 5], [3, 9]], { mask }), target, state).dataSync()[0];
    const b = meanSquaredError().compute(pass([[1, -7], [3, 100]], { mask }), target, state).dataSync()[0];
    expect(a).toBeCloseTo((1 + 9) / 2, 5);
    expect(b).toBeCloseTo(a, 5);
  });

  it('L1 activity penalty is weight * sum |code| / batch', () => {
    const value = l1ActivityPenalty(0.5).compute(pass([[0], [0]], {}, [[1, -2], [3, 0]]), tf.zeros([2, 1]), state);
    expect(value.dataSync()[0]).toBeCloseTo((0.5 * 6) / 2, 6);
  });

  it('KL divergence matches its closed form on known means and variances', () => {
    // KL(N(mu, s^2) || N(0, 1)) = 0.5 * (s^2 + mu^2 - 1 - ln s^2) per dimension.
    const mean = tf.tensor2d([[0, 0], [1, -2]]);
    const logVar = tf.tensor2d([[0, 0], [Math.log(4), Math.log(0.25)]]);
    const expected = [0, 0.5 * (4 + 1 - 1 - Math.log(4)) + 0.5 * (0.25 + 4 - 1 - Math.log(0.25))];
    expect(Array.from(gaussianKl(mean, logVar).dataSync())).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    const term = klDivergence({ beta: 2 }).compute(pass([[0], [0]], { mean, logVar }), tf.zeros([2, 1]), state);
    expect(term.dataSync()[0]).toBeCloseTo((2 * (expected[0] + expected[1])) / 2, 5);
    const warm = klDivergence({ warmupEpochs: 4 }).compute(pass([[0], [0]], { mean, logVar }), tf.zeros([2, 1]), state);
    expect(warm.dataSync()[0]).toBeCloseTo(0.25 * ((expected[0] + expected[1]) / 2), 5);
  });

  it('KL divergence with free bits counts each dimension as at least that many nats in training only', () => {
    const mean = tf.tensor2d([[0, 0], [1, 0]]);
    const logVar = tf.tensor2d([[0, 0], [0, 0]]);
    // Batch means per dimension: 0.25 (half of 0.5 for mu = 1) and 0.
    const training = { epoch: 0, training: true };
    const freed = klDivergence({ freeBits: 0.1 }).compute(pass([[0], [0]], { mean, logVar }), tf.zeros([2, 1]), training);
    expect(freed.dataSync()[0]).toBeCloseTo(0.25 + 0.1, 5);
    const evaluated = klDivergence({ freeBits: 0.1 }).compute(pass([[0], [0]], { mean, logVar }), tf.zeros([2, 1]), { epoch: 0, training: false });
    expect(evaluated.dataSync()[0]).toBeCloseTo(0.25, 5);
  });

  it('the sigmoid Jacobian norm equals a numerically computed Jacobian', () => {
    const w = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    const b = tf.randomNormal([3], 0, 1, 'float32', 2);
    const x = tf.randomUniform([2, 5], 0, 1, 'float32', 3);
    const encode = (v: tf.Tensor) => tf.sigmoid(tf.add(tf.matMul(v, w), b));
    const closed = sigmoidJacobianFrobeniusSquared(encode(x), w).dataSync();
    const xs = x.arraySync() as number[][];
    xs.forEach((row, n) => {
      let sum = 0;
      const eps = 1e-3;
      for (let i = 0; i < row.length; i++) {
        const plus = [...row];
        const minus = [...row];
        plus[i] += eps;
        minus[i] -= eps;
        const d = tf.div(tf.sub(encode(tf.tensor2d([plus])), encode(tf.tensor2d([minus]))), 2 * eps).dataSync();
        for (const v of d) sum += v * v;
      }
      expect(closed[n]).toBeCloseTo(sum, 3);
    });
    const penalty = contractivePenalty(0.1, (p) => sigmoidJacobianFrobeniusSquared(p.code, w));
    const value = penalty.compute({ ...pass([[0]]), code: encode(x) }, x, state).dataSync()[0];
    expect(value).toBeCloseTo((0.1 * (closed[0] + closed[1])) / 2, 5);
  });
});
