// The documents whose code blocks the guide test runs, and their blocks.
//
// A document is a guide page (apps/docs/guide/**, in the order of the site's
// sidebar) or a README (the root's, then the packages', examples' and
// apps'), plus CONTRIBUTING.md. Every fenced block in a shell language is
// run; YAML, JSON, Dockerfile and nginx blocks are checked for syntax; other
// languages (TypeScript, text, output) are not shell and are left alone.
//
// HTML comments (invisible on GitHub and on the site) steer a block; each
// stands directly above the block it steers, with only blank lines between:
//
//   <!-- guide-test: skip <why it cannot run here> -->
//   <!-- guide-test: stand-in photos/ records.csv -->   stand-in data the reader brings, made before the block
//   <!-- guide-test: instead
//   pnpm ae train vae --epochs 1 --out runs/vae-2d
//   -->                                                  a small variant run in place of a block that runs for hours
//
// and one anywhere in a document says that it goes on in the folder of
// another (run after it, in the same folder):
//
//   <!-- guide-test: continues ./onnx.md -->
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Languages of blocks that are run. */
export const SHELL_LANGUAGES = ['bash', 'sh', 'shell', 'zsh'];

/** Languages of blocks that cannot run here and are checked for syntax, by the check that reads them. */
export const CHECKED_LANGUAGES = { yaml: 'yaml', yml: 'yaml', json: 'json', dockerfile: 'dockerfile', nginx: 'nginx' };

/**
 * @typedef {object} Block
 * @property {string} file       the document, relative to the repository root
 * @property {number} line       the line of the opening fence (1-based)
 * @property {string} lang       the fence's language, lower case ('' when none)
 * @property {string} text       the block's content
 * @property {'run' | 'check' | 'skip' | 'other'} kind
 * @property {string} [reason]   why a block is skipped
 * @property {string} [script]   what is run: the block, or the variant of an `instead` marker
 * @property {boolean} [variant] true when `script` is an `instead` variant
 * @property {string} [check]    the syntax check of a `check` block (yaml, json, dockerfile, nginx)
 * @property {string[]} standIns stand-in data made before the block runs
 */

/**
 * @typedef {object} Document
 * @property {string} file            relative to the repository root
 * @property {Block[]} blocks
 * @property {string} [continues]     the document it goes on from, relative to the repository root
 */

/** Guide pages in the order of the site's sidebar, then any the sidebar does not list. */
export function guidePages(repo = REPO) {
  const guide = join(repo, 'apps/docs/guide');
  if (!existsSync(guide)) return [];
  const all = (function walk(dir) {
    return readdirSync(dir)
      .sort()
      .flatMap((name) => {
        if (name.startsWith('_')) return []; // fragments included by pages
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return walk(path);
        return name.endsWith('.md') ? [relative(repo, path)] : [];
      });
  })(guide);
  const config = join(repo, 'apps/docs/.vitepress/config.mts');
  const linked = existsSync(config) ? [...readFileSync(config, 'utf8').matchAll(/link: '\/(guide\/[^']+)'/g)].map((m) => `apps/docs/${m[1]}.md`) : [];
  const ordered = [...new Set(linked.filter((file) => all.includes(file)))];
  return [...ordered, ...all.filter((file) => !ordered.includes(file))];
}

/** Documents the test does not read, and why (listed in its report). */
export const NOT_READ = {
  'examples/plugin-template/README.md':
    "the scaffold's own README, rendered from packages/cli/template/plugin (a marker there would land in every new plugin); the plugins guide runs its steps on a fresh scaffold",
};

/** READMEs in reading order: the root's, CONTRIBUTING.md, then each package's, example's, app's and test's. */
export function readmes(repo = REPO) {
  const files = ['README.md', 'CONTRIBUTING.md'];
  for (const group of ['packages', 'examples', 'apps', 'tests']) {
    const dir = join(repo, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (existsSync(join(dir, name, 'package.json')) && existsSync(join(dir, name, 'README.md'))) files.push(`${group}/${name}/README.md`);
    }
  }
  return files.filter((file) => existsSync(join(repo, file)) && !(file in NOT_READ));
}

/** Every document, guides first, parsed. */
export function allDocuments(repo = REPO) {
  return [...guidePages(repo), ...readmes(repo)].map((file) => parseDocument(file, readFileSync(join(repo, file), 'utf8'), repo));
}

const MARKER = /<!--\s*guide-test:\s*([\s\S]*?)-->/g;

