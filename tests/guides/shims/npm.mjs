#!/usr/bin/env node
// `npm` as the guide test runs it: a global install (`npm install -g pnpm`)
// would change the machine, so it is listed as not run; the rest is the
// real npm, with the test's cache.
import { commandLine } from './events.mjs';
import { realProgram, runAndExit, standIn } from './run.mjs';

const args = process.argv.slice(2);
const typed = commandLine(['npm', ...args]);
const global = args.includes('-g') || args.includes('--global');
if (global && ['install', 'i', 'add'].includes(args.find((a) => !a.startsWith('-')) ?? '')) {
  standIn(typed, 'a global install changes the machine; the test uses the pnpm it has');
} else {
  runAndExit(realProgram('npm'), args, { command: typed });
}
