// Reliability trials at scale (not part of CI; the fast versions are the
// cli's hostile-files, corrupt-files and reliability tests):
//
//   1. kill/resume: runs killed at random moments (SIGKILL, Ctrl-C, a double
//      Ctrl-C, SIGTERM; some of them while a checkpoint's temporary file is
//      half written) and resumed until they finish; every finished run must
//      reach the weights of an uninterrupted one, byte for byte, and leave
//      no temporary file.
//   2. fuzzed commands: random ae command lines (valid and invalid values,
//      hostile paths); each must exit 0, or print one line and exit 1 (2 for
//      a usage error), never a stack trace or "unexpected error".
//   3. fuzzed files: a run directory with one file damaged (model.json,
//      metrics.json, a checkpoint's state.json, weights or optimizer state)
//      read by ae eval, score, export and train --resume; same rule.
//
// Writes bench/reliability-results.md and .json (counts, with this command).
//
//   node scripts/reliability-trials.mjs [--trials 20] [--commands 200] [--files 150] [--seed 1] [--jobs 2]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    commands: { type: 'string', default: '200' },
    files: { type: 'string', default: '150' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/reliability-results' },
  },
});
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'packages/cli/dist/bin/ae.js');
const PLUGIN = join(REPO, 'packages/cli/test/fixtures/tiny-plugin');
const FAULTS = join(REPO, 'packages/cli/test/fixtures/file-faults.mjs');
const COMMAND = `node scripts/reliability-trials.mjs ${process.argv.slice(2).join(' ')}`.trim();
// Generous: on a shared machine a start of node and tfjs alone can take half a minute.
const TIMEOUT_MS = 600_000;

// Seeded random numbers (mulberry32), so a run of the script can be repeated.
let state = Number(args.seed) >>> 0 || 1;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;

/** Runs `ae` (with the tiny plugin and optional file faults) and returns its exit, output and whether it was killed. */
function ae(argv, { env = {}, cwd = REPO, onStart } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', FAULTS, BIN, '--plugin', PLUGIN, ...argv], {
      cwd,
      env: { ...process.env, ...env, AE_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    onStart?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err: err.trim() });
    });
  });
}

/** Runs tasks `jobs` at a time. */
async function pool(items, jobs, task) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}

async function temporaryFiles(dir) {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.tmp'));
}

const weightsSha = async (dir) => JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8')).userDefinedMetadata.aekit.weightsSha256;

const SMALL = ['--dataset', 'stripes', '--limit', '400', '--test-limit', '32', '--batch-size', '16', '--code-points', '16', '--seed', '7'];
const TRAIN = ['train', 'tiny', ...SMALL, '--epochs', '8'];

/** What a failed command printed is acceptable: one line starting with `ae: ` (a usage error may add commander's hint), no stack, no "unexpected error". */
function judge(result) {
  if (result.signal === 'SIGKILL') return 'timeout';
  if (result.code === 0) return 'ok';
  const lines = result.err.split('\n').filter(Boolean);
  if (/unexpected error/.test(result.err)) return 'unexpected error';
  if (/^\s+at /m.test(result.err)) return 'stack trace';
  if (result.code === 2 && /^error: /.test(lines[0] ?? '')) return lines.length <= 2 ? 'one line' : 'not one line';
  if (lines.length === 1 && lines[0].startsWith('ae: ')) return 'one line';
  return 'not one line';
}

