// Checks of what the build generates, without a browser: the root README's
// package table is the one the packages give, every parameter in the API
// reference has a description, and no page of the built site is also a
// directory (which some static servers, sirv among them, would answer with
// the wrong page).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without types
import { EXAMPLE_REQUIRED, pagesWithoutExampleIn, undescribedParametersIn } from '../scripts/check-api-docs.mjs';
// @ts-expect-error -- a plain ES module script without types
import { allExamples, allPageBlocks, exampleErrors, typescriptBlocksIn } from '../scripts/check-examples.mjs';
// @ts-expect-error -- a plain ES module script without types
import { pictureFragment, resultsSection } from '../scripts/prepare.mjs';
// @ts-expect-error -- a plain ES module script without types
import { drawInference, inferenceMarkdown } from '../../../packages/export-onnx/bench/inference-chart.mjs';
// @ts-expect-error -- a plain ES module script without types
import { drawLoad, loadMarkdown } from '../../../packages/serve/bench/load-chart.mjs';
// @ts-expect-error -- a plain ES module script without types
import { RUNS } from '../scripts/result-pictures.mjs';
// @ts-expect-error -- a plain ES module script without types
import { packageTable, publishedPackages, withPackageTable } from '../scripts/generate-package-table.mjs';

const docs = fileURLToPath(new URL('..', import.meta.url));
const root = join(docs, '..', '..');

describe('the root README package table', () => {
  it('lists every published package, with its package.json description, and --check agrees', () => {
    const packages: { name: string; description: string; dir: string }[] = publishedPackages(join(root, 'packages'));
    const names = packages.map((p) => p.name);
    expect(names).toContain('@aekit/core');
    expect(names).toContain('@aekit/data-documents');
    expect(names).toContain('@aekit/models-documents');
    expect(names).not.toContain('@aekit/docs');
    const table: string = packageTable(packages);
    for (const { name, description } of packages) {
      expect(table).toContain(`| [\`${name}\`](packages/`);
      expect(description).not.toBe('');
    }
    // The script's --check exits non-zero when README.md is out of date.
    const output = execFileSync('node', [join(docs, 'scripts', 'generate-package-table.mjs'), '--check'], { encoding: 'utf8' });
    expect(output).toContain('up to date');
  });

  it('replaces only what is between the markers, and refuses a README without them', () => {
    const readme = 'intro\n<!-- packages:start -->\nold\n<!-- packages:end -->\nrest\n';
    expect(withPackageTable(readme, 'NEW')).toBe('intro\n<!-- packages:start -->\nNEW\n<!-- packages:end -->\nrest\n');
    expect(() => withPackageTable('no markers', 'NEW')).toThrow(/markers/);
  });
});

