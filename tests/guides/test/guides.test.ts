// Every shell block of the guides and READMEs, run as a reader runs them:
// in a fresh folder (a checkout of this repository, built, with no outputs
// yet), page by page in reading order, each block in the folder and with the
// variables the previous one left; `ae` with small limits (shims/). Pages
// that do not continue another run in parallel. A failing block fails its
// page's test with the page, the line, the command and its output. Blocks
// that cannot run here are checked for syntax; the report at the end lists
// every block and what was done with it.
//
// AE_GUIDES_ONLY=onnx,plugins runs only the pages whose path contains one of
// these; AE_GUIDES_JOBS sets how many pages run at once (default 2);
// AEKIT_KEEP_GUIDES=1 keeps the folders (their path is printed).
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDocuments, blockCounts, chains, NOT_READ, REPO, type Block, type Document } from '../blocks.mjs';
import { countLine, withCountLine } from '../scripts/block-count.mjs';
import { runScript, stopBackground, type ShimEvent } from './run-block.js';
import { makeStandIns } from './stand-ins.js';
import { dockerfileProblems, hasNginx, jsonProblems, nginxProblems, yamlProblems } from './syntax.js';
import { readerWorkspace } from './workspace.js';

const MINUTES = 60_000;
/** Longest a block may take; a guide command that trains for long needs a variant (`instead`). */
const BLOCK_TIMEOUT = 10 * MINUTES;
/** A command that ran this many seconds or more is listed under its block in the report. */
const SLOW_COMMAND = 5;
/** Cores of the machine CI runs on, for the report's estimate of the test's time there when idle. */
const CI_CORES = 2;

const documents = allDocuments();
const order = new Map(documents.map((d, i) => [d.file, i]));
const only = process.env.AE_GUIDES_ONLY?.split(',').filter(Boolean);
const selected = chains(documents).filter((chain) => !only || chain.some((d) => only.some((o) => d.file.includes(o))));

interface Outcome {
  block: Block;
  status: 'ran' | 'checked' | 'skipped' | 'failed';
  seconds?: number;
  cpuSeconds?: number;
  notes: string[];
}
const outcomes: Outcome[] = [];
/** CPU seconds of each chain's blocks, by the chain's name, for the report's estimate of an idle machine. */
const chainCpu = new Map<string, number>();
let root: string;

beforeAll(async () => {
  if (!existsSync(join(REPO, 'packages/cli/dist/bin/ae.js'))) throw new Error('ae is not built: run pnpm build first (turbo builds it before this test)');
  root = await mkdtemp(join(tmpdir(), 'aekit-guides-'));
});

afterAll(async () => {
  console.log(report(outcomes));
  if (process.env.AEKIT_KEEP_GUIDES) console.log(`guide folders kept in ${root}`);
  else if (root) await rm(root, { recursive: true, force: true });
});

/** The last lines of a block's output, for a failure message. */
function tail(output: string, lines = 40): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

/** What the shims did besides running a command plainly: not run, small limits, background servers. */
function notesOf(events: ShimEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.action === 'stood-in') return [`not run: ${e.command} (${e.reason})`];
    if (e.action === 'background') return [`in the background: ${e.ran}`];
    if (e.action === 'reused') return [`reused: ${e.command} (the same run as ${e.reason} trained, once the small limits apply)`];
    // The commands that take the time, so that a slow page shows where to cut.
    if (e.action === 'ran' && (e.seconds ?? 0) >= SLOW_COMMAND) return [`${e.seconds!.toFixed(1)} s: ${e.ran ?? e.command}`];
    return [];
  });
}