// 1. Kill/resume trials.
async function killTrials(base, count) {
  const reference = join(base, 'reference');
  const straight = await ae([...TRAIN, '--out', reference]);
  if (straight.code !== 0) throw new Error(`the reference run failed: ${straight.err}`);
  const expected = await weightsSha(reference);
  const trial = async (_, i) => {
    const dir = join(base, `trial-${i}`);
    const kills = [];
    const errors = [];
    let leftoversAfterKills = 0;
    for (let session = 0; session < 12; session++) {
      const resume = existsSync(join(dir, 'checkpoint', 'state.json'));
      const argv = resume ? ['train', '--resume', dir] : [...TRAIN, '--out', dir];
      const kill = session < 4 && chance(0.85) ? pick(['SIGKILL', 'SIGKILL', 'SIGINT', 'double SIGINT', 'SIGTERM', 'SIGKILL mid-checkpoint']) : undefined;
      const slow = kill === 'SIGKILL mid-checkpoint';
      const delay = 1500 + random() * 4000;
      const result = await ae(argv, {
        env: slow ? { AEKIT_FAULT_SLOW_MS: '300' } : {},
        onStart: (child) => {
          if (!kill) return;
          if (slow) {
            const poll = setInterval(async () => {
              const names = existsSync(join(dir, 'checkpoint')) ? await readdir(join(dir, 'checkpoint')) : [];
              if (names.some((n) => n.endsWith('.tmp'))) {
                clearInterval(poll);
                child.kill('SIGKILL');
              }
            }, 10);
            child.on('close', () => clearInterval(poll));
            return;
          }
          setTimeout(() => {
            if (kill === 'double SIGINT') {
              child.kill('SIGINT');
              setTimeout(() => child.kill('SIGINT'), 50 + random() * 300);
            } else child.kill(kill);
          }, delay);
        },
      });
      const finished = result.code === 0 && existsSync(join(dir, 'metrics.json'));
      if (!finished) {
        if (kill) kills.push(kill);
        // Exit 130 is a Ctrl-C's checkpoint-and-stop; anything else unasked for is an error.
        if (result.code !== null && result.code !== 130) errors.push(result.err.split('\n')[0]);
        leftoversAfterKills += (await temporaryFiles(dir)).length;
        continue;
      }
      const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
      const summed = metrics.history.reduce((s, r) => s + r.seconds, 0);
      return {
        trial: i,
        kills,
        errors,
        sessions: session + 1,
        identical: (await weightsSha(dir)) === expected,
        leftoversAfterKills,
        leftoversAtEnd: (await temporaryFiles(dir)).length,
        secondsSummed: Math.abs(metrics.seconds - summed) < 1e-6,
      };
    }
    return { trial: i, kills, errors, sessions: 12, identical: false, unfinished: true };
  };
  return pool(Array.from({ length: count }), Number(args.jobs), trial);
}

// 2. Fuzzed command lines.
// Only paths inside the temporary folder: the device node is made there (as root), the link points at a file there.
const HOSTILE_PATHS = (base) => [join(base, 'device'), join(base, 'fifo'), join(base, 'socket'), join(base, 'missing'), join(base, 'a-file.txt'), '', '.', join(base, 'run'), join(base, 'run', 'metrics.json'), join(base, 'link')];
const VALUES = ['0', '-1', '1', '2', 'NaN', 'Infinity', '-Infinity', '1e309', '1e-320', '0x10', '2.5', 'abc', '', ' ', '1e6', '{}', '[]', '{"latentDim": -1}', '{"latentDim": 1e9}', '"', '--', 'gaussian:2', 'salt-and-pepper:1.5', 'mask:-1', 'none', '64x64', '0x0', 'adam', 'constructor', '__proto__'];

