// One model call on an onnxruntime session, the same on the event loop
// (small batches) and on an inference thread (the rest). Imports only the
// runtime (no TensorFlow.js), so the thread stays light.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { sessionOptions, type SessionSettings } from '@aekit/export-onnx/session-options';

/** One output of a run: its name, values and shape. */
export interface WorkerOutput {
  name: string;
  data: Float32Array;
  shape: number[];
}

/**
 * Opens a session on an ONNX file's bytes.
 *
 * @param bytes - The file's bytes, read and checked by the caller.
 * @param settings - onnxruntime's threads and spin-waiting.
 */
export function openSession(bytes: Uint8Array, settings: SessionSettings): Promise<InferenceSession> {
  return InferenceSession.create(bytes, sessionOptions(settings));
}

/**
 * Runs a batch and returns the named outputs as float32, each in memory
 * of its own (so it can move to another thread without copying again).
 *
 * @param session - The open session.
 * @param input - The model's input name.
 * @param outputs - Its output names, in order.
 * @param data - The items, row-major.
 * @param shape - `[count, ...itemShape]`.
 * @throws Error when an output is not float32.
 */
export async function runSession(session: InferenceSession, input: string, outputs: readonly string[], data: Float32Array, shape: number[]): Promise<WorkerOutput[]> {
  const results = await session.run({ [input]: new Tensor('float32', data, shape) });
  return outputs.map((name) => {
    const tensor = results[name];
    if (!(tensor.data instanceof Float32Array)) throw new Error(`output '${name}' is ${tensor.type}; aekit serves float32 outputs`);
    return { name, data: new Float32Array(tensor.data), shape: tensor.dims.map(Number) };
  });
}
