import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@aekit/export-onnx/items';
import { CODEC_TASKS, type CodecTask, type CodecTasks } from '../codec/tasks.js';
import { WorkerChannel, WorkerTaskError, workerEntry } from './channel.js';

/**
 * Decodes request bodies and encodes JSON answers: small ones right away
 * on the calling thread (a thread hop costs more than the work), large
 * ones on a few worker threads, so that no single request holds up the
 * event loop for long. The same functions run in both places
 * (`codec/tasks.ts`).
 */
export class CodecPool {
  private readonly channels: WorkerChannel[];

  /**
   * @param threads - Worker threads; 0 does every task on the calling thread. Default: one, or two on four cores or more.
   */
  constructor(threads = availableParallelism() >= 4 ? 2 : 1) {
    this.channels = Array.from({ length: threads }, (_, i) => new WorkerChannel(new Worker(workerEntry('codec-worker')), `codec thread ${i + 1}`));
  }

  /**
   * Runs a task: on a worker thread when `large`, else here.
   *
   * @param task - Its name.
   * @param args - Its arguments (copied to the thread).
   * @param large - Whether the work is big enough to be worth a thread.
   * @param handOver - Typed arrays in `args` the caller no longer needs: their memory moves to the thread instead of being copied (see {@link ownedBuffers}).
   * @throws InvalidInputError when the request was at fault (a 400).
   */
  async run<K extends CodecTask>(task: K, args: CodecTasks[K]['args'], large: boolean, handOver: readonly ArrayBufferView[] = []): Promise<CodecTasks[K]['result']> {
    if (!large || this.channels.length === 0) return CODEC_TASKS[task](args);
    const channel = this.channels.reduce((a, b) => (b.load < a.load ? b : a));
    try {
      return reviveBuffers(await channel.call<CodecTasks[K]['result']>({ task, args }, ownedBuffers(handOver)));
    } catch (error) {
      if (error instanceof WorkerTaskError && error.failure.status === 400) throw new InvalidInputError(error.message);
      throw error;
    }
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.close()));
  }
}

/** A Buffer arrives from another thread as a plain Uint8Array; make it a Buffer again (no copy), at the top level or as `body`. */
function reviveBuffers<T>(result: T): T {
  const revive = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (result instanceof Uint8Array) return revive(result) as T;
  const body = (result as { body?: unknown } | null)?.body;
  return body instanceof Uint8Array ? { ...result, body: revive(body) } : result;
}

/**
 * The memory of the views that own all of it, once each: what can move to
 * another thread without copying (a view of part of a larger buffer, such
 * as a pooled Buffer, is copied instead). Moving megabytes rather than
 * copying them keeps the event loop's own memory, and its garbage
 * collections, small.
 *
 * @param views - Typed arrays and Buffers the caller will not touch again.
 */
export function ownedBuffers(views: readonly ArrayBufferView[]): ArrayBuffer[] {
  const owned = new Set<ArrayBuffer>();
  for (const view of views) {
    if (view.buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) owned.add(view.buffer);
  }
  return [...owned];
}
