// Runs one block's commands in bash as a reader's terminal would: in the
// folder the previous block ended in, with the variables it set, the shims
// on the PATH.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReaderWorkspace } from './workspace.js';

/** What a shim recorded (shims/events.mjs). */
export interface ShimEvent {
  command: string;
  action: 'ran' | 'stood-in' | 'background' | 'reused';
  code?: number;
  reason?: string;
  ran?: string;
  /** Wall seconds of a command that ran. */
  seconds?: number;
}

/** How a block ran. */
export interface ScriptRun {
  /** bash's exit code (124 when it timed out). */
  code: number;
  seconds: number;
  /** CPU seconds (user + system) of bash and the commands it waited for; what the block costs on an idle machine. */
  cpuSeconds: number;
  /** Its output, standard error included. */
  output: string;
  events: ShimEvent[];
  timedOut: boolean;
}

/**
 * bash around a block: restores the folder and variables of the previous
 * block, stops at the first failing command (`set -e`, and `pipefail` for
 * pipelines), and on success saves the folder and the variables the reader's
 * shell now has. It writes its CPU time (`times`: its own, then its
 * children's) for the report.
 */
function wrap(script: string): string {
  return `__guide_base=" $(compgen -v | tr '\\n' ' ') "
. "$GUIDE_STATE/vars.sh"
cd "$(cat "$GUIDE_STATE/cwd")"
__guide_save() {
  pwd > "$GUIDE_STATE/cwd"
  for __guide_v in $(compgen -v); do
    case "$__guide_base" in *" $__guide_v "*) continue ;; esac
    case "$__guide_v" in __guide*|BASH*|_) continue ;; esac
    declare -p "$__guide_v" 2>/dev/null || true
  done > "$GUIDE_STATE/vars.sh"
}
trap '__guide_status=$?; times > "$GUIDE_STATE/times"; if [ "$__guide_status" = 0 ]; then __guide_save; fi; exit $__guide_status' EXIT
set -eo pipefail
${script}
`;
}

/** The CPU seconds in bash's `times` output: "0m0.010s 0m0.004s" (the shell), then the same for its children. */
export function cpuSecondsOf(times: string): number {
  let total = 0;
  for (const [, minutes, seconds] of times.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(minutes) * 60 + Number(seconds);
  return total;
}

/** Runs `script` in the workspace; never throws for a failing script. */
export async function runScript(workspace: ReaderWorkspace, script: string, name: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<ScriptRun> {
  const file = join(workspace.state, `${name}.sh`);
  const logFile = join(workspace.state, `${name}.log`);
  const eventsFile = join(workspace.state, 'events.jsonl');
  await writeFile(file, wrap(script));
  const timesFile = join(workspace.state, 'times');
  await writeFile(eventsFile, '');
  await writeFile(timesFile, '');
  const log = openSync(logFile, 'w');
  const started = performance.now();
  let timedOut = false;
  const code = await new Promise<number>((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', file], { cwd: workspace.checkout, env: { ...workspace.env, ...env }, detached: true, stdio: ['ignore', log, log] });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', () => resolve(127));
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve(timedOut ? 124 : (exitCode ?? (signal ? 128 : 1)));
    });
  });
  closeSync(log);
  const events = existsSync(eventsFile)
    ? readFileSync(eventsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ShimEvent)
    : [];
  return { code, seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsOf(readFileSync(timesFile, 'utf8')), output: readFileSync(logFile, 'utf8'), events, timedOut };
}

/** Stops the servers the chain's blocks started in the background (ae serve). */
export function stopBackground(workspace: ReaderWorkspace): void {
  const pids = join(workspace.state, 'pids');
  if (!existsSync(pids)) return;
  for (const pid of readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number)) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already stopped
    }
  }
}
