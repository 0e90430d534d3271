// Training speed with two builds of the heap kernels in one process: the C
// build (the committed module) and the hand-written WebAssembly text it
// replaced, taking turns round by round, one thread, on MNIST:
//   node bench/train-heap-builds.mjs [--families conv,dense] [--samples N] [--rounds N] [--wat-from <git commit>]
// Prints a markdown table of median samples/s per family and build, and the
// test loss of each (the same when both builds compute the same bits).
// Not part of CI. Needs git (for the old source) and built packages.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate, fit, registry, tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { loadPlugins } from '@aekit/cli';
import { loadMnist } from '@aekit/data-mnist';

const { values: args } = parseArgs({
  options: {
    families: { type: 'string', default: 'conv,dense' },
    samples: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    'wat-from': { type: 'string', default: 'd03f26d' },
  },
});
const samples = Number(args.samples);
const rounds = Number(args.rounds);
tf.enableProdMode();
await loadPlugins();
registerWasmKernels();
await useBackend('wasm');

const { replaceHeapModuleForBenchmark } = await import('../packages/kernels-wasm/dist/heap/heap-kernels.js');
const { HEAP_KERNELS_WASM_BASE64 } = await import('../packages/kernels-wasm/dist/heap/heap-module.js');
const wabtPath = createRequire(new URL('../packages/kernels-wasm/package.json', import.meta.url)).resolve('wabt');
const { default: wabt } = await import(pathToFileURL(wabtPath).href);
const wat = execFileSync('git', ['show', `${args['wat-from']}:packages/core/wasm/heap-kernels.wat`], { encoding: 'utf8', maxBuffer: 1 << 26 });
const parsed = (await wabt()).parseWat('heap-kernels.wat', wat, { simd: true, bulk_memory: true });
// Each build compiled once; an instance per switch (V8 tiers a module's code up once, not per instance).
const builds = {
  WAT: { module: new WebAssembly.Module(parsed.toBinary({}).buffer), memoryModule: 'tfjs' },
  C: { module: new WebAssembly.Module(Uint8Array.from(atob(HEAP_KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0))), memoryModule: 'env' },
};
parsed.destroy();

const { train, test } = await loadMnist({ trainLimit: samples, testLimit: 2000 });
const results = {};
// Round -1 warms up (compilation, first allocations) and is not counted.
for (let round = -1; round < rounds; round++) {
  for (const family of args.families.split(',')) {
    // Alternate which build goes first, so neither always runs on a warmer machine.
    const order = round % 2 === 0 ? ['WAT', 'C'] : ['C', 'WAT'];
    if (round < 0) order.reverse();
    for (const build of order) {
      replaceHeapModuleForBenchmark(builds[build].module, builds[build].memoryModule);
      const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
      const result = await fit(ae, train.reshape(ae.inputShape), { epochs: 1, batchSize: 256, workers: 1, seed: 0 });
      const { loss } = await evaluate(ae, test.reshape(ae.inputShape), { batchSize: 500 });
      ae.dispose?.();
      if (round >= 0) (results[`${family}/${build}`] ??= []).push({ speed: result.samplesPerSecond, loss });
    }
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`training speed, one epoch of ${samples} MNIST images, batch 256, one thread, ${rounds} rounds in turns (Node ${process.version}); median samples/s\n`);
console.log('| family | WAT build | C build | C speed | test loss (WAT) | test loss (C) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const family of args.families.split(',')) {
  const [wasm, c] = ['WAT', 'C'].map((b) => results[`${family}/${b}`]);
  const [a, b] = [median(wasm.map((r) => r.speed)), median(c.map((r) => r.speed))];
  console.log(`| ${family} | ${Math.round(a)} | ${Math.round(b)} | ${(b / a).toFixed(2)}x | ${wasm[0].loss.toFixed(6)} | ${c[0].loss.toFixed(6)} |`);
}