function fuzzedCommand(base) {
  const paths = HOSTILE_PATHS(base);
  const run = join(base, 'run');
  const value = () => (chance(0.3) ? pick(paths) : pick(VALUES));
  const command = pick(['train', 'train', 'train', 'eval', 'score', 'export', 'infer', 'list', 'new-plugin', 'resume', 'nonsense', 'hello']);
  const argv = [];
  if (command === 'train') {
    argv.push('train', pick(['tiny', 'tiny', 'dense', 'nope', '', '--epochs']));
    argv.push(...SMALL.slice(0, 4), '--epochs', pick(['1', '0', '-1', 'x', '1.5']));
    const flags = ['--batch-size', '--latent-dim', '--learning-rate', '--optimizer', '--backend', '--noise', '--seed', '--workers', '--test-limit', '--validation-split', '--patience', '--config', '--data', '--image-size', '--channels', '--label', '--code-points', '--checkpoint-every', '--out', '--bogus'];
    for (let k = Math.floor(random() * 4); k > 0; k--) argv.push(pick(flags), value());
    if (!argv.includes('--out')) argv.push('--out', join(base, 'out', String(Math.floor(random() * 1e9))));
  } else if (command === 'resume') {
    argv.push('train', '--resume', pick([...paths, run]));
    if (chance(0.5)) argv.push(pick(['--epochs', '--learning-rate', '--backend']), value());
  } else if (command === 'eval' || command === 'score') {
    argv.push(command, pick([...paths, run, run]));
    if (chance(0.6)) argv.push(pick(['--backend', '--data', '--test-limit', '--limit', '--out', '--normal', '--worst', '--skip-bad']), value());
  } else if (command === 'export') {
    argv.push('export', pick([...paths, run, run]));
    if (chance(0.7)) argv.push(pick(['--out', '--part', '--format', '--tolerance', '--max-batch', '--name']), value());
  } else if (command === 'infer') {
    argv.push('infer', pick([...paths, join(base, 'model.onnx')]), pick(paths));
    if (chance(0.5)) argv.push(pick(['--out', '--limit', '--batch-size']), value());
  } else if (command === 'new-plugin') {
    argv.push('new-plugin', pick(['', 'aekit-plugin-x', '../../x', '@scope/', 'a'.repeat(300)]), '--dir', pick(paths));
  } else argv.push(command, value());
  return argv;
}

// 3. Fuzzed files.
const HOSTILE_VALUES = [null, -1, 0, 1e39, 1e308, 2 ** 53, '', 'constructor', '__proto__', '../../../../dev/zero', [], {}, [-1], ['16'], true, 'x'.repeat(1000)];

function leafPaths(value, path = []) {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [path, ...entries.flatMap(([k, v]) => leafPaths(v, [...path, k]))];
}

async function damage(file) {
  const bytes = await readFile(file);
  const kind = pick(['value', 'value', 'value', 'truncate', 'flip', 'whole', 'delete-key']);
  if (kind === 'truncate') {
    const at = Math.floor(bytes.length * random());
    await truncate(file, at);
    return `truncated to ${at} of ${bytes.length} bytes`;
  }
  if (kind === 'flip') {
    const n = 1 + Math.floor(random() * 50);
    for (let k = n; k > 0; k--) bytes[Math.floor(random() * bytes.length)] ^= 1 + Math.floor(random() * 255);
    await writeFile(file, bytes);
    return `${n} bytes flipped`;
  }
  if (kind === 'whole') {
    const value = pick(HOSTILE_VALUES);
    await writeFile(file, JSON.stringify(value));
    return `replaced by ${JSON.stringify(value).slice(0, 40)}`;
  }
  let json;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    const extra = 1 + Math.floor(random() * 64);
    await writeFile(file, Buffer.concat([bytes, Buffer.alloc(extra)]));
    return `${extra} bytes appended`;
  }
  const paths = leafPaths(json).filter((p) => p.length > 0);
  const path = pick(paths);
  let node = json;
  for (const key of path.slice(0, -1)) node = node[key];
  const value = pick(HOSTILE_VALUES);
  const removed = kind === 'delete-key' && !Array.isArray(node);
  if (removed) delete node[path.at(-1)];
  else node[path.at(-1)] = value;
  await writeFile(file, JSON.stringify(json));
  return removed ? `${path.join('.')} deleted` : `${path.join('.')} = ${JSON.stringify(value).slice(0, 40)}`;
}

