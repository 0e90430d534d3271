// Stops the thread pool right after starting it, many times (setThreads 2
// then 1: a helper the OS has not scheduled yet when its pool stops), runs a
// product on two threads and exits while its helper has just started. Before
// the pool handed each helper its starting generation, a late helper slept
// through the stop: the first loop hung within a hundred turns, and two or
// three exits in a hundred on a busy machine hung in the pool's destructor
// (each waiting to join such a helper). Prints the
// product's largest error against a reference computed here; for
// threads.test.ts, which runs several of these at once and bounds their time.
import { createRequire } from 'node:module';

const binding = createRequire(import.meta.url)('../prebuilds/linux-x64/node.napi.glibc.node');
const turns = Number(process.argv[2] ?? 300);
for (let i = 0; i < turns; i++) {
  binding.setThreads(2);
  binding.setThreads(1);
}
binding.setThreads(2);
// 256x64 @ 64x48: enough multiply-adds to be split over both threads.
const [m, k, n] = [256, 64, 48];
const memory = new WebAssembly.Memory({ initial: 2 });
const f = new Float32Array(memory.buffer);
const [a, b, c] = [0, m * k, m * k + k * n];
for (let i = 0; i < c; i++) f[i] = Math.sin(i * 0.37);
binding.matMul(memory.buffer, a * 4, b * 4, -1, c * 4, 1, 1, m, n, k, 0, 0, 0, 0);
let error = 0;
for (let i = 0; i < m; i++)
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let p = 0; p < k; p++) sum += f[a + i * k + p] * f[b + p * n + j];
    error = Math.max(error, Math.abs(f[c + i * n + j] - sum));
  }
// A fresh pool's helper, likely not yet scheduled when the process exits.
binding.setThreads(3);
console.log(JSON.stringify({ turns, threads: binding.info().threads, error }));
