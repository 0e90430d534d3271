import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { adamUpdateHeap } from './heap.js';

const kernels = heapKernelsForTests();

const [beta1, beta2, epsilon, rate, c1, c2] = [0.9, 0.999, 1e-7, 0.01, 0.271, 0.002997];
const floats = [beta1, 1 - beta1, beta2, 1 - beta2, c1, c2, epsilon, -rate];

describe('adamUpdate', () => {
  it("gives tfjs' float32 Adam step bit for bit, including the scalar tail", () => {
    const n = 19;
    const [x, m, v, g] = ['x', 'm', 'v', 'g'].map((s) => seeded(`adam-${s}`, n, s === 'v' ? 0 : -1, 1)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const inputs = [x, m, v, g].map((a) => tensor(a));
    const outputs = [tensor(n), tensor(n), tensor(n)];
    kernels.run(adamUpdateHeap, [...inputs, ...outputs].map((t) => ({ tensor: t })), [n], floats);
    const f = Math.fround;
    const mi = Float32Array.from(m, (mv, i) => f(f(mv * f(beta1)) + f(g[i]! * f(1 - beta1))));
    const vi = Float32Array.from(v, (vv, i) => f(f(vv * f(beta2)) + f(f(g[i]! * g[i]!) * f(1 - beta2))));
    const xi = Float32Array.from(x, (xv, i) => f(f(f(f(mi[i]! / f(c1)) / f(f(Math.sqrt(f(vi[i]! / f(c2)))) + f(epsilon))) * f(-rate)) + xv));
    expect(values(outputs[0]!)).toEqual(xi);
    expect(values(outputs[1]!)).toEqual(mi);
    expect(values(outputs[2]!)).toEqual(vi);
    tf.dispose([...inputs, ...outputs]);
  });

  it('refuses an output buffer shorter than the weights', () => {
    const inputs = [0, 1, 2, 3].map(() => tensor(16));
    const outputs = [tensor(16), tensor(16), tensor(12)];
    expectRefused(() => kernels.run(adamUpdateHeap, [...inputs, ...outputs].map((t) => ({ tensor: t })), [16], floats), outputs[0]!, /newV spans elements \[0, 16\) of a tensor of 12/);
    tf.dispose([...inputs, ...outputs]);
  });
});
