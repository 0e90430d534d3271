#!/usr/bin/env node
// `node` as the guide test runs it: `node packages/cli/dist/bin/ae.js …`
// (how the packages' READMEs call the built `ae` from the repository root)
// goes to the ae shim, with its small limits; anything else is the real node.
import { spawn } from 'node:child_process';
import { resolve, sep } from 'node:path';
import { runAe } from './ae.mjs';
import { commandLine } from './events.mjs';

const args = process.argv.slice(2);
const script = args[0] && !args[0].startsWith('-') ? resolve(args[0]) : '';
if (script.endsWith(`${sep}packages${sep}cli${sep}dist${sep}bin${sep}ae.js`)) {
  await runAe(args.slice(1), commandLine(['node', ...args]));
} else {
  // The real node, recording nothing: npm and pnpm run their tools through
  // `node` too, and a tool's child that fails on purpose must not fail the block.
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
