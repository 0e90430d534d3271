// Build step before TypeDoc and VitePress:
//
// 1. copies the tfjs wasm backend's binaries into public/tfjs-wasm/, from
//    where the demos load them when a browser has no WebGL (setWasmPaths in
//    .vitepress/theme/lib/tfjs.ts);
// 2. copies the "Results" section of each package README into
//    guide/_generated/<package>-results.md, which the family guides include,
//    so that the guides show the packages' measured tables and cannot drift
//    from them. A section that is missing or still a placeholder becomes a
//    note that the results are not measured yet. Pictures the section shows
//    are copied to public/images/packages/<package>/;
// 3. imports every plugin package under packages/ (the `aekit-plugin`
//    keyword) and writes its families to guide/_generated/families.json
//    (read by .vitepress/config.mts for the home page's count) and
//    guide/_generated/families.md (the table the autoencoders guide
//    includes), so that neither can drift from the code.
//
// 4. writes guide/_generated/pictures-<run>.md for every run of
//    results/pictures.json (made by scripts/result-pictures.mjs): the run's
//    pictures with their sizes and alt texts, and the command that made them.
//
// All outputs are generated at build time and git-ignored.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(docs, '..', '..', 'packages');

async function copyWasm() {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const target = join(docs, 'public', 'tfjs-wasm');
  await mkdir(target, { recursive: true });
  const files = (await readdir(dist)).filter((name) => name.endsWith('.wasm'));
  if (files.length === 0) throw new Error(`no .wasm files in ${dist}`);
  for (const name of files) await copyFile(join(dist, name), join(target, name));
  console.log(`prepare: copied ${files.join(', ')} to public/tfjs-wasm/`);
}

/** The text of a README's `## Results` section (without its heading), or undefined. */
export function resultsSection(readme) {
  const match = /^## Results[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  return match?.[1].trim();
}

/** A line that stands for a table not measured yet, such as RESULTS_TABLE. */
const PLACEHOLDER = /^\s*(RESULTS[A-Z_]*|TODO|TBD)\s*$/;

/** True when a section holds no measured results at all (missing, empty, or only placeholders). */
export function isPlaceholder(section) {
  return section === undefined || section.split('\n').every((line) => line.trim() === '' || PLACEHOLDER.test(line));
}