/** Markdown files under `dir`, fragments (`_generated/`) included. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

type Baselines = { term: string; model: number; mean: number; pca?: { components: number; loss: number } };
type Detection = { points: number; rocAuc: number; rollingZScoreRocAuc?: number };

describe('result pictures', () => {
  const manifest: { runs: Record<string, { page: string; commands: string[]; pictures: { file: string; alt: string }[]; baselines?: Baselines; detection?: Detection; warnings?: { code: string; message: string }[] }> } = JSON.parse(
    readFileSync(join(docs, 'results', 'pictures.json'), 'utf8'),
  );
  const pictureDir = join(docs, 'public', 'images', 'results');

  it('ships exactly the pictures results/pictures.json lists, each made by a run of scripts/result-pictures.mjs', () => {
    const shipped = readdirSync(pictureDir).flatMap((run) => readdirSync(join(pictureDir, run)).map((file) => `/images/results/${run}/${file}`));
    const listed = Object.values(manifest.runs).flatMap((run) => run.pictures.map((p) => p.file));
    expect(shipped.sort()).toEqual([...listed].sort());
    const scripted = RUNS.map((r: { id: string }) => r.id);
    for (const id of Object.keys(manifest.runs)) expect(scripted, `run ${id} of pictures.json`).toContain(id);
  });

  it("each run's pictures are included by the page the manifest names, with a text alternative and the command", async () => {
    for (const [id, run] of Object.entries(manifest.runs)) {
      const page = readFileSync(join(docs, 'guide', `${run.page}.md`), 'utf8');
      expect(page, `guide/${run.page}.md includes pictures-${id}.md`).toMatch(new RegExp(`<!--@include: .*_generated/pictures-${id}\\.md-->`));
      const fragment: string = await pictureFragment(id, run);
      for (const picture of run.pictures) expect(fragment).toContain(`![${picture.alt}](${picture.file}){width=`);
      expect(fragment).toContain(run.commands[0]);
    }
  });

  it("states each run's test loss beside the training mean's and PCA's from its metrics.json, and an anomaly run's ROC AUC beside the rolling z-score's", async () => {
    // Getting-started's loss picture draws the baselines, and its text gives their figures.
    expect(manifest.runs['dense-10'].baselines, 'dense-10 of pictures.json has the baselines of metrics.json').toBeDefined();
    for (const [id, run] of Object.entries(manifest.runs)) {
      const fragment: string = await pictureFragment(id, run);
      if (run.baselines) {
        const { model, mean, pca } = run.baselines;
        expect(fragment, id).toContain(`the autoencoder ${model.toFixed(4)}, the training mean ${mean.toFixed(4)}`);
        if (pca) expect(fragment, id).toContain(`PCA with ${pca.components} components ${pca.loss.toFixed(4)}`);
        const worse = (run.warnings ?? []).filter((w) => w.code.startsWith('no-better-than-'));
        expect(fragment, id).toContain(worse.length === 0 ? "The autoencoder's loss is the lowest." : worse[0].message);
        expect(worse.length > 0 || (model < mean && (!pca || model < pca.loss)), `${id}: a loss above a baseline comes with ae train's warning`).toBe(true);
      }
      if (run.detection) expect(fragment, id).toContain(`the autoencoder ${run.detection.rocAuc.toFixed(3)}`);
    }
    // A model that does not beat PCA is said to lose, in ae train's words, not hidden.
    const message = 'no better than PCA: test bce 0.2000 against 0.1100 for PCA with 32 components';
    const losing = { ...manifest.runs['dense-10'], baselines: { term: 'bce', model: 0.2, mean: 0.26, pca: { components: 32, loss: 0.11 } }, warnings: [{ code: 'no-better-than-pca', message }] };
    const said: string = await pictureFragment('x', losing);
    expect(said).toContain(`\`ae train\` warned: ${message}.`);
    expect(said).not.toContain('is the lowest');
  });
});

type BenchChart = { pkg: string; name: string; page: string; markdown: (figures: unknown) => string; draw: (figures: unknown) => Promise<Buffer> };

describe('the benchmark charts of the ONNX and deploy guides', () => {
  const charts: BenchChart[] = [
    { pkg: 'export-onnx', name: 'inference', page: 'onnx', markdown: inferenceMarkdown, draw: drawInference },
    { pkg: 'serve', name: 'load', page: 'deploy', markdown: loadMarkdown, draw: drawLoad },
  ];
  /** Width and height from a PNG's header. */
  const size = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

  it('are drawn from the figures the bench wrote to results/<name>.json, as is the markdown table beside them', async () => {
    for (const { pkg, name, markdown, draw } of charts) {
      const results = join(root, 'packages', pkg, 'results');
      const figures = JSON.parse(readFileSync(join(results, `${name}.json`), 'utf8'));
      expect(readFileSync(join(results, `${name}.md`), 'utf8'), `packages/${pkg}/results/${name}.md`).toBe(markdown(figures));
      // Redrawn from the JSON, the chart has the committed picture's size (its pixels depend on the fonts at hand).
      expect(size(readFileSync(join(results, `${name}.png`))), `packages/${pkg}/results/${name}.png`).toEqual(size(await draw(figures)));
    }
  });

  it('are shown in the README results section that the guide includes, with a text alternative and the command that regenerates them', () => {
    for (const { pkg, name, page } of charts) {
      const section: string = resultsSection(readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8'));
      const picture = new RegExp(`!\\[([^\\]]{40,})\\]\\(https://github\\.com/aekit/aekit/raw/main/packages/${pkg}/results/${name}\\.png\\)`);
      expect(section, `the Results section of packages/${pkg}/README.md shows results/${name}.png`).toMatch(picture);
      expect(section).toContain(`node packages/${pkg}/bench/${name}.mjs`);
      expect(section).toContain(`node packages/${pkg}/bench/${name}-chart.mjs`);
      expect(readFileSync(join(docs, 'guide', `${page}.md`), 'utf8')).toContain(`<!--@include: ./_generated/${pkg}-results.md-->`);
    }
  });
});

