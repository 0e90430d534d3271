#!/usr/bin/env node
// `ae` as the guide test runs it: the repository's built `ae` with small
// limits added (quick-flags.mjs), a training that another page did already
// copied from it (run-cache.mjs), and `ae serve` started in the background
// on a free port (the curl shim sends the guide's port there), so that the
// next block can call it as a reader does from another terminal.
import { spawn } from 'node:child_process';
import { appendFileSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine, recordEvent } from './events.mjs';
import { aeCommand, withQuickFlags } from './quick-flags.mjs';
import { runKey, runShared } from './run-cache.mjs';
import { runAndExit } from './run.mjs';

const AE = join(process.env.GUIDE_REPO ?? fileURLToPath(new URL('../../../', import.meta.url)), 'packages/cli/dist/bin/ae.js');

/** A TCP port nothing listens on. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `ae serve …` in the background; returns once it answers HTTP. */
async function serveInBackground(/** @type {string[]} */ args, /** @type {string} */ typed) {
  const state = process.env.GUIDE_STATE ?? '.';
  let asked = '8080';
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') asked = args[++i];
    else if (args[i].startsWith('--port=')) asked = args[i].slice('--port='.length);
    else rest.push(args[i]);
  }
  const port = await freePort();
  const log = join(state, `serve-${port}.log`);
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, [AE, ...rest, '--port', String(port)], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  appendFileSync(join(state, 'pids'), `${child.pid}\n`);
  appendFileSync(join(state, 'ports'), `${asked} ${port}\n`);
  let exited = false;
  child.on('exit', () => (exited = true));
  const ran = `${commandLine(['ae', ...rest, '--port', String(port)])} &`;
  for (const started = Date.now(); Date.now() - started < 180_000; ) {
    if (exited) break;
    try {
      await fetch(`http://127.0.0.1:${port}/health`);
      console.log(`guide-test: ae serve runs in the background on port ${port} (the guide's ${asked}); the test stops it after the page`);
      recordEvent({ command: typed, action: 'background', ran, code: 0 });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  console.error(readFileSync(log, 'utf8'));
  recordEvent({ command: typed, action: 'background', ran, code: 1 });
  process.exit(1);
}

/**
 * Runs `ae` with the given arguments as the guide test does.
 *
 * @param {string[]} args  the arguments after `ae`
 * @param {string} typed  the command as the block typed it (`pnpm ae …` or `ae …`)
 */
export async function runAe(args, typed) {
  const { command } = aeCommand(args);
  if (command === 'serve') return serveInBackground(args, typed);
  const quick = withQuickFlags(args);
  const shared = runKey(args, quick);
  if (shared) return runShared(process.execPath, [AE], shared, { command: typed, ran: commandLine(['ae', ...shared.args]) });
  runAndExit(process.execPath, [AE, ...quick], { command: typed, ...(quick.length > args.length ? { ran: commandLine(['ae', ...quick]) } : {}) });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runAe(process.argv.slice(2), commandLine(['ae', ...process.argv.slice(2)]));
}
