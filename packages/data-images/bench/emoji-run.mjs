// A colour-image run on a real public image set that an npm package ships:
// the 64x64 Twemoji PNGs of `emoji-datasource-twitter` (graphics under
// CC-BY 4.0), one class folder per emoji category (from the package's
// emoji.json, linked into a folder under /tmp), trained through the CLI:
//
//   ae train conv --data <folder> --image-size 32x32 --channels 3 ...
//
// Writes bench/emoji-results.md and copies the run's reconstructions.png
// next to it. Compares the test loss with predicting the mean training
// image for every pixel (the best constant guess), measured on the same
// split by the same loss. Not part of CI.
//
//   node bench/emoji-run.mjs [--epochs 30] [--family conv] [--size 32x32]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '30' },
    family: { type: 'string', default: 'conv' },
    size: { type: 'string', default: '32x32' },
    dir: { type: 'string', default: '/tmp/aekit-emoji' },
  },
});

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('emoji-datasource-twitter/package.json'));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const emoji = JSON.parse(readFileSync(join(pkgDir, 'emoji.json'), 'utf8'));

// One folder per category, the files linked rather than copied.
const folder = join(args.dir, 'images');
rmSync(folder, { recursive: true, force: true });
let count = 0;
for (const e of emoji) {
  if (!e.has_img_twitter) continue;
  const category = e.category.replace(/[^A-Za-z]+/g, '-').toLowerCase();
  mkdirSync(join(folder, category), { recursive: true });
  symlinkSync(join(pkgDir, 'img', 'twitter', '64', e.image), join(folder, category, e.image));
  count++;
}
console.log(`linked ${count} emoji into ${folder}`);

const runDir = join(args.dir, `run-${args.family}`);
rmSync(runDir, { recursive: true, force: true });
const command = ['train', args.family, '--data', folder, '--image-size', args.size, '--channels', '3', '--epochs', args.epochs, '--batch-size', '64', '--seed', '0', '--out', runDir];
const started = Date.now();
execFileSync(process.execPath, [join(root, 'packages', 'cli', 'dist', 'bin', 'ae.js'), ...command], { cwd: root, stdio: 'inherit' });
const wall = (Date.now() - started) / 1000;
const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));

const baseline = await meanImageLoss(folder, metrics);
const picture = `emoji-${args.family}-reconstructions.png`;
copyFileSync(join(runDir, 'reconstructions.png'), join(here, picture));

const f = (x, d = 4) => x.toFixed(d);
const lines = [
  `# ${args.family} on Twemoji at ${args.size} in colour`,
  '',
  `Written by \`node packages/data-images/bench/emoji-run.mjs --family ${args.family} --epochs ${args.epochs} --size ${args.size}\` on ${new Date().toISOString().slice(0, 10)} (a machine shared with other work; timings are noisy).`,
  '',
  `Data: the ${count} emoji images (64x64 colour PNGs, transparency on white) of the npm package \`emoji-datasource-twitter@${version}\` (Twemoji graphics, CC-BY 4.0), ` +
    `in ${new Set(emoji.map((e) => e.category)).size} class folders by emoji category, read with \`--data\` and resized to ${args.size}; a seeded 10% is the test set, 10% of the rest validation.`,
  '',
  `Command: \`ae ${command.join(' ').replace(folder, '<folder>').replace(runDir, '<run>')}\``,
  '',
  '| family | image size | train / val / test images | epochs | test loss (BCE) | mean-image baseline (BCE, same test set) | training samples/s | wall time (s) |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  `| ${args.family} | ${args.size}x3 | ${metrics.trainingSamples} / ${metrics.validationSamples} / ${metrics.testSamples} | ${metrics.epochs} | ${f(metrics.testLoss)} | ${f(baseline)} | ${Math.round(metrics.samplesPerSecond)} | ${Math.round(wall)} |`,
  '',
  `![reconstructions](${picture})`,
  '',
];
writeFileSync(join(here, 'emoji-results.md'), lines.join('\n'));
console.log(lines.join('\n'));

/** BCE of predicting every test image by the mean training image, on the run's own split. */
async function meanImageLoss(dir, run) {
  const { loadImageFolder } = await import('@aekit/data-images');
  const { useBackend, tf } = await import('@aekit/core');
  await useBackend('cpu');
  const [w, h] = args.size.split('x').map(Number);
  const data = await loadImageFolder(dir, { size: { width: w, height: h }, channels: 3, seed: run.seed });
  const all = (d) => Int32Array.from({ length: d.size }, (_, i) => i);
  return tf.tidy(() => {
    const mean = tf.clipByValue(tf.mean(data.train.batch(all(data.train)), 0), 1e-7, 1 - 1e-7);
    const y = data.test.batch(all(data.test));
    const bce = tf.neg(tf.add(tf.mul(y, tf.log(mean)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, mean)))));
    return tf.mean(bce).dataSync()[0];
  });
}