type Example = { file: string; line: number; code: string; fragment?: string };

describe('the TypeScript the documentation shows (scripts/check-examples.mjs)', () => {
  it('the @example blocks of the TSDoc and every ts block of the guides and READMEs compile against the built packages, as a user file would', () => {
    const examples: Example[] = allExamples();
    expect(examples.map((e) => e.file)).toEqual(expect.arrayContaining(['packages/core/src/trainer/fit.ts', 'packages/export-onnx/src/export.ts']));
    const blocks: Example[] = allPageBlocks();
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(['apps/docs/guide/getting-started.md', 'apps/docs/guide/onnx.md', 'README.md', 'packages/models-vae/README.md']));
    // The blocks left out as fragments, each with its reason, in the test's output.
    const fragments = blocks.filter((b) => b.fragment !== undefined);
    for (const b of fragments) console.log(`ts block not compiled: ${b.file}:${b.line}: ${b.fragment}`);
    console.log(`compiled ${examples.length} @example blocks and ${blocks.length - fragments.length} ts blocks of the guides and READMEs; ${fragments.length} fragments left out`);
    expect(fragments.length).toBeLessThan(blocks.length / 4);
    // One broken example and one broken page block among them (one tsc run), each reported at its line in its own file.
    const broken = { file: 'packages/core/src/broken.ts', line: 10, code: "import { fit } from '@aekit/core';\n\nawait fit('not a model');" };
    const page = ['# A page', '', 'Text.', '', '```ts', "import { registry } from '@aekit/core';", '', "registry.create(42);", '```', ''].join('\n');
    const brokenPage = typescriptBlocksIn(page).map((b: Example) => ({ ...b, file: 'apps/docs/guide/broken.md' }));
    const errors: string[] = exampleErrors([...examples, ...blocks, broken, ...brokenPage]);
    expect(errors.filter((e) => e.startsWith('packages/core/src/broken.ts:12: ')).length).toBeGreaterThan(0);
    expect(errors.filter((e) => e.startsWith('apps/docs/guide/broken.md:8: ')).length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith('packages/core/src/broken.ts:12: ') || e.startsWith('apps/docs/guide/broken.md:8: '))).toBe(true);
  });

  it('leaves out a block marked as a fragment, with its reason, and refuses a marker without one or above no ts block', () => {
    const page = ['<!-- ts-check: fragment the line to add to plugin.ts above -->', '', '```ts', 'commands: [describeCommand],', '```', '', '```typescript', 'const x: number = 1;', '```'].join('\n');
    expect(typescriptBlocksIn(page)).toEqual([
      { line: 4, code: 'commands: [describeCommand],', fragment: 'the line to add to plugin.ts above' },
      { line: 8, code: 'const x: number = 1;' },
    ]);
    expect(() => typescriptBlocksIn('<!-- ts-check: fragment -->\n```ts\nx\n```', 'a.md')).toThrow(/a\.md:1: .*fragment <why>/);
    expect(() => typescriptBlocksIn('<!-- ts-check: fragment why -->\n\nText.\n\n```ts\nx\n```', 'a.md')).toThrow(/a\.md:1: .*directly above/);
  });
});