async function packageResults(name) {
  const dir = join(packagesDir, name);
  const readmeFile = join(dir, 'README.md');
  const readme = existsSync(readmeFile) ? await readFile(readmeFile, 'utf8') : undefined;
  const section = readme === undefined ? undefined : resultsSection(readme);
  if (isPlaceholder(section)) {
    return `::: info Not measured yet\nThe full-scale results of \`@aekit/${name}\` are not measured yet; this page shows them as soon as the package's README has its results table.\n:::\n`;
  }
  // A placeholder among measured tables: say which table is still missing.
  let text = section
    .split('\n')
    .map((line) => (PLACEHOLDER.test(line) ? '*Not measured yet.*' : line))
    .join('\n');
  // Pictures: copy them next to the site and point at the copies.
  const images = [...text.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)];
  for (const [whole, alt, path] of images) {
    // Package READMEs link pictures absolutely (so they show on a registry page); copy the repository's file.
    const repoPath = /^https:\/\/github\.com\/aekit\/aekit\/(?:raw|blob)\/main\/(.+)$/.exec(path)?.[1];
    if (!repoPath && /^[a-z]+:/i.test(path)) continue;
    const source = repoPath ? join(docs, '..', '..', repoPath) : join(dir, path);
    if (!existsSync(source)) {
      text = text.replace(whole, `*(picture ${alt || path} not found)*`);
      continue;
    }
    const target = join(docs, 'public', 'images', 'packages', name);
    await mkdir(target, { recursive: true });
    await copyFile(source, join(target, basename(path)));
    text = text.replace(whole, `![${alt}](/images/packages/${name}/${basename(path)})`);
  }
  // Other relative links point into the repository, not the site: show the path.
  text = text.replace(/(?<!!)\[([^\]]+)\]\((?![a-z]+:|#)([^)\s]+)\)/gi, (_, label, path) => `${label} (\`${posix.join('packages', name, path)}\`)`);
  return `${text}\n\n<p class="ae-source">From the Results section of <code>packages/${name}/README.md</code>.</p>\n`;
}

async function copyResults() {
  const target = join(docs, 'guide', '_generated');
  await mkdir(target, { recursive: true });
  const names = existsSync(packagesDir) ? (await readdir(packagesDir)).filter((n) => existsSync(join(packagesDir, n, 'package.json'))) : [];
  for (const name of names) await writeFile(join(target, `${name}-results.md`), await packageResults(name));
  console.log(`prepare: results sections of ${names.length} packages in guide/_generated/`);
}

/**
 * The families of every plugin package under `dir`, sorted by name:
 * `{ name, description, package }`. Imports each package's built main entry.
 */
export async function pluginFamilies(dir) {
  const families = [];
  for (const name of (await readdir(dir)).sort()) {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(await readFile(file, 'utf8'));
    if (!(json.keywords ?? []).includes('aekit-plugin')) continue;
    const main = join(dir, name, json.main ?? 'dist/index.js');
    if (!existsSync(main)) throw new Error(`${json.name} is not built (${main} is missing): build the packages before the docs`);
    const { plugin } = await import(pathToFileURL(main).href);
    for (const family of plugin.families ?? []) families.push({ name: family.name, description: family.description, package: json.name });
  }
  return families.sort((a, b) => a.name.localeCompare(b.name));
}

async function writeFamilies() {
  const families = await pluginFamilies(packagesDir);
  const target = join(docs, 'guide', '_generated');
  await mkdir(target, { recursive: true });
  await writeFile(join(target, 'families.json'), `${JSON.stringify(families, null, 2)}\n`);
  const rows = families.map((f) => `| \`${f.name}\` | [\`${f.package}\`](../api/${f.package}/) | ${f.description.replace(/\|/g, '\\|')} |`);
  await writeFile(join(target, 'families.md'), ['| family | package | what it is |', '| --- | --- | --- |', ...rows, ''].join('\n'));
  console.log(`prepare: ${families.length} families of the plugin packages in guide/_generated/families.*`);
}

/** Width and height of a PNG file, from its header. */
export async function pngSize(file) {
  const header = (await readFile(file)).subarray(16, 24);
  return { width: header.readUInt32BE(0), height: header.readUInt32BE(4) };
}

/**
 * The sentence that sets a run's test loss beside its baselines (metrics.json
 * `baselines`: the reconstruction term of the model, of the training mean and
 * of PCA at the code's size, on the same test data), with what `ae train`
 * warned of (metrics.json `warnings`), which is where a model no better than
 * a baseline is said (core's `diagnoseRun` decides that, with its margin).
 *
 * @param {{ term: string, model: number, mean: number, pca?: { components: number, loss: number } } | undefined} baselines
 * @param {{ code: string, message: string }[]} [warnings]
 * @returns {string | undefined}
 */
export function baselineSentence(baselines, warnings = []) {
  if (!baselines) return undefined;
  const { term, model, mean, pca } = baselines;
  const others = [`the training mean ${mean.toFixed(4)}`, ...(pca ? [`PCA with ${pca.components} components ${pca.loss.toFixed(4)}`] : [])];
  const beaten = !warnings.some((w) => w.code.startsWith('no-better-than-'));
  const verdict = beaten ? " The autoencoder's loss is the lowest." : '';
  const warned = warnings.map((w) => ` \`ae train\` warned: ${w.message}.`).join('');
  return `**Beside the baselines** (test ${term.toUpperCase()} on the same test data): the autoencoder ${model.toFixed(4)}, ${others.join(', ')}.${verdict}${warned}`;
}

/**
 * The sentence that sets an anomaly run's ROC AUC (score-metrics.json) beside
 * the rolling z-score's on the same points.
 *
 * @param {{ points: number, flaggedPoints?: number, rocAuc?: number, windowRocAuc?: number, rollingZScoreRocAuc?: number } | undefined} detection
 * @returns {string | undefined}
 */
export function detectionSentence(detection) {
  if (detection?.rocAuc === undefined) return undefined;
  const { points, anomalies, flaggedPoints, rocAuc, windowRocAuc, rollingZScoreRocAuc, warnings = [] } = detection;
  const counts = [anomalies === undefined ? '' : `${anomalies.toLocaleString('en')} anomalous`, flaggedPoints === undefined ? '' : `${flaggedPoints.toLocaleString('en')} flagged`].filter(Boolean);
  const windows = windowRocAuc === undefined ? '' : ` (per window ${windowRocAuc.toFixed(3)})`;
  const baseline = rollingZScoreRocAuc === undefined ? '' : `, the rolling z-score ${rollingZScoreRocAuc.toFixed(3)}`;
  const verdict =
    rollingZScoreRocAuc === undefined ? '' : rocAuc > rollingZScoreRocAuc ? ' The autoencoder ranks the anomalies better.' : ' The rolling z-score ranks the anomalies as well or better here.';
  // What ae score warned of stays beside the figures (a threshold that flags too many normal points, say).
  const warned = warnings.map((w) => ` \`ae score\` warned: ${w}.`).join('');
  return `**Beside the baseline** (ROC AUC per point against the injected anomalies, on ${points.toLocaleString('en')} test points${counts.length ? `, ${counts.join(', ')}` : ''}): the autoencoder ${rocAuc.toFixed(3)}${windows}${baseline}.${verdict}${warned}`;
}

/** The markdown of a run's pictures (results/pictures.json), for the guide that includes it. */
export async function pictureFragment(id, run) {
  const figures = [];
  for (const picture of run.pictures) {
    const { width, height } = await pngSize(join(docs, 'public', picture.file));
    const name = basename(picture.file);
    figures.push(`![${picture.alt}](${picture.file}){width=${width} height=${height} loading=lazy}\n\n*\`${name}\`: ${picture.alt}.*`);
  }
  const samples = (n) => (n === undefined ? '' : ` on ${n.toLocaleString('en')}`);
  const loss = run.testLoss === undefined ? '' : `, test loss ${run.testLoss.toFixed(4)}${samples(run.testSamples)} test examples`;
  const commands = run.commands.map((c) => `<code>${c}</code>`).join(', then ');
  const source = `<p class="ae-source">From ${commands} (${run.epochs} epochs${samples(run.trainSamples)} training examples on ${run.backend}${loss}), run by <code>node apps/docs/scripts/result-pictures.mjs ${id}</code> on ${run.ran}.</p>`;
  const sentences = [baselineSentence(run.baselines, run.warnings), detectionSentence(run.detection)].filter(Boolean).map((line) => `${line}\n\n`);
  return `<div class="ae-results">\n\n${figures.join('\n\n')}\n\n${sentences.join('')}${source}\n\n</div>\n`;
}

async function writePictures() {
  const manifestFile = join(docs, 'results', 'pictures.json');
  const { runs } = existsSync(manifestFile) ? JSON.parse(await readFile(manifestFile, 'utf8')) : { runs: {} };
  const target = join(docs, 'guide', '_generated');
  await mkdir(target, { recursive: true });
  for (const [id, run] of Object.entries(runs)) await writeFile(join(target, `pictures-${id}.md`), await pictureFragment(id, run));
  console.log(`prepare: pictures of ${Object.keys(runs).length} runs in guide/_generated/pictures-*.md`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await copyWasm();
  await copyResults();
  await writeFamilies();
  await writePictures();
}
