#!/usr/bin/env node
// `npm` as the guide test runs it: a global install (`npm install -g pnpm`)
// would change the machine, so it is listed as not run; the rest is the
// real npm, with the test's cache.
import { realpathSync } from 'node:fs';
import { commandLine } from './events.mjs';
import { realProgram, runAndExit, standIn } from './run.mjs';

const args = process.argv.slice(2);
const typed = commandLine(['npm', ...args]);
const global = args.includes('-g') || args.includes('--global');
const installing = ['install', 'i', 'add', 'ci'].includes(args.find((a) => !a.startsWith('-')) ?? '');
const inCheckout = !!process.env.GUIDE_CHECKOUT && realpathSync(process.cwd()) === realpathSync(process.env.GUIDE_CHECKOUT);
if (global && installing) {
  standIn(typed, 'a global install changes the machine; the test uses the pnpm it has');
} else if (installing && inCheckout) {
  // The checkout's files are links to the repository's: an install here would change the repository.
  standIn(typed, 'the checkout the test runs in was installed before it');
} else {
  runAndExit(realProgram('npm'), args, { command: typed });
}