describe('the /guide/ and /demos/ index pages', () => {
  it('link every page of the sidebar', () => {
    const config = readFileSync(join(docs, '.vitepress', 'config.mts'), 'utf8');
    for (const section of ['guide', 'demos']) {
      const index = readFileSync(join(docs, section, 'index.md'), 'utf8');
      const pages = [...config.matchAll(new RegExp(`link: '/${section}/([^']+)'`, 'g'))].map((m) => m[1]);
      expect(pages.length, section).toBeGreaterThan(3);
      for (const page of pages) expect(index, `${section}/index.md links ./${page}`).toContain(`(./${page})`);
    }
  });
});

const generated = join(docs, 'guide', '_generated');

describe.skipIf(!existsSync(generated))('the fragments the guides include', () => {
  it('exist, so that no guide shows an empty place where a table or picture was meant to be', () => {
    const missing: string[] = [];
    for (const file of markdownFiles(join(docs, 'guide'))) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/<!--@include:\s*([^\s>]+?)\s*-->/g)) {
        if (!existsSync(join(dirname(file), target))) missing.push(`${file.slice(docs.length)} includes ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

const api = join(docs, 'api');
const dist = join(docs, '.vitepress', 'dist');

describe.skipIf(!existsSync(api))('the generated API reference', () => {
  it('describes every parameter of every function and method', () => {
    expect(undescribedParametersIn(api)).toEqual([]);
  });

  it(`shows an example on every function and class page of ${EXAMPLE_REQUIRED.join(', ')} (compiled by scripts/check-examples.mjs)`, () => {
    expect(pagesWithoutExampleIn(api)).toEqual([]);
  });

  it('is linked from each guide for every function, class and value its code imports from aekit', () => {
    const pageOf = new Map<string, string>();
    for (const file of markdownFiles(api)) {
      const m = /@aekit[/\\]([\w-]+)[/\\].*(?:functions|classes|variables)[/\\]([^/\\]+)\.md$/.exec(file);
      if (m) pageOf.set(`${m[1]}:${m[2]}`, file.slice(api.length + 1, -3).split('\\').join('/'));
    }
    const unlinked: string[] = [];
    for (const file of markdownFiles(join(docs, 'guide')).filter((f) => !f.includes('_generated'))) {
      const text = readFileSync(file, 'utf8');
      for (const block of typescriptBlocksIn(text) as { code: string }[]) {
        for (const [, names, pkg] of block.code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aekit\/([\w-]+)(?:\/[\w-]+)?'/g)) {
          for (const name of names.split(',').map((n) => n.trim().split(' as ')[0].trim())) {
            const page = pageOf.get(`${pkg}:${name}`);
            if (page && !text.includes(`${page})`) && !text.includes(`${page}.md)`)) unlinked.push(`${file.slice(docs.length)}: ${name} (${page})`);
          }
        }
      }
    }
    expect(unlinked).toEqual([]);
  });

  it('links every function and class page to its source file and line', () => {
    const pages = markdownFiles(api).filter((file) => /[/\\](functions|classes)[/\\]/.test(file));
    expect(pages.length).toBeGreaterThan(100);
    const unlinked = pages.filter((file) => !/Defined in: \[[^\]]+\.ts:\d+\]\(https:\/\/github\.com\/aekit\/aekit\/blob\/main\/packages\/[^)]+\.ts#L\d+\)/.test(readFileSync(file, 'utf8')));
    expect(unlinked.map((file) => file.slice(api.length))).toEqual([]);
  });
});

describe.skipIf(!existsSync(dist))('the built site', () => {
  it('has no page whose address is also a directory of pages', () => {
    const collisions: string[] = [];
    (function walk(dir: string): void {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (!statSync(path).isDirectory()) continue;
        if (existsSync(`${path}.html`) && existsSync(join(path, 'index.html'))) collisions.push(`${path}.html`);
        walk(path);
      }
    })(dist);
    expect(collisions).toEqual([]);
  });

  it('ships the favicon the pages link to', () => {
    expect(existsSync(join(dist, 'favicon.svg'))).toBe(true);
  });
});
