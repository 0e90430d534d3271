import { Worker } from 'node:worker_threads';
import { DataFileError } from '@aekit/core';
import type { OnnxModelFile, RunOutput, SessionSettings } from '@aekit/export-onnx';
import type { InferenceSession } from 'onnxruntime-node';
import { WorkerChannel, workerEntry } from './channel.js';
import type { InferenceWorkerData } from './inference-worker.js';
import { openSession, runSession, type WorkerOutput } from './session-run.js';

/** Batches of at most this many bytes of input run on the event loop unless told otherwise: 16 KiB, a few hundred microseconds of a small model. */
export const DEFAULT_INLINE_BYTES = 16 * 1024;

/** One ONNX file of a served model: what the file says, and how to run a batch through it. */
export interface RunnablePart {
  /** The file: name, inputs, outputs, metadata, item shape. */
  readonly file: OnnxModelFile;
  /**
   * Runs the model on `count` items, flat in `data`.
   *
   * @param data - The items back to back, row-major.
   * @param count - Number of items in `data`.
   * @returns Every output by name.
   */
  run(data: Float32Array, count: number): Promise<Record<string, RunOutput>>;
  /** Frees the session (and its thread). */
  close(): Promise<void>;
}

/**
 * An ONNX file whose session lives in a worker thread of its own (see
 * `inference-worker.ts`): large model calls never block the server's
 * event loop. Small ones (at most `inlineBytes` of input) run on a second
 * session on the event loop, since handing them to the thread and back
 * costs more than the call itself. The batch queue in front of it sends
 * one call at a time, so one thread per file is all a file can use;
 * onnxruntime's own operator threads do the rest.
 */
export class WorkerPart implements RunnablePart {
  private constructor(
    readonly file: OnnxModelFile,
    private readonly channel: WorkerChannel,
    private readonly inline: { session: InferenceSession; bytes: number } | undefined,
  ) {}

  /**
   * Starts the thread and opens the session in it (and, unless `inlineBytes` is 0, one on the event loop).
   *
   * @param file - The file, read and checked (checksum) by the caller.
   * @param settings - onnxruntime's threads and spin-waiting.
   * @param inlineBytes - Batches of at most this many bytes of input run on the event loop; 0 sends every one to the thread. {@link DEFAULT_INLINE_BYTES} unless given.
   * @throws DataFileError naming the file when onnxruntime cannot load it.
   */
  static async start(file: OnnxModelFile, settings: SessionSettings = {}, inlineBytes = DEFAULT_INLINE_BYTES): Promise<WorkerPart> {
    const data: InferenceWorkerData = { bytes: file.bytes, input: file.input.name, outputs: file.outputs.map((o) => o.name), settings };
    const channel = new WorkerChannel(new Worker(workerEntry('inference-worker'), { workerData: data }), file.label);
    try {
      await channel.call({ type: 'ready' });
      const session = inlineBytes > 0 ? await openSession(file.bytes, settings) : undefined;
      return new WorkerPart(file, channel, session && { session, bytes: inlineBytes });
    } catch (error) {
      await channel.close();
      throw new DataFileError(file.label, `onnxruntime cannot load it: ${(error as Error).message}`);
    }
  }

  async run(data: Float32Array, count: number): Promise<Record<string, RunOutput>> {
    const shape = [count, ...this.file.itemShape];
    let outputs: WorkerOutput[];
    if (this.inline && data.byteLength <= this.inline.bytes) {
      outputs = await runSession(this.inline.session, this.file.input.name, this.file.outputs.map((o) => o.name), data, shape);
    } else {
      // A view of a larger buffer would send the whole buffer; send just its values.
      const values = data.byteLength === data.buffer.byteLength ? data : data.slice();
      outputs = await this.channel.call<WorkerOutput[]>({ type: 'run', data: values, shape });
    }
    return Object.fromEntries(outputs.map(({ name, data: out, shape: dims }) => [name, { data: out, shape: dims }]));
  }

  async close(): Promise<void> {
    await Promise.all([this.channel.close(), this.inline?.session.release()]);
  }
}
