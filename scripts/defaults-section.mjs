// The root README's section between the `defaults-results` markers, from
// results/defaults/results.json (written by scripts/defaults-results.mjs).
// Every figure comes from that file; the verdicts are computed, not typed.
//
//   node scripts/defaults-section.mjs          rewrites the README's section
//   node scripts/defaults-section.mjs --check  exits 1 when it is stale
// A cli test runs the check.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- defaults-results:start -->';
const END = '<!-- defaults-results:end -->';

const f4 = (x) => (x === undefined || x === null ? '–' : x.toFixed(4));
const f2 = (x) => (x === undefined || x === null ? '–' : x.toFixed(2));
const median = (xs) => {
  const v = xs.filter((x) => x !== undefined && x !== null).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : undefined;
};

/** How a loss compares with a baseline's, lower being better, with the 1% margin the run warnings use. */
function lossVerdict(model, baseline, name) {
  if (baseline === undefined) return '';
  const change = (baseline - model) / baseline;
  if (change >= 0.01) return `${Math.round(change * 100)}% below ${name}`;
  if (change > -0.01) return `ties ${name}`;
  return `**${Math.round(-change * 100)}% above ${name}**`;
}

/** How an AUC compares with the best baseline's. */
function aucVerdict(model, baselines) {
  const [name, best] = baselines.filter(([, v]) => v !== undefined).reduce((a, b) => (b[1] > a[1] ? b : a), ['', -1]);
  if (best < 0) return '';
  if (model > best + 0.005) return `beats ${name}`;
  if (model >= best - 0.005) return `ties ${name}`;
  return `**below ${name}**`;
}

/**
 * The README section.
 *
 * @param results - The contents of results/defaults/results.json.
 */
export function defaultsSection(results) {
  const lines = [
    `Measured by \`nice node scripts/defaults-results.mjs\` (${results.seeds} seeds, medians shown; every run's figures and the exact commands in [results/defaults/results.json](results/defaults/results.json)). Each \`ae train\` below was given only \`--data\`, \`--label\` and \`--skip-bad\` (for rows with missing values): the code size, batch size, number of epochs and early stopping came from the family's defaults and the data. The baselines are the ones every run now prints and keeps in \`metrics.json\`: always answering the training mean, and PCA with as many components as the code has values, fitted to the same training rows and scored on the same test rows by the same loss. Bold marks where the model does not beat a baseline.`,
    '',
    '| table (vega-datasets) | family | code | epochs (best) | test MSE | training mean | PCA | against PCA |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of results.tables) {
    const r = row.runs;
    const loss = median(r.map((x) => x.testLoss));
    const pca = median(r.map((x) => x.pca));
    lines.push(
      `| ${row.name}: ${r[0].trainingRows} training + ${r[0].testRows} test rows, ${r[0].features} features, label ${row.label} | \`${row.family}\` | ${r[0].latentDim} | ${median(r.map((x) => x.epochs))} (${median(r.map((x) => x.bestEpoch))}) | ${f4(loss)} | ${f4(median(r.map((x) => x.mean)))} | ${f4(pca)} | ${lossVerdict(loss, pca, 'PCA')} |`,
    );
  }
  lines.push('', '| anomalies (trained on normal rows only) | family | ROC AUC of `ae score` | distance to the training mean | PCA error | isolation forest | verdict |', '| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const row of results.anomaly) {
    const r = row.runs;
    const auc = median(r.map((x) => x.rocAuc));
    const baselines = [
      ['distance to the mean', median(r.map((x) => x.distanceToMean))],
      ['PCA error', median(r.map((x) => x.pca))],
      ['isolation forest', median(r.map((x) => x.isolationForest))],
    ];
    lines.push(`| ${row.name} (${r[0].anomalies} of ${r[0].items} test rows) | \`${row.family}\` | ${f4(auc)} | ${baselines.map(([, v]) => f4(v)).join(' | ')} | ${aucVerdict(auc, baselines)} |`);
  }
  if (results.images.length) {
    const any = results.images[0];
    lines.push(
      '',
      `Colour images: the ${any.testImages} test images of the 1,911 Twemoji of \`emoji-datasource-twitter\` (CC-BY 4.0), read as 32x32 colour with \`--data <folder> --image-size 32x32 --channels 3\`, before (the MNIST tutorials' settings the families had) and after (today's defaults, which follow the image size). PSNR and SSIM of the reconstructions against the originals; the mean training image scores ${f2(any.meanImagePsnr)} dB and ${f4(any.meanImageSsim)}.`,
      '',
      '| family | settings | epochs | code | PSNR (dB) | SSIM | test reconstruction loss | training mean | PCA | warnings |',
      '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const v of results.images) {
      const code = v.family === 'conv-vae' ? `${v.config.latentDim}-D latent (KL ${f2(v.kl)} nats)` : `${v.config.encoderFilters.join('-')} filters`;
      const pca = v.pca ? `${f4(v.pca.loss)} (${v.pca.components})` : '–';
      lines.push(`| \`${v.family}\` | ${v.when}: ${v.when === 'after' ? 'defaults' : `\`${v.settings}\``} | ${v.epochs} | ${code} | ${f2(v.psnr)} | ${f4(v.ssim)} | ${f4(v.reconstruction)} | ${f4(v.mean)} | ${pca} | ${v.warnings.join(', ') || 'none'} |`);
    }
    lines.push('', ...results.images.map((v) => `![${v.family} ${v.when}: test images above their reconstructions](results/defaults/${v.picture})`));
  }
  if (results.mnist?.length) {
    lines.push(
      '',
      `MNIST, where the families' defaults came from (the tutorials' architectures stay the default at 28x28x1): \`ae train <family>\` with no flag (a step budget, early stopping, the best epoch's weights), one seed, on the 10,000 test digits, against the figure each family's README measured earlier with the tutorials' fixed number of epochs. The test loss is binary cross-entropy per pixel, and for \`vae\` the negative ELBO in nats per image; the baselines score the reconstruction by the same term.`,
      '',
      '| family | epochs (best), batch | test loss | reconstruction | training mean | PCA | earlier | against earlier | warnings |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    );
    for (const m of results.mnist) {
      const pca = m.pca ? `${f4(m.pca.loss)} (${m.pca.components})` : '–';
      const change = (m.testLoss - m.earlier.testLoss) / m.earlier.testLoss;
      const against = Math.abs(change) < 0.01 ? 'same' : change < 0 ? `${Math.round(-change * 100)}% lower` : `**${Math.round(change * 100)}% higher**`;
      lines.push(
        `| \`${m.family}\` | ${m.epochs} (${m.bestEpoch}), ${m.batchSize} | ${f4(m.testLoss)} | ${f4(m.reconstruction)} ${m.term} | ${f4(m.mean)} | ${pca} | ${m.earlier.testLoss} (${m.earlier.how}, [README](${m.earlier.where})) | ${against} | ${m.warnings.join(', ') || 'none'} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Writes the README's section from results/defaults/results.json.
 *
 * @param check - Only say whether the section is stale (returns true when it is).
 */
export function writeDefaultsSection(check = false) {
  const results = JSON.parse(readFileSync(join(root, 'results', 'defaults', 'results.json'), 'utf8'));
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  const next = `${text.slice(0, start + START.length)}\n${defaultsSection(results)}\n${text.slice(end)}`;
  if (!check && next !== text) writeFileSync(readme, next);
  return next !== text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = writeDefaultsSection(check);
  if (check && stale) {
    console.error('the README section between the defaults-results markers is stale; run node scripts/defaults-section.mjs');
    process.exit(1);
  }
  if (stale) console.log('wrote the defaults section of README.md');
}

