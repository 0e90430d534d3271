#!/usr/bin/env node
// `pnpm` as the guide test runs it: `pnpm ae …` goes to the ae shim; in the
// checkout, the commands that set it up (install, build) were run before the
// test and the ones that test it are `pnpm test` itself, so those are listed
// as not run; anything else is the real pnpm.
import { realpathSync } from 'node:fs';
import { runAe } from './ae.mjs';
import { commandLine } from './events.mjs';
import { realProgram, runAndExit, standIn } from './run.mjs';

/**
 * Why a pnpm command in the checkout is not run, or undefined when it is.
 *
 * @param {string[]} args
 */
export function checkoutStandIn(args) {
  const words = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--filter' || args[i] === '-F') i++;
    else if (!args[i].startsWith('-')) words.push(args[i]);
  }
  const [command, next] = words;
  if (command === 'install' || command === 'i') return 'the checkout the test runs in was installed before it';
  if (command === 'build' || (command === 'run' && next === 'build') || (command === 'turbo' && words.includes('build'))) return 'turbo built every package before this test';
  if (command === 'changeset') return 'interactive: it asks which packages changed and writes a .changeset/*.md file';
  if (['test', 'typecheck', 'lint'].includes(command) || (command === 'run' && ['test', 'typecheck', 'lint'].includes(next))) return 'part of pnpm test, which runs this test';
  return undefined;
}

const args = process.argv.slice(2);
const typed = commandLine(['pnpm', ...args]);
if (args[0] === 'ae') {
  await runAe(args.slice(1), typed);
} else {
  const inCheckout = !!process.env.GUIDE_CHECKOUT && realpathSync(process.cwd()) === realpathSync(process.env.GUIDE_CHECKOUT);
  const reason = inCheckout ? checkoutStandIn(args) : undefined;
  if (reason) standIn(typed, reason);
  else runAndExit(realProgram('pnpm'), args, { command: typed });
}
