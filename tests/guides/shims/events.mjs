// What the shims tell the guide test: one JSON line per command they ran,
// stood in for or started in the background, in $GUIDE_STATE/events.jsonl.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} ShimEvent
 * @property {string} command   what the block ran, e.g. "pnpm ae train dense --epochs 50"
 * @property {'ran' | 'stood-in' | 'background' | 'reused'} action
 * @property {number} [code]    its exit code
 * @property {string} [reason]  why it was not run; for a reused run, the block that trained it
 * @property {string} [ran]     what ran instead, e.g. with the small limits added
 * @property {number} [seconds] how long a command that ran took (wall)
 */

/** @param {ShimEvent} event */
export function recordEvent(event) {
  const state = process.env.GUIDE_STATE;
  if (state) appendFileSync(join(state, 'events.jsonl'), `${JSON.stringify(event)}\n`);
}

/** The command line as a reader typed it. */
export function commandLine(/** @type {string[]} */ words) {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
