// A worker thread that runs one ONNX file. onnxruntime-node's `run` works
// synchronously on the calling thread, so the server's main thread hands
// every model call but the smallest to a thread like this one and stays
// free to answer health checks, metrics and small requests. It imports only the runtime
// and aekit's session options (no TensorFlow.js), so a thread costs little
// beyond the session itself.
import { parentPort, workerData } from 'node:worker_threads';
import type { SessionSettings } from '@aekit/export-onnx/session-options';
import type { TaskFailure } from './channel.js';
import { openSession, runSession } from './session-run.js';

/** What the thread is started with. */
export interface InferenceWorkerData {
  /** The ONNX file's bytes, already read and checked by the main thread. */
  bytes: Uint8Array;
  /** The model's input name. */
  input: string;
  /** Its output names, in order. */
  outputs: string[];
  /** onnxruntime's threads and spin-waiting. */
  settings: SessionSettings;
}

/** A task: `ready` resolves once the session is open; `run` runs a batch. */
export type InferenceTask = { id: number; type: 'ready' } | { id: number; type: 'run'; data: Float32Array; shape: number[] };

const { bytes, input, outputs, settings } = workerData as InferenceWorkerData;
const opened = openSession(bytes, settings);
// A failed open is reported to the `ready` task; keep it from being an unhandled rejection meanwhile.
opened.catch(() => {});

function failure(error: unknown): TaskFailure {
  return { message: error instanceof Error ? error.message : String(error) };
}

parentPort!.on('message', async (task: InferenceTask) => {
  try {
    const session = await opened;
    if (task.type === 'ready') {
      parentPort!.postMessage({ id: task.id, result: true });
      return;
    }
    const answer = await runSession(session, input, outputs, task.data, task.shape);
    parentPort!.postMessage({ id: task.id, result: answer }, answer.map((o) => o.data.buffer as ArrayBuffer));
  } catch (error) {
    parentPort!.postMessage({ id: task.id, failure: failure(error) });
  }
});
