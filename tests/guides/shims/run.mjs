// Running the real programs behind the shims.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { recordEvent } from './events.mjs';

/** The real `name` on the PATH the shims hide ($GUIDE_REAL_PATH). */
export function realProgram(/** @type {string} */ name) {
  for (const dir of (process.env.GUIDE_REAL_PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`guide-test: no ${name} on the PATH`);
}

/**
 * Runs a program with the shim's standard streams and exits with its code,
 * after recording what ran.
 *
 * @param {string} file
 * @param {string[]} args
 * @param {{ command: string, ran?: string, env?: NodeJS.ProcessEnv }} what
 */
export function runAndExit(file, args, what) {
  const started = performance.now();
  const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...what.env } });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    recordEvent({ command: what.command, action: 'ran', code: 127, ...(what.ran ? { ran: what.ran } : {}) });
    console.error(`guide-test: ${file}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    const status = code ?? (signal ? 128 : 1);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    recordEvent({ command: what.command, action: 'ran', code: status, seconds, ...(what.ran ? { ran: what.ran } : {}) });
    process.exit(status);
  });
}

/** Prints and records a command that is not run, and why. */
export function standIn(/** @type {string} */ command, /** @type {string} */ reason) {
  console.log(`guide-test: not run: ${command} (${reason})`);
  recordEvent({ command, action: 'stood-in', reason });
  process.exit(0);
}
