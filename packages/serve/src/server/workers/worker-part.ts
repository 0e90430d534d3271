import { Worker } from 'node:worker_threads';
import { DataFileError } from '@aekit/core';
import type { OnnxModelFile, RunOutput, SessionSettings } from '@aekit/export-onnx';
import { WorkerChannel, workerEntry } from './channel.js';
import type { InferenceWorkerData, WorkerOutput } from './inference-worker.js';

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
 * `inference-worker.ts`): model calls never block the server's event loop.
 * The batch queue in front of it sends one call at a time, so one thread
 * per file is all a file can use; onnxruntime's own operator threads do
 * the rest.
 */
export class WorkerPart implements RunnablePart {
  private constructor(
    readonly file: OnnxModelFile,
    private readonly channel: WorkerChannel,
  ) {}

  /**
   * Starts the thread and opens the session in it.
   *
   * @param file - The file, read and checked (checksum) by the caller.
   * @param settings - onnxruntime's threads and spin-waiting.
   * @throws DataFileError naming the file when onnxruntime cannot load it.
   */
  static async start(file: OnnxModelFile, settings: SessionSettings = {}): Promise<WorkerPart> {
    const data: InferenceWorkerData = { bytes: file.bytes, input: file.input.name, outputs: file.outputs.map((o) => o.name), settings };
    const channel = new WorkerChannel(new Worker(workerEntry('inference-worker'), { workerData: data }), file.label);
    try {
      await channel.call({ type: 'ready' });
    } catch (error) {
      await channel.close();
      throw new DataFileError(file.label, `onnxruntime cannot load it: ${(error as Error).message}`);
    }
    return new WorkerPart(file, channel);
  }

  async run(data: Float32Array, count: number): Promise<Record<string, RunOutput>> {
    // A view of a larger buffer would send the whole buffer; send just its values.
    const values = data.byteLength === data.buffer.byteLength ? data : data.slice();
    const outputs = await this.channel.call<WorkerOutput[]>({ type: 'run', data: values, shape: [count, ...this.file.itemShape] });
    return Object.fromEntries(outputs.map(({ name, data: out, shape }) => [name, { data: out, shape }]));
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
