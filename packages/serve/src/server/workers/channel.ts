import type { TransferListItem, Worker } from 'node:worker_threads';

/** A task's failure as a worker reports it: the message, and the HTTP status when the request was at fault. */
export interface TaskFailure {
  /** One-line description. */
  message: string;
  /** 400 for a bad request; absent for a failure of the server. */
  status?: number;
}

/** What a worker posts back for a task. */
export type TaskReply<T> = { id: number; result: T } | { id: number; failure: TaskFailure };

/** A task failed in a worker thread; `status` is set when the request, not the server, was at fault. */
export class WorkerTaskError extends Error {
  /** @param failure - What the worker reported. */
  constructor(readonly failure: TaskFailure) {
    super(failure.message);
    this.name = 'WorkerTaskError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Requests and replies over one worker thread: each task gets an id, the
 * worker answers `{ id, result }` or `{ id, failure }`, and the promise of
 * that id settles. If the thread dies, every pending task is rejected, and
 * so is every later one, with the reason.
 */
export class WorkerChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;

  /**
   * @param worker - The thread; its messages must be {@link TaskReply}s.
   * @param label - What the thread runs, for messages (e.g. the model file).
   */
  constructor(
    private readonly worker: Worker,
    private readonly label: string,
  ) {
    worker.on('message', (reply: TaskReply<unknown>) => {
      const task = this.pending.get(reply.id);
      if (!task) return;
      this.pending.delete(reply.id);
      if ('failure' in reply) task.reject(new WorkerTaskError(reply.failure));
      else task.resolve(reply.result);
    });
    worker.on('error', (error) => this.fail(new Error(`${label}: its worker thread failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`${label}: its worker thread exited (code ${code})`)));
  }

  /** Tasks sent and not yet answered. */
  get load(): number {
    return this.pending.size;
  }

  /**
   * Sends a task and resolves with the worker's result.
   *
   * @param task - The message, without its id.
   * @param transfer - Buffers to move to the worker instead of copying them.
   */
  call<T>(task: Record<string, unknown>, transfer: readonly TransferListItem[] = []): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...task, id }, [...transfer]);
    });
  }

  /** Stops the thread; pending tasks are rejected. */
  async close(): Promise<void> {
    this.fail(new Error(`${this.label}: closed`));
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const task of this.pending.values()) task.reject(this.dead);
    this.pending.clear();
  }
}

/**
 * The URL of a worker thread's entry module. The built package runs
 * `dist/server/workers/<name>.js`; run from its TypeScript sources (the
 * package's own tests), it runs the same file of `dist`, which the test
 * task builds first, since Node cannot start a thread on a `.ts` file.
 *
 * @param name - The entry's base name, e.g. `inference-worker`.
 */
export function workerEntry(name: string): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL(`../../../dist/server/workers/${name}.js`, here) : new URL(`./${name}.js`, here);
}
