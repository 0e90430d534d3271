// Where a training step's time goes, kernel by kernel, for each bench family:
//   node packages/kernels-native/bench/profile-step.mjs [backend] [families] [steps]
// Runs `steps` steps of batch 256 (after two warm-up steps) under tf.profile and
// prints, per family, the kernels' total milliseconds a step, largest first, with
// the step's wall-clock time beside their sum (the rest is JavaScript between kernels).
import { createOptimizer, registry, tf, useBackend } from '@aekit/core';
// Not exported by core's index: the trainer's own gradient step, from its build.
import { batchGradients } from '../../core/dist/trainer/gradients.js';
import { loadPlugins } from '@aekit/cli';
import '@aekit/kernels-native';
import { loadMnist } from '@aekit/data-mnist';

const [backend = 'wasm', familiesText = 'dense,deep,conv,lstm,vae', stepsText = '5'] = process.argv.slice(2);
const steps = Number(stepsText);
tf.enableProdMode();
await loadPlugins();
await useBackend(backend);
const { train } = await loadMnist({ trainLimit: 256 });

for (const family of familiesText.split(',')) {
  const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
  const optimizer = createOptimizer('adam', 1e-3);
  const x = tf.tidy(() => train.reshape(ae.inputShape).batch(Array.from({ length: 256 }, (_, i) => i)));
  const step = () =>
    tf.tidy(() => {
      const { total, grads } = batchGradients(ae, x, x, { epoch: 0, forwardSeed: 1 });
      const map = {};
      ae.trainableVariables.forEach((v, i) => grads[i] && (map[v.name] = grads[i]));
      optimizer.applyGradients(map);
      return total;
    }).dispose();
  step();
  step();
  const byKernel = new Map();
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    const info = await tf.profile(step);
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls += 1;
      byKernel.set(k.name, entry);
    }
  }
  const profiled = (performance.now() - start) / steps;
  const unprofiled = performance.now();
  for (let s = 0; s < steps; s++) step();
  const wall = (performance.now() - unprofiled) / steps;
  const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((sum, [, e]) => sum + e.ms, 0) / steps;
  console.log(`\n## ${family} on ${backend}: ${wall.toFixed(1)} ms a step (${(256000 / wall).toFixed(0)} samples/s); kernels ${kernelMs.toFixed(1)} ms of a profiled ${profiled.toFixed(1)} ms step`);
  for (const [name, e] of rows.slice(0, 14)) console.log(`${name.padEnd(28)} ${(e.ms / steps).toFixed(2).padStart(7)} ms  ${String(e.calls / steps).padStart(4)} calls`);
  tf.dispose(x);
  ae.dispose?.();
}