async function runBlock(block: Block, workspace: Awaited<ReturnType<typeof readerWorkspace>>, index: number, chain: string): Promise<void> {
  const notes: string[] = [];
  if (block.variant) notes.push(`a variant: ${block.script!.split('\n')[0]}`);
  if (block.standIns.length > 0) {
    const cwd = (await readFile(join(workspace.state, 'cwd'), 'utf8')).trim();
    notes.push(...(await makeStandIns(block.standIns, cwd)).map((s) => `stand-in ${s}`));
  }
  const run = await runScript(workspace, block.script!, `block-${index}`, BLOCK_TIMEOUT, { GUIDE_PAGE: `${block.file}:${block.line}` });
  notes.push(...notesOf(run.events));
  chainCpu.set(chain, (chainCpu.get(chain) ?? 0) + run.cpuSeconds);
  const failed = run.events.find((e) => e.code !== undefined && e.code !== 0);
  if (run.code !== 0 || failed) {
    outcomes.push({ block, status: 'failed', seconds: run.seconds, cpuSeconds: run.cpuSeconds, notes });
    const what = run.timedOut
      ? `timed out after ${BLOCK_TIMEOUT / MINUTES} minutes`
      : failed
        ? `\`${failed.command}\` exited with ${failed.code}${failed.ran ? ` (ran as \`${failed.ran}\`)` : ''}`
        : `exited with ${run.code}`;
    throw new Error(`${block.file}:${block.line}: ${what}\n--- the block ---\n${block.script}\n--- its output (last lines) ---\n${tail(run.output)}`);
  }
  outcomes.push({ block, status: 'ran', seconds: run.seconds, cpuSeconds: run.cpuSeconds, notes });
}

async function runChain(chain: Document[], name: string): Promise<void> {
  const workspace = await readerWorkspace(join(root, name));
  let index = 0;
  try {
    for (const document of chain) {
      for (const block of document.blocks) {
        if (block.kind === 'skip') outcomes.push({ block, status: 'skipped', notes: [block.reason!] });
        if (block.kind === 'run') await runBlock(block, workspace, index++, name);
      }
    }
  } finally {
    stopBackground(workspace);
  }
}

describe('every shell block of the guides and READMEs, in a fresh folder', () => {
  it('finds the guides and READMEs, and shell blocks in them', () => {
    expect(documents.map((d) => d.file)).toEqual(expect.arrayContaining(['apps/docs/guide/getting-started.md', 'README.md', 'packages/cli/README.md']));
    expect(documents.flatMap((d) => d.blocks).filter((b) => b.kind === 'run').length).toBeGreaterThan(30);
    if (only) expect(selected.length, `AE_GUIDES_ONLY=${only.join(',')} matches no document`).toBeGreaterThan(0);
  });

  it("README.md's count of the blocks is the documents' (node tests/guides/scripts/block-count.mjs --write)", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(withCountLine(readme, countLine(blockCounts(documents)))).toBe(readme);
  });

  for (const chain of selected) {
    const name = chain[0].file.replace(/\.md$/, '').replace(/[^\w-]+/g, '-');
    it.concurrent(chain.map((d) => d.file).join(' → '), () => runChain(chain, name), 30 * MINUTES);
  }
});

const checks: Record<string, (text: string) => string[]> = { yaml: yamlProblems, json: jsonProblems, dockerfile: dockerfileProblems, nginx: nginxProblems };

const checkBlocks = selected.flat().flatMap((d) => d.blocks.filter((b) => b.kind === 'check'));
describe.skipIf(checkBlocks.length === 0)('blocks that cannot run here are checked for syntax', () => {
  const nginx = hasNginx();
  for (const block of checkBlocks) {
    // CI installs nginx (.ci/run); elsewhere its check is skipped with a note rather than failing.
    const runnable = block.check !== 'nginx' || nginx || !!process.env.CI;
    it.skipIf(!runnable)(`${block.file}:${block.line} (${block.check})`, () => {
      const problems = checks[block.check!](block.text);
      outcomes.push({ block, status: problems.length === 0 ? 'checked' : 'failed', notes: problems });
      expect(problems, `${block.file}:${block.line}: ${block.check} syntax`).toEqual([]);
    });
  }
});

/** Every block, in reading order, with what was done. */
function report(list: Outcome[]): string {
  const sorted = [...list].sort((a, b) => order.get(a.block.file)! - order.get(b.block.file)! || a.block.line - b.block.line);
  const count = (status: Outcome['status']) => list.filter((o) => o.status === status).length;
  const lines = [`guide blocks: ${count('ran')} ran, ${count('checked')} checked for syntax, ${count('skipped')} skipped, ${count('failed')} failed`];
  const own = process.cpuUsage();
  lines.push(`  ${idleEstimate(chainCpu, (own.user + own.system) / 1e6)}`);
  for (const [file, why] of Object.entries(NOT_READ)) lines.push(`  not read ${file}\n            ${why}`);
  for (const o of sorted) {
    const seconds = o.seconds === undefined ? '' : ` (${o.seconds.toFixed(1)} s, cpu ${o.cpuSeconds!.toFixed(1)} s)`;
    lines.push(`  ${o.status.padEnd(8)}${o.block.file}:${o.block.line}${o.block.check ? ` ${o.block.check}` : ''}${seconds}`);
    for (const note of o.notes) lines.push(`            ${note}`);
  }
  return lines.join('\n');
}

/**
 * The test's time on an idle machine of CI's cores, from the CPU time it
 * took (which load from other work changes little, unlike its wall time):
 * the blocks' (bash's `times`) and this process's own (stand-ins, parsing).
 * The chains share the cores, and no schedule beats the total over the
 * cores or the longest chain.
 */
function idleEstimate(cpu: Map<string, number>, ownSeconds: number): string {
  const chainsCpu = [...cpu.entries()].sort((a, b) => b[1] - a[1]);
  if (chainsCpu.length === 0) return 'cpu: no block ran';
  const total = chainsCpu.reduce((sum, [, s]) => sum + s, 0) + ownSeconds;
  const [longest, longestCpu] = chainsCpu[0];
  const bound = Math.max(total / CI_CORES, longestCpu);
  return `cpu ${total.toFixed(0)} s in all (${ownSeconds.toFixed(0)} s of it the test's own process), longest page ${longest} ${longestCpu.toFixed(0)} s: about ${bound.toFixed(0)} s on an idle ${CI_CORES}-core machine (the larger of cpu/${CI_CORES} and the longest page)`;
}
