// Prints the chosen instruction set and a few kernels' results on fixed
// inputs, as JSON, for bounds.test.ts to compare across AEKIT_NATIVE_ISA.
import { createRequire } from 'node:module';

const binding = createRequire(import.meta.url)('../prebuilds/linux-x64/node.napi.glibc.node');
const memory = new WebAssembly.Memory({ initial: 4 });
const f = new Float32Array(memory.buffer);
for (let i = 0; i < f.length; i++) f[i] = Math.sin(i * 0.37);
const at = (floats) => floats * 4;
// A 37x29 @ 29x41 product with bias and relu, then 3x3 convolutions and their gradients: [2, 9, 9, 5] into 6
// channels (im2col and products) and [2, 9, 9, 3] into 8 (the direct loops).
binding.matMul(memory.buffer, at(0), at(2000), at(4000), at(10000), 1, 1, 37, 41, 29, 0, 0, 1, 0);
const window = [2, 9, 9, 5, 9, 9, 3, 3, 1, 1, 1, 1];
binding.conv2d(memory.buffer, at(0), at(2000), at(4000), at(20000), ...window, 6, 0, 0);
binding.conv2dBackpropInput(memory.buffer, at(3000), at(2000), at(22000), ...window, 6);
binding.conv2dBackpropFilter(memory.buffer, at(0), at(3000), at(24000), ...window, 6);
const direct = [2, 9, 9, 3, 9, 9, 3, 3, 1, 1, 1, 1];
binding.conv2d(memory.buffer, at(0), at(2000), at(4000), at(26000), ...direct, 8, 0, 0);
binding.conv2dBackpropInput(memory.buffer, at(3000), at(2000), at(28000), ...direct, 8);
binding.conv2dBackpropFilter(memory.buffer, at(0), at(3000), at(29000), ...direct, 8);
// The loss (logarithms in multiply-adds where the build has FMA) and the sigmoid (its exponential), on values in (0, 1).
const g = new Float32Array(memory.buffer, at(40000), 3000);
for (let i = 0; i < g.length; i++) g[i] = 0.5 + 0.4999 * Math.sin(i * 0.91);
binding.binaryCrossEntropy(memory.buffer, at(40000), at(41000), at(43000), 1000);
binding.binaryCrossEntropySum(memory.buffer, at(40000), at(41000), at(44000), 2000, 1 / 2000);
binding.sigmoid(memory.buffer, at(0), at(45000), 1000);
const values = [...f.subarray(43000, 44000), f[44000], ...f.subarray(45000, 46000), ...f.subarray(10000, 10000 + 37 * 41), ...f.subarray(20000, 20000 + 972), ...f.subarray(22000, 22000 + 810), ...f.subarray(24000, 24000 + 270), ...f.subarray(26000, 26000 + 1296), ...f.subarray(28000, 28000 + 486), ...f.subarray(29000, 29000 + 216)];
console.log(JSON.stringify({ isa: binding.info().isa, values }));
