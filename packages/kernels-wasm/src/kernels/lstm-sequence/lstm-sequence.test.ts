import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectClose, expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { lstmStep, lstmStepGradient, transposedProduct } from './heap.js';

const kernels = heapKernelsForTests();

// float64 references of one step, written from the LSTM's equations (not from the C).
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const hardSigmoid = (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5));
const gate = (z: number, hard: number) => (hard ? hardSigmoid(z) : sigmoid(z));
const slope = (z: number, hard: number) => (hard ? (0.2 * z + 0.5 >= 0 && 0.2 * z + 0.5 <= 1 ? 0.2 : 0) : sigmoid(z) * (1 - sigmoid(z)));

describe('lstmStep', () => {
  // 7 units: one vector of 4 and a tail of 3; 4 units: vectors only.
  for (const [batch, steps, units, step, hard] of [[3, 4, 7, 2, 1], [2, 3, 4, 0, 0], [2, 5, 1, 4, 1]]) {
    it(`computes step ${step} of [${batch}, ${steps}] sequences of ${units} units (${hard ? 'hardSigmoid' : 'sigmoid'} gates)`, () => {
      const gates = 4 * units;
      const z0 = seeded('z', batch * steps * gates, -4, 4);
      const p = seeded('p', batch * gates, -2, 2);
      const c0 = seeded('c', batch * steps * units);
      const [z, rec, c, h, hStep] = [tensor(z0), tensor(p), tensor(c0), tensor(batch * steps * units), tensor(batch * units)];
      kernels.run(lstmStep, [{ tensor: z }, step > 0 ? { tensor: rec } : null, { tensor: c }, { tensor: h }, { tensor: hStep }], [batch, steps, units, step, hard]);
      const zAfter = Float64Array.from(z0);
      const [cExpected, hExpected] = [Float64Array.from(c0), new Float64Array(batch * steps * units)];
      for (let b = 0; b < batch; b++) {
        const row = b * steps + step;
        for (let u = 0; u < units; u++) {
          const pre = [0, 1, 2, 3].map((k) => {
            const at = row * gates + k * units + u;
            zAfter[at] = Math.fround(z0[at]! + (step > 0 ? p[b * gates + k * units + u]! : 0));
            return zAfter[at]!;
          });
          const cell = gate(pre[1]!, hard) * (step > 0 ? c0[(row - 1) * units + u]! : 0) + gate(pre[0]!, hard) * Math.tanh(pre[2]!);
          cExpected[row * units + u] = cell;
          hExpected[row * units + u] = gate(pre[3]!, hard) * Math.tanh(cell);
        }
      }
      expectClose(values(z), zAfter, 0);
      expectClose(values(c), cExpected, 1e-6);
      const hValues = values(h);
      const rows = (a: ArrayLike<number>) => Array.from({ length: batch * units }, (_, i) => a[(Math.floor(i / units) * steps + step) * units + (i % units)]!);
      expectClose(rows(hValues), rows(hExpected), 1e-6);
      expect(values(hStep)).toEqual(Float32Array.from(rows(hValues)));
      tf.dispose([z, rec, c, h, hStep]);
    });
  }

  it('refuses a step past the sequence, a cell buffer too short, or another gate code', () => {
    const [batch, steps, units] = [2, 3, 4];
    const z = tensor(batch * steps * 4 * units);
    const [c, h, hStep, shortC] = [tensor(batch * steps * units), tensor(batch * steps * units), tensor(batch * units), tensor(batch * steps * units - 1)];
    const regions = (cell: tf.Tensor) => [{ tensor: z }, null, { tensor: cell }, { tensor: h }, { tensor: hStep }];
    expectRefused(() => kernels.run(lstmStep, regions(c), [batch, steps, units, 3, 1]), h, /step 3 is past a sequence of 3 steps/);
    expectRefused(() => kernels.run(lstmStep, regions(shortC), [batch, steps, units, 0, 1]), h, /c spans elements \[0, 24\) of a tensor of 23/);
    expectRefused(() => kernels.run(lstmStep, regions(c), [batch, steps, units, 0, 2]), h, /hard must be 0/);
    tf.dispose([z, c, h, hStep, shortC]);
  });
});