/** Line (1-based) of a character offset. */
function lineAt(text, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parses a document's fenced blocks and guide-test markers.
 *
 * @param {string} file  the document's path relative to the repository root
 * @param {string} text  its content
 * @param {string} [repo]
 * @returns {Document}
 */
export function parseDocument(file, text, repo = REPO) {
  const lines = text.split('\n');
  const fences = fencedRanges(lines);
  /** @type {{ start: number, end: number, body: string }[]} */
  const markers = [...text.matchAll(MARKER)]
    .map((m) => ({ start: lineAt(text, m.index), end: lineAt(text, m.index + m[0].length - 1), body: m[1].trim() }))
    // A marker shown inside a code block (as in the guide test's README) is an example, not a marker.
    .filter((m) => !fences.some((f) => m.start > f.open && m.start < f.close));
  /** @type {string | undefined} */
  let continues;
  const blockMarkers = [];
  for (const marker of markers) {
    const [directive, ...rest] = marker.body.split(/\s+/);
    if (directive === 'continues') {
      const target = relative(repo, resolve(repo, dirname(file), rest.join(' ')));
      if (!existsSync(join(repo, target))) throw new Error(`${file}:${marker.start}: guide-test continues ${rest.join(' ')}: no such document`);
      continues = target;
    } else if (['skip', 'stand-in', 'instead'].includes(directive)) {
      blockMarkers.push(marker);
    } else {
      throw new Error(`${file}:${marker.start}: unknown guide-test directive '${directive}' (skip, stand-in, instead, continues)`);
    }
  }

  /** @type {(Block & { markers: object[] })[]} */
  const blocks = [];
  for (const { open: i, close: end, indent, info } of fences) {
    const body = lines
      .slice(i + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
      .join('\n');
    const lang = info.toLowerCase();
    const line = i + 1;
    // The markers directly above: only blank lines and markers between them and the fence.
    const mine = [];
    let above = i - 1;
    while (above >= 0) {
      if (lines[above].trim() === '') {
        above--;
        continue;
      }
      const marker = blockMarkers.find((m) => m.end === above + 1);
      if (!marker) break;
      mine.push(marker);
      above = marker.start - 2;
    }
    blocks.push(classify(file, line, lang, body, mine.reverse()));
  }
  const attached = new Set(blocks.flatMap((b) => b.markers));
  for (const marker of blockMarkers) {
    if (!attached.has(marker)) throw new Error(`${file}:${marker.start}: a guide-test marker must stand directly above the block it steers`);
  }
  return { file, blocks: blocks.map(({ markers: _, ...block }) => block), ...(continues ? { continues } : {}) };
}

/**
 * The fenced blocks of a document's lines: 0-based lines of the opening and
 * closing fences, the fence's indentation and its info string.
 *
 * @param {string[]} lines
 */
function fencedRanges(lines) {
  const ranges = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`{]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let close = i + 1;
    while (close < lines.length && !closing.test(lines[close])) close++;
    ranges.push({ open: i, close, indent, info });
    i = close;
  }
  return ranges;
}

/** @returns {Block & { markers: object[] }} */
function classify(file, line, lang, text, markers) {
  /** @type {Block & { markers: object[] }} */
  const block = { file, line, lang, text, kind: 'other', standIns: [], markers };
  const shell = SHELL_LANGUAGES.includes(lang);
  for (const { body, start } of markers) {
    const [directive] = body.split(/\s+/, 1);
    const rest = body.slice(directive.length).trim();
    if (!shell && directive !== 'skip') throw new Error(`${file}:${start}: guide-test ${directive} steers a shell block, not a ${lang || 'plain'} one`);
    if (directive === 'skip') {
      if (!rest) throw new Error(`${file}:${start}: guide-test skip needs a reason`);
      block.reason = rest;
    } else if (directive === 'stand-in') {
      block.standIns.push(...rest.split(/\s+/).filter(Boolean));
    } else if (directive === 'instead') {
      if (!rest) throw new Error(`${file}:${start}: guide-test instead needs the commands to run`);
      block.script = rest;
      block.variant = true;
    }
  }
  if (block.reason) block.kind = 'skip';
  else if (shell) {
    block.kind = 'run';
    block.script ??= text;
  } else if (lang in CHECKED_LANGUAGES) {
    block.kind = 'check';
    block.check = CHECKED_LANGUAGES[/** @type {keyof typeof CHECKED_LANGUAGES} */ (lang)];
  }
  return block;
}

/**
 * Documents grouped into chains that share a folder: a document that
 * `continues` another runs after it, in its folder; every other document
 * starts its own chain. Chains are independent of each other.
 *
 * @param {Document[]} documents
 * @returns {Document[][]}
 */
export function chains(documents) {
  const byFile = new Map(documents.map((d) => [d.file, d]));
  /** @param {Document} d @returns {Document} */
  const root = (d) => {
    const seen = new Set();
    while (d.continues && byFile.has(d.continues)) {
      if (seen.has(d.file)) throw new Error(`guide-test continues loops through ${d.file}`);
      seen.add(d.file);
      d = /** @type {Document} */ (byFile.get(d.continues));
    }
    return d;
  };
  /** @type {Map<string, Document[]>} */
  const groups = new Map();
  for (const d of documents) {
    const key = root(d).file;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  // Within a chain a document comes after the one it continues (reading order otherwise).
  return [...groups.values()].map((group) => {
    const ordered = [];
    const pending = [...group];
    while (pending.length > 0) {
      const next = pending.findIndex((d) => !d.continues || ordered.some((o) => o.file === d.continues) || !group.some((g) => g.file === d.continues));
      ordered.push(...pending.splice(next === -1 ? 0 : next, 1));
    }
    return ordered;
  });
}

/** Counts of the blocks by what the test does with them. */
export function blockCounts(documents) {
  const blocks = documents.flatMap((d) => d.blocks);
  const count = (/** @type {string} */ kind) => blocks.filter((b) => b.kind === kind).length;
  return { run: count('run'), variants: blocks.filter((b) => b.variant).length, checked: count('check'), skipped: count('skip'), documents: documents.length };
}
