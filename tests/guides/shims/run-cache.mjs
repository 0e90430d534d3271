// Trained runs shared across the guide test's pages: an `ae train … --out
// DIR` that computes what one run earlier in the same test computed (the
// same arguments once the small limits have replaced the guide's epochs and
// sizes, the same files named in them, and the same data, since training is
// seeded) copies that run's folder and prints its output instead of training
// again. Many pages train the same small MNIST model only to read, evaluate
// or export it; this trains it once. The first page to need a run trains it
// for real; the report names every reused run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { recordEvent } from './events.mjs';
import { aeCommand, QUICK_FLAGS } from './quick-flags.mjs';

/** Options of `ae train` whose guide values the small limits replace: they do not change what runs. */
const REPLACED = new Set(QUICK_FLAGS.train.filter((a) => a.startsWith('--')));

/** How long a page waits for another page that trains the same run, at most (less than a block may take, see guides.test.ts), before training it itself. */
const WAIT_MS = 8 * 60_000;

/** The value of `--out` in `args`, or undefined. */
function outOf(/** @type {string[]} */ args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') return args[i + 1];
    if (args[i].startsWith('--out=')) return args[i].slice('--out='.length);
  }
  return undefined;
}

/** A digest of a file or folder's content (names and bytes). */
function digestPath(/** @type {string} */ path, hash = createHash('sha256')) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      hash.update(`\0${name}\0`);
      digestPath(join(path, name), hash);
    }
  } else hash.update(readFileSync(path));
  return hash;
}

/** The folder `ae train <family>` writes without `--out` (as defaultRunDirectory of packages/cli/src/run-directory.ts names it). */
function defaultOut(/** @type {string} */ family) {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${family}-${stamp}`);
}

/**
 * What a train command computes, as a key, and the folder it writes (named
 * on the command line when the block does not name it, as `ae` would);
 * undefined for a command that is not shared (a resumed run, one that is no
 * training).
 *
 * @param {string[]} typed  the arguments as the block typed them, after `ae`
 * @param {string[]} quick  the same with the small limits
 * @returns {{ key: string, out: string, args: string[] } | undefined}
 */
export function runKey(typed, quick) {
  const { command, index } = aeCommand(typed);
  const family = typed[index + 1];
  if (command !== 'train' || typed.some((a) => a === '--resume' || a.startsWith('--resume=') || a === '--help')) return undefined;
  if (!outOf(typed) && (!family || family.startsWith('-'))) return undefined;
  const out = outOf(typed) ?? defaultOut(family);
  const args = outOf(typed) ? quick : [...quick, '--out', out];
  const repo = realpathSync(process.env.GUIDE_REPO ?? '/');
  const inRepo = (/** @type {string} */ path) => {
    const real = realpathSync(path);
    return real === repo || real.startsWith(repo + sep);
  };
  const words = [];
  for (let i = 0; i < typed.length; i++) {
    const [name] = typed[i].split('=', 1);
    const value = typed[i].includes('=') ? typed[i].slice(name.length + 1) : typed[i + 1];
    // `--plugin ./packages/models-vae` in the checkout names a package `ae` finds among the root's dependencies anyway: the same code.
    const samePlugin = name === '--plugin' && value !== undefined && existsSync(resolve(value)) && inRepo(resolve(value));
    if (REPLACED.has(name) || name === '--out' || samePlugin) {
      if (!typed[i].includes('=')) i++;
      continue;
    }
    words.push(typed[i]);
  }
  words.push(...quick.slice(typed.length));
  const hash = createHash('sha256').update(JSON.stringify(words));
  // Files the command names, by content: a reader's data (stand-ins are the
  // same in every folder). The checkout's own files (links into the
  // repository, which does not change during the test) by name only.
  for (const word of words) {
    const path = resolve(word);
    if (!word || word.startsWith('-') || !existsSync(path)) continue;
    if (inRepo(path) || lstatSync(path).isSymbolicLink()) continue;
    hash.update(`\0${word}\0`);
    digestPath(path, hash);
  }
  return { key: hash.digest('hex').slice(0, 16), out, args };
}

/** `text` with the paths of the run and folder it was trained in replaced by this one's. */
function moved(/** @type {string} */ text, /** @type {{ out: string, cwd: string }} */ from, /** @type {string} */ out) {
  return text.split(from.out).join(resolve(out)).split(from.cwd).join(process.cwd());
}

/** Copies a shared run folder to `out`, with the paths in its JSON files (metrics.json's data) moved here. */
function copyRun(/** @type {string} */ from, /** @type {string} */ out, /** @type {{ out: string, cwd: string }} */ trained) {
  cpSync(from, out, { recursive: true });
  (function rewrite(dir) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) rewrite(path);
      else if (name.endsWith('.json')) writeFileSync(path, moved(readFileSync(path, 'utf8'), trained, out));
    }
  })(out);
}

/**
 * Runs a train command through the shared runs: reuses one when another page
 * trained it already, waits when another page is training it, and otherwise
 * trains and shares the result. Exits with the command's code.
 *
 * @param {string} file  node
 * @param {string[]} script  its arguments before the command's: the ae script
 * @param {{ key: string, out: string, args: string[] }} run  from runKey
 * @param {{ command: string, ran?: string }} what
 */
export async function runShared(file, script, run, what) {
  const args = [...script, ...run.args];
  const shared = join(process.env.GUIDE_SHARED ?? '.', 'runs', run.key);
  mkdirSync(join(shared, '..'), { recursive: true });
  let owner = false;
  try {
    mkdirSync(shared);
    owner = true;
  } catch {
    // another page trains (or trained) it
  }
  if (!owner) {
    const started = Date.now();
    while (!existsSync(join(shared, 'done')) && Date.now() - started < WAIT_MS) await new Promise((r) => setTimeout(r, 500));
    const done = existsSync(join(shared, 'done')) ? JSON.parse(readFileSync(join(shared, 'done'), 'utf8')) : undefined;
    if (done && done.code === 0) {
      copyRun(join(shared, 'run'), run.out, done);
      process.stdout.write(moved(readFileSync(join(shared, 'stdout'), 'utf8'), done, run.out));
      process.stderr.write(moved(readFileSync(join(shared, 'stderr'), 'utf8'), done, run.out));
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      recordEvent({ command: what.command, action: 'reused', code: 0, seconds, reason: done.page, ...(what.ran ? { ran: what.ran } : {}) });
      process.exit(0);
    }
    // The other page failed or is still at it: train here, unshared.
  }
  const started = performance.now();
  const child = spawn(file, args, { stdio: ['inherit', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (chunk) => (out.push(chunk), process.stdout.write(chunk)));
  child.stderr.on('data', (chunk) => (err.push(chunk), process.stderr.write(chunk)));
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
  const code = await new Promise((done) => child.on('close', (c, signal) => done(c ?? (signal ? 128 : 1))));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  recordEvent({ command: what.command, action: 'ran', code, seconds, ...(what.ran ? { ran: what.ran } : {}) });
  if (owner) {
    if (code === 0) {
      cpSync(resolve(run.out), join(shared, 'run'), { recursive: true });
      writeFileSync(join(shared, 'stdout'), Buffer.concat(out));
      writeFileSync(join(shared, 'stderr'), Buffer.concat(err));
    }
    const page = process.env.GUIDE_PAGE ?? relative(process.env.GUIDE_ROOT ?? '.', process.cwd());
    writeFileSync(join(shared, 'done'), JSON.stringify({ code, cwd: process.cwd(), out: resolve(run.out), page }));
  }
  process.exit(code);
}
