// Prints the chosen instruction set and the LSTM heap functions' results on
// fixed inputs, as JSON, for lstm.test.ts to compare across AEKIT_NATIVE_ISA:
// a sequence forward and back (both gate kinds, 21 units: vectors and a
// tail), then the weights' gradients of both lags.
import { createRequire } from 'node:module';

const binding = createRequire(import.meta.url)('../prebuilds/linux-x64/node.napi.glibc.node');
const memory = new WebAssembly.Memory({ initial: 4 });
const f = new Float32Array(memory.buffer);
for (let i = 0; i < f.length; i++) f[i] = 3 * Math.sin(i * 0.37);
const at = (floats) => floats * 4;
const [batch, steps, units] = [6, 4, 21];
const [all, one] = [batch * steps * units, batch * units];
// Regions (in floats): z, c, h, hStep, recurrent / dhRecurrent, dh, dcNext, dz, dzStep, then the products.
const [z, c, h, hStep, recurrent, dh, dcNext, dz, dzStep, product] = [0, 4 * all, 5 * all, 6 * all, 7 * all, 8 * all, 9 * all, 10 * all, 14 * all, 16 * all];
const stepValues = [];
for (const hard of [1, 0]) {
  for (let step = 0; step < steps; step++) binding.lstmStep(memory.buffer, at(z), step > 0 ? at(recurrent) : -1, at(c), at(h), at(hStep), batch, steps, units, step, hard);
  for (let step = steps - 1; step >= 0; step--) {
    binding.lstmStepGradient(memory.buffer, at(z), at(c), at(dh), step < steps - 1 ? at(recurrent) : -1, at(dcNext), at(dz), at(dzStep), batch, steps, units, step, hard);
  }
  stepValues.push(...f.subarray(z, 5 * all + all), ...f.subarray(hStep, hStep + one), ...f.subarray(dcNext, dcNext + one), ...f.subarray(dz, dz + 4 * all + 4 * one));
}
binding.transposedProduct(memory.buffer, at(h), at(dz), at(product), batch, steps, units, 4 * units, 1);
binding.transposedProduct(memory.buffer, at(c), at(dz), at(product + 4 * units * units), batch, steps, units, 4 * units, 0);
console.log(JSON.stringify({ isa: binding.info().isa, steps: stepValues, product: [...f.subarray(product, product + 8 * units * units)] }));
