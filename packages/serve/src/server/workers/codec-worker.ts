// A worker thread that decodes large request bodies and encodes large JSON
// answers (JSON.parse and JSON.stringify of megabytes take tens to
// hundreds of milliseconds, which would hold up every other request).
// It imports no module that loads TensorFlow.js.
import { parentPort } from 'node:worker_threads';
import { InvalidInputError } from '@aekit/export-onnx/items';
import { CODEC_TASKS, type CodecTask } from '../codec/tasks.js';

parentPort!.on('message', (message: { id: number; task: CodecTask; args: never }) => {
  try {
    const result = CODEC_TASKS[message.task](message.args) as unknown;
    const transfer = transferable(result);
    parentPort!.postMessage({ id: message.id, result }, transfer);
  } catch (error) {
    const status = error instanceof InvalidInputError ? 400 : undefined;
    parentPort!.postMessage({ id: message.id, failure: { message: (error as Error).message, status } });
  }
});

/** Buffers in a result that can move to the main thread instead of being copied. */
function transferable(result: unknown): ArrayBuffer[] {
  const owned = (view: ArrayBufferView) => (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? [view.buffer as ArrayBuffer] : []);
  if (ArrayBuffer.isView(result)) return owned(result);
  if (result && typeof result === 'object') {
    const { body, data, input } = result as { body?: Buffer; data?: Float32Array; input?: { data: Float32Array } };
    return [body, data, input?.data].flatMap((view) => (view ? owned(view) : []));
  }
  return [];
}
