// Peak memory of training from a folder of images as the folder grows:
// generates folders of 64x64 colour PNGs (10 class folders, in /tmp), then,
// for each size in a fresh Node process, reads the folder with
// loadImageFolder (decoding it once into a cache file, streamed back by
// chunks), trains the dense autoencoder on it for one epoch with the
// trainer's chunk-aware shuffled order, evaluates the test split, and
// reports the process's peak resident memory. Writes bench/results.md.
// Not part of CI.
//
//   node bench/stream-memory.mjs [--sizes 10000,100000] [--dir /tmp/aekit-stream-bench] [--out bench/results.md]
//
// Every size streams from disk (memoryBytes 0), so the comparison is of the
// same code path; the default keeps folders up to 256 MiB decoded in memory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    dir: { type: 'string', default: '/tmp/aekit-stream-bench' },
    out: { type: 'string', default: join(here, 'results.md') },
    child: { type: 'string' },
  },
});

const SIDE = 64;
const CLASSES = 10;

if (args.child) {
  await measure(args.child);
} else {
  const sizes = args.sizes.split(',').map(Number);
  const rows = [];
  for (const n of sizes) {
    const folder = join(args.dir, `images-${n}`);
    const generated = await generate(folder, n);
    console.log(`${n} images in ${folder} (${generated ? `generated in ${generated.toFixed(0)} s` : 'already there'})`);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', folder, '--dir', args.dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`measuring ${n} images failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop());
    console.log(result);
    rows.push({ n, ...result });
  }
  writeResults(rows);
}

/** Writes `n` seeded 64x64 colour PNGs into 10 class folders, unless they are there already. */
async function generate(folder, n) {
  const perClass = Math.ceil(n / CLASSES);
  const complete = existsSync(folder) && readdirSync(folder).length === CLASSES && readdirSync(join(folder, 'class-0')).length === perClass;
  if (complete) return 0;
  const { default: sharp } = await import('sharp');
  const started = Date.now();
  const jobs = [];
  for (let c = 0; c < CLASSES; c++) {
    mkdirSync(join(folder, `class-${c}`), { recursive: true });
    for (let i = 0; i < perClass; i++) jobs.push([c, i]);
  }
  const worker = async () => {
    while (jobs.length > 0) {
      const [c, i] = jobs.pop();
      // Smooth colour blobs whose hue depends on the class and position on the seed: compressible, but every image differs.
      const pixels = Buffer.alloc(SIDE * SIDE * 3);
      const cx = (i * 7919) % SIDE;
      const cy = (i * 104729) % SIDE;
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          const d = Math.hypot(x - cx, y - cy) / SIDE;
          const p = (y * SIDE + x) * 3;
          pixels[p] = Math.round(255 * Math.max(0, 1 - d) * ((c % 3) / 2));
          pixels[p + 1] = Math.round(255 * Math.max(0, 1 - d * 1.5) * (((c + 1) % 3) / 2));
          pixels[p + 2] = Math.round(255 * Math.max(0, 1 - d * 0.7) * (((c + 2) % 3) / 2));
        }
      }
      await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png({ compressionLevel: 3 }).toFile(join(folder, `class-${c}`, `${i}.png`));
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return (Date.now() - started) / 1000;
}

/** In a fresh process: read, train one epoch, evaluate; print peak memory as JSON. */
async function measure(folder) {
  const { loadImageFolder } = await import('@aekit/data-images');
  const { evaluate, fit, registry, useBackend } = await import('@aekit/core');
  const { plugin } = await import('@aekit/models-dense');
  const { registerWasmKernels } = await import('@aekit/kernels-wasm');
  registerWasmKernels();
  await useBackend('wasm');
  registry.use(plugin);
  const rss = () => process.memoryUsage().rss;
  let peakDuringTraining = 0;
  const started = Date.now();
  const data = await loadImageFolder(folder, { memoryBytes: 0, cacheDir: join(args.dir, 'cache'), seed: 0 });
  const readSeconds = (Date.now() - started) / 1000;
  const afterRead = rss();
  const ae = registry.create('dense', { latentDim: 32 }, { seed: 0, dataShape: data.train.exampleShape });
  const train = data.train.reshape(ae.inputShape);
  const result = await fit(ae, train, {
    epochs: 1,
    batchSize: 256,
    seed: 0,
    callbacks: [{ onBatchEnd: () => void (peakDuringTraining = Math.max(peakDuringTraining, rss())) }],
  });
  const test = await evaluate(ae, data.test.reshape(ae.inputShape), { batchSize: 256 });
  const stats = data.train.store.stats;
  console.log(
    JSON.stringify({
      images: data.train.size + data.test.size,
      decodedMB: ((data.train.size + data.test.size) * SIDE * SIDE * 3) / 1e6,
      cacheReused: data.cacheReused,
      readSeconds,
      trainSeconds: result.seconds,
      samplesPerSecond: result.samplesPerSecond,
      trainLoss: result.history[0].loss,
      testLoss: test.loss,
      chunkReads: stats.chunkReads,
      singleReads: stats.singleReads,
      peakCacheMB: stats.peakCachedBytes / 1e6,
      rssAfterReadMB: afterRead / 1e6,
      peakRssTrainingMB: peakDuringTraining / 1e6,
      peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    }),
  );
}

function writeResults(rows) {
  const f = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    '# Peak memory of training from an image folder as it grows',
    '',
    `Written by \`node packages/data-images/bench/stream-memory.mjs --sizes ${rows.map((r) => r.n).join(',')}\` on ${new Date().toISOString().slice(0, 10)}, ` +
      `${cpus().length} cores, ${f(totalmem() / 2 ** 30)} GiB, Node ${process.version}, tfjs wasm backend, on a machine shared with other work (timings are noisy; memory is not).`,
    '',
    'Each row is a fresh process that reads a folder of generated 64x64 colour PNGs in 10 class folders with `loadImageFolder` ' +
      '(streaming from the decoded cache file: `memoryBytes: 0`; the default 64 MiB chunk cache), trains the `dense` autoencoder (latent 32) for one epoch ' +
      '(batch 256, the chunk-aware shuffled order) and evaluates the test split (10%).',
    '',
    '| images | decoded size (MB) | reading (s) | training (s) | samples/s | chunks read | peak chunk cache (MB) | RSS after reading (MB) | peak RSS while training (MB) | peak RSS of the process (MB) | test loss |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${f(r.images)} | ${f(r.decodedMB)} | ${f(r.readSeconds, 1)}${r.cacheReused ? ' (cache reused)' : ''} | ${f(r.trainSeconds, 1)} | ${f(r.samplesPerSecond)} | ${f(r.chunkReads)} | ${f(r.peakCacheMB, 1)} | ${f(r.rssAfterReadMB)} | ${f(r.peakRssTrainingMB)} | ${f(r.peakRssMB)} | ${r.testLoss.toFixed(4)} |`,
    ),
    '',
    rows.length > 1
      ? `From ${f(rows[0].images)} to ${f(rows.at(-1).images)} images (${f(rows.at(-1).images / rows[0].images, 1)}x, ${f(rows[0].decodedMB)} to ${f(rows.at(-1).decodedMB)} MB decoded) the peak RSS went from ${f(rows[0].peakRssMB)} to ${f(rows.at(-1).peakRssMB)} MB (${f(rows.at(-1).peakRssMB / rows[0].peakRssMB, 2)}x).`
      : '',
    '',
  ];
  writeFileSync(args.out, lines.join('\n'));
  console.log(`wrote ${args.out}`);
}
