// The assembly of one training batch of MNIST images kept as bytes, alone:
// today's JavaScript path (a loop into a new Float32Array, then tf.tensor
// copying it onto the wasm heap), aekit's wasm kernel (the loop writing
// straight into the heap tensor) and the native kernel (one addon call), in
// turns in one process (and, for the wasm kernel's choice of a SIMD pass,
// core's loop writing straight into the heap tensor instead) on the native backend; median ms a batch and ratios.
//
//   node packages/kernels-native/bench/batch-assembly.mjs [batchSizes] [rounds] [batchesPerRound]
//   e.g. node packages/kernels-native/bench/batch-assembly.mjs 256,1024 15 50
import { shuffledIndices, tf, unitFloatsFromBytes, useBackend } from '@aekit/core';
import { UNIT_FLOATS_FROM_BYTES, unitFloatsInto } from '@aekit/core/kernels';
import { loadMnist } from '@aekit/data-mnist';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const [sizesText = '256,1024', roundsText = '15', batchesText = '50'] = process.argv.slice(2);
const [rounds, batches] = [Number(roundsText), Number(batchesText)];
tf.enableProdMode();
registerWasmKernels();
await useBackend('wasm');
const wasmKernel = tf.getKernel(UNIT_FLOATS_FROM_BYTES, 'wasm');
await import('@aekit/kernels-native');
await useBackend('native');
const nativeKernel = tf.getKernel(UNIT_FLOATS_FROM_BYTES, 'wasm');
if (!wasmKernel || !nativeKernel || wasmKernel === nativeKernel) throw new Error('the native backend did not wrap the wasm kernel');

const { train } = await loadMnist();
const bytes = train.pixels; // private in TypeScript: the dataset's bytes, as its batch reads them
const per = 784;
const order = shuffledIndices(train.size, 0);

/** Main's ByteImageDataset.batch: a loop into a Float32Array, then tf.tensor. */
function javascript(rows) {
  const out = new Float32Array(rows.length * per);
  for (let n = 0; n < rows.length; n++) {
    const start = rows[n] * per;
    const offset = n * per;
    for (let p = 0; p < per; p++) out[offset + p] = bytes[start + p] / 255;
  }
  return tf.tensor(out, [rows.length, 28, 28, 1], 'float32');
}

/** The wasm kernel's alternative, measured against its SIMD pass: core's loop writing straight into the heap tensor. */
const heapLoopKernel = {
  ...wasmKernel,
  kernelFunc: ({ backend, attrs }) => {
    const out = backend.makeOutput(attrs.shape, 'float32');
    unitFloatsInto(attrs, backend.typedArrayFromHeap(out));
    return out;
  },
};

const use = (config) => {
  tf.unregisterKernel(UNIT_FLOATS_FROM_BYTES, 'wasm');
  tf.registerKernel(config);
};
const ways = {
  javascript,
  heapLoop: (rows) => (use(heapLoopKernel), unitFloatsFromBytes(bytes, rows, per, [rows.length, 28, 28, 1])),
  wasm: (rows) => (use(wasmKernel), unitFloatsFromBytes(bytes, rows, per, [rows.length, 28, 28, 1])),
  native: (rows) => (use(nativeKernel), unitFloatsFromBytes(bytes, rows, per, [rows.length, 28, 28, 1])),
};

// The same floats every way, bit for bit.
const check = Int32Array.from(order.subarray(0, 64));
const reference = ways.javascript(check).dataSync();
for (const [name, way] of Object.entries(ways)) {
  const got = way(check).dataSync();
  if (!got.every((v, i) => Object.is(v, reference[i]))) throw new Error(`${name} differs from the JavaScript path`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const results = [];
for (const size of sizesText.split(',').map(Number)) {
  const rowsOf = (b) => Int32Array.from(order.subarray((b * size) % (train.size - size), ((b * size) % (train.size - size)) + size));
  const msPerBatch = (way) => {
    const start = performance.now();
    for (let b = 0; b < batches; b++) way(rowsOf(b)).dispose();
    return (performance.now() - start) / batches;
  };
  for (const way of Object.values(ways)) msPerBatch(way); // warm-up
  const names = Object.keys(ways);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order, so that none always follows another.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      times[name].push(msPerBatch(ways[name]));
    }
  }
  const ms = Object.fromEntries(names.map((n) => [n, Number(median(times[n]).toFixed(4))]));
  results.push({
    batchSize: size,
    rounds,
    batchesPerRound: batches,
    msPerBatch: ms,
    javascriptOverWasm: Number(median(times.javascript.map((t, i) => t / times.wasm[i])).toFixed(2)),
    javascriptOverNative: Number(median(times.javascript.map((t, i) => t / times.native[i])).toFixed(2)),
    heapLoopOverWasm: Number(median(times.heapLoop.map((t, i) => t / times.wasm[i])).toFixed(2)),
    wasmOverNative: Number(median(times.wasm.map((t, i) => t / times.native[i])).toFixed(2)),
  });
}
for (const r of results) console.log(JSON.stringify(r));