async function main() {
  const base = await mkdtemp(join(tmpdir(), 'aekit-trials-'));
  const started = Date.now();
  console.log(`kill/resume: ${args.trials} trials`);
  const trials = await killTrials(join(base, 'kills'), Number(args.trials));

  console.log(`fuzzed commands: ${args.commands}`);
  const fuzz = join(base, 'fuzz');
  await mkdir(fuzz, { recursive: true });
  const fixture = await ae([...TRAIN.slice(0, -2), '--epochs', '2', '--out', join(fuzz, 'run')]);
  if (fixture.code !== 0) throw new Error(`the fixture run failed: ${fixture.err}`);
  await ae(['export', join(fuzz, 'run'), '--out', join(fuzz, 'model.onnx')]);
  execFileSync('mkfifo', [join(fuzz, 'fifo')]);
  execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', join(fuzz, 'socket')]);
  if (process.getuid?.() === 0) execFileSync('mknod', [join(fuzz, 'device'), 'c', '1', '3']);
  await writeFile(join(fuzz, 'a-file.txt'), 'hello');
  await writeFile(join(fuzz, 'precious.txt'), 'keep me');
  execFileSync('ln', ['-s', join(fuzz, 'precious.txt'), join(fuzz, 'link')]);
  const before = execFileSync('ls', ['-l', fuzz], { encoding: 'utf8' });
  const commandLines = Array.from({ length: Number(args.commands) }, () => fuzzedCommand(fuzz));
  // In the temporary folder, so that relative paths ('.', a default output folder) land there.
  const commands = await pool(commandLines, Number(args.jobs), async (argv) => ({ argv, verdict: judge(await ae(argv, { cwd: fuzz })) }));
  // The hostile targets must be what they were: same kinds, the link's file unchanged.
  const after = execFileSync('ls', ['-l', fuzz], { encoding: 'utf8' });
  const kindsOf = (listing) => listing.split('\n').filter((l) => /\s(device|fifo|socket|link|a-file\.txt|precious\.txt)( |$)/.test(l)).map((l) => `${l[0]} ${l.split(' ').at(-1)}`).join(',');
  const fixtureIntact =
    kindsOf(before) === kindsOf(after) &&
    (await readFile(join(fuzz, 'a-file.txt'), 'utf8')) === 'hello' &&
    (await readFile(join(fuzz, 'precious.txt'), 'utf8')) === 'keep me' &&
    existsSync(join(fuzz, 'run', 'model', 'model.json'));

  console.log(`fuzzed files: ${args.files}`);
  const filesBase = join(base, 'files');
  const fileCases = Array.from({ length: Number(args.files) }, (_, i) => i);
  const files = await pool(fileCases, Number(args.jobs), async (i) => {
    const dir = join(filesBase, `case-${i}`);
    await cp(join(fuzz, 'run'), dir, { recursive: true });
    const candidates = [
      join(dir, 'model', 'model.json'),
      join(dir, 'metrics.json'),
      join(dir, 'checkpoint', 'state.json'),
      ...(await readdir(join(dir, 'model'))).filter((n) => n.endsWith('.bin')).map((n) => join(dir, 'model', n)),
      ...(await readdir(join(dir, 'checkpoint'))).filter((n) => n.endsWith('.bin')).map((n) => join(dir, 'checkpoint', n)),
    ];
    const file = pick(candidates);
    const how = await damage(file);
    const inCheckpoint = dirname(file).endsWith('checkpoint');
    const argv = inCheckpoint ? ['train', '--resume', dir, '--epochs', '3'] : pick([['eval', dir], ['score', dir], ['export', dir, '--out', join(dir, 'm.onnx')]]);
    const result = await ae(argv);
    await rm(dir, { recursive: true, force: true });
    return { file: file.slice(dir.length + 1), how, command: argv[0] === 'train' ? 'train --resume' : argv[0], verdict: judge(result), err: result.err.split('\n')[0] };
  });

  const count = (items, key) => items.reduce((acc, x) => ((acc[x[key]] = (acc[x[key]] ?? 0) + 1), acc), {});
  const results = {
    command: COMMAND,
    date: new Date().toISOString(),
    minutes: (Date.now() - started) / 60000,
    kills: {
      trials: trials.length,
      kills: trials.reduce((n, t) => n + t.kills.length, 0),
      errors: trials.flatMap((t) => t.errors),
      bySignal: count(trials.flatMap((t) => t.kills.map((k) => ({ k }))), 'k'),
      finished: trials.filter((t) => !t.unfinished).length,
      identicalWeights: trials.filter((t) => t.identical).length,
      temporaryFilesAfterKills: trials.reduce((n, t) => n + (t.leftoversAfterKills ?? 0), 0),
      temporaryFilesAtEnd: trials.reduce((n, t) => n + (t.leftoversAtEnd ?? 0), 0),
      secondsSummedOverSessions: trials.filter((t) => t.secondsSummed).length,
    },
    commands: { total: commands.length, verdicts: count(commands, 'verdict'), fixtureIntact, bad: commands.filter((c) => !['ok', 'one line'].includes(c.verdict)).slice(0, 20) },
    files: { total: files.length, verdicts: count(files, 'verdict'), byCommand: count(files, 'command'), bad: files.filter((f) => !['ok', 'one line'].includes(f.verdict)).slice(0, 20), accepted: files.filter((f) => f.verdict === 'ok').map(({ file, how, command }) => ({ file, how, command })) },
  };
  await rm(base, { recursive: true, force: true });
  await writeFile(resolve(REPO, `${args.out}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(resolve(REPO, `${args.out}.md`), markdown(results));
  console.log(markdown(results));
}

function markdown(r) {
  const k = r.kills;
  const verdictRows = (v) => Object.entries(v).sort().map(([name, n]) => `| ${name} | ${n} |`).join('\n');
  return `# Reliability trials

Measured by \`${r.command}\` (${r.date.slice(0, 10)}, ${r.minutes.toFixed(1)} minutes; the tiny plugin of the cli's tests on its generated stripes, 8 epochs of 400 examples). Regenerate with the same command.

## Kills and resumes

| | count |
| --- | ---: |
| trials | ${k.trials} |
| kills (signals sent before the run finished) | ${k.kills} |
| ${Object.entries(k.bySignal).map(([s, n]) => `… ${s}: ${n}`).join(' · ')} | |
| trials that finished after resuming | ${k.finished} |
| finished with weights byte-identical to the uninterrupted run | ${k.identicalWeights} |
| temporary files found right after a kill (a kill mid-write leaves one) | ${k.temporaryFilesAfterKills} |
| temporary files left when the run finished | ${k.temporaryFilesAtEnd} |
| metrics.json \`seconds\` equal to the sum over every session's epochs | ${k.secondsSummedOverSessions} |
| errors other than the kills (should be none) | ${k.errors.length} |
${k.errors.length ? `\nErrors: ${k.errors.slice(0, 10).map((e) => `\`${e}\``).join('; ')}\n` : ''}
## Fuzzed command lines (${r.commands.total})

| verdict | count |
| --- | ---: |
${verdictRows(r.commands.verdicts)}

"one line": a non-zero exit with one line \`ae: …\` (or commander's usage error and its hint, exit 2). Files the hostile paths pointed at were left intact: ${r.commands.fixtureIntact ? 'yes' : 'NO'}.
${r.commands.bad.length ? `\nCommands that broke the rule:\n\n${r.commands.bad.map((c) => `- \`ae ${c.argv.join(' ')}\`: ${c.verdict}`).join('\n')}\n` : ''}
## Fuzzed files (${r.files.total})

One file of a run directory damaged (a JSON value replaced by a hostile one, a key deleted, the file truncated, bytes flipped, or the whole file replaced), then read by ${Object.entries(r.files.byCommand).map(([c, n]) => `\`ae ${c}\` (${n})`).join(', ')}.

| verdict | count |
| --- | ---: |
${verdictRows(r.files.verdicts)}
${r.files.accepted?.length ? `\nDamaged files a command read and exited 0 with (harmless only where the command does not read what was damaged):\n\n${r.files.accepted.map((f) => `- ${f.file} (${f.how}) read by \`ae ${f.command}\``).join('\n')}\n` : ''}${r.files.bad.length ? `\nCases that broke the rule:\n\n${r.files.bad.map((f) => `- ${f.file} (${f.how}) read by \`ae ${f.command}\`: ${f.verdict}: ${f.err}`).join('\n')}\n` : ''}`;
}

await main();