describe('lstmStepGradient', () => {
  for (const [batch, steps, units, step, hard] of [[3, 4, 7, 1, 1], [2, 3, 4, 2, 0], [2, 3, 5, 0, 0]]) {
    it(`gives step ${step}'s gate gradients and carries the cell's (${units} units, ${hard ? 'hardSigmoid' : 'sigmoid'})`, () => {
      const gates = 4 * units;
      // Pre-activations up to +-3: hardSigmoid's flat parts (|z| > 2.5) included.
      const [zv, cv, dhv] = [seeded('gz', batch * steps * gates, -3, 3), seeded('gc', batch * steps * units), seeded('gdh', batch * steps * units)];
      const [recv, dcv] = [seeded('grec', batch * units), seeded('gdc', batch * units)];
      const last = step === steps - 1;
      const [z, c, dh, rec, dcNext, dz, dzStep] = [tensor(zv), tensor(cv), tensor(dhv), tensor(recv), tensor(dcv), tensor(batch * steps * gates), tensor(batch * gates)];
      kernels.run(lstmStepGradient, [{ tensor: z }, { tensor: c }, { tensor: dh }, last ? null : { tensor: rec }, { tensor: dcNext }, { tensor: dz }, { tensor: dzStep }], [batch, steps, units, step, hard]);
      const [dzExpected, dcExpected] = [new Float64Array(batch * gates), new Float64Array(batch * units)];
      for (let b = 0; b < batch; b++) {
        const row = b * steps + step;
        for (let u = 0; u < units; u++) {
          const [zi, zf, zc, zo] = [0, 1, 2, 3].map((k) => zv[row * gates + k * units + u]!) as [number, number, number, number];
          const tc = Math.tanh(cv[row * units + u]!);
          const dht = dhv[row * units + u]! + (last ? 0 : recv[b * units + u]!);
          const dc = dht * gate(zo, hard) * (1 - tc * tc) + (last ? 0 : dcv[b * units + u]!);
          const cPrev = step > 0 ? cv[(row - 1) * units + u]! : 0;
          const g = Math.tanh(zc);
          dzExpected[b * gates + u] = dc * g * slope(zi, hard);
          dzExpected[b * gates + units + u] = dc * cPrev * slope(zf, hard);
          dzExpected[b * gates + 2 * units + u] = dc * gate(zi, hard) * (1 - g * g);
          dzExpected[b * gates + 3 * units + u] = dht * tc * slope(zo, hard);
          dcExpected[b * units + u] = dc * gate(zf, hard);
        }
      }
      expectClose(values(dzStep), dzExpected, 1e-5);
      const dzValues = values(dz);
      const stepRows = Float32Array.from({ length: batch * gates }, (_, i) => dzValues[(Math.floor(i / gates) * steps + step) * gates + (i % gates)]!);
      expect(stepRows).toEqual(values(dzStep));
      expectClose(values(dcNext), dcExpected, 1e-5);
      tf.dispose([z, c, dh, rec, dcNext, dz, dzStep]);
    });
  }

  it('refuses a gate-gradient buffer too short for the batch', () => {
    const [batch, steps, units] = [2, 3, 4];
    const all = batch * steps * units;
    const [z, c, dh, dcNext, dz, dzStep] = [tensor(4 * all), tensor(all), tensor(all), tensor(batch * units), tensor(4 * all), tensor(4 * batch * units - 4)];
    const regions = [z, c, dh, null, dcNext, dz, dzStep].map((t) => (t ? { tensor: t } : null));
    expectRefused(() => kernels.run(lstmStepGradient, regions, [batch, steps, units, 2, 0]), dcNext, /dzStep spans elements \[0, 32\) of a tensor of 28/);
    tf.dispose([z, c, dh, dcNext, dz, dzStep]);
  });
});

describe('transposedProduct', () => {
  // m 6 (a block of 4 and two single rows), n 12 (a block of 8 and one of 4), 9 sequences (two blocks of 8).
  for (const [sequences, steps, m, n, lag] of [[9, 3, 6, 12, 0], [9, 3, 6, 12, 1], [2, 5, 1, 4, 1], [1, 1, 3, 8, 1]]) {
    it(`sums a[k - ${lag}]^T b[k] over ${sequences} sequences of ${steps} steps into [${m}, ${n}]`, () => {
      const rows = sequences * steps;
      const [av, bv] = [seeded('ta', rows * m), seeded('tb', rows * n)];
      const [a, b, c] = [tensor(av), tensor(bv), tensor(seeded('stale', m * n))];
      kernels.run(transposedProduct, [{ tensor: a }, { tensor: b }, { tensor: c }], [sequences, steps, m, n, lag]);
      const expected = new Float64Array(m * n);
      for (let k = 0; k < rows; k++) {
        if (k % steps < lag) continue;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expected[i * n + j] += av[(k - lag) * m + i]! * bv[k * n + j]!;
      }
      expectClose(values(c), expected, 1e-5);
      tf.dispose([a, b, c]);
    });
  }

  it('refuses columns that are not a multiple of 4, and a product past its tensor', () => {
    const [a, b, c] = [tensor(12), tensor(36), tensor(18)];
    expectRefused(() => kernels.run(transposedProduct, [{ tensor: a }, { tensor: b }, { tensor: c }], [2, 3, 2, 6, 0]), c, /n must be a multiple of 4/);
    expectRefused(() => kernels.run(transposedProduct, [{ tensor: a }, { tensor: b }, { tensor: c }], [3, 3, 2, 4, 0]), c, /a spans elements \[0, 18\) of a tensor of 12/);
    tf.dispose([a, b, c]);
  });
});
