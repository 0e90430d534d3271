import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Children run at once: on two cores they keep each other's helper threads waiting for a core, as a busy machine does. */
const CHILDREN = 6;
/** Each child takes well under a second alone; a hung one never ends. */
const BOUND_MS = 60_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
}

function runSample(): Promise<Exit> {
  const script = new URL('./pool-sample.mjs', import.meta.url).pathname;
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { timeout: BOUND_MS, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout) => {
      const failed = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
      resolve({ code: failed ? (failed.code ?? null) : 0, signal: failed?.signal ?? null, ms: performance.now() - start, stdout });
    });
  });
}

describe("the native kernels' thread pool", () => {
  it('stops helpers that have not started yet, and never keeps a process from exiting', async () => {
    const exits = await Promise.all(Array.from({ length: CHILDREN }, runSample));
    exits.forEach((exit, i) => {
      if (exit.signal !== null || exit.code !== 0) throw new Error(`child ${i} did not exit within ${BOUND_MS} ms (code ${exit.code}, signal ${exit.signal})`);
      const result = JSON.parse(exit.stdout) as { turns: number; threads: number; error: number };
      expect(result.turns).toBe(300);
      expect(result.threads).toBe(3);
      // The product on two threads after 300 stops and starts is still right.
      expect(result.error).toBeLessThan(1e-4);
    });
  });
});
