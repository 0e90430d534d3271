/**
 * What the trainer and its gradient workers say to each other. Tensors
 * cross the thread boundary as typed arrays (structured clone); each worker
 * holds its own tfjs and its own copy of the model.
 */

/** Given to a worker when it starts (`workerData`). */
export interface WorkerInit {
  /** Module to import for the family: it exports `plugin`, an AutoencoderPlugin. */
  module: string;
  family: string;
  config: Readonly<Record<string, unknown>>;
  inputShape: readonly number[];
  /** The backend by aekit's name (`native`, `wasm`…). */
  /** The backend by aekit's name (`native`, `wasm`…). */
  backend: string;
  /** Modules of the kernel packages the trainer's thread added (`KernelPackage.module`), each exporting `kernels`. */
  kernelModules: string[];
  /** Shapes of the trainable variables, to check that the worker built the same model. */
  variableShapes: number[][];
}

/** One share of a batch: the current weights, the examples and the step's settings. */
export interface StepRequest {
  id: number;
  weights: Float32Array[];
  /** `[n, ...inputShape]` values of the targets. */
  target: Float32Array;
  /** The model's input where it differs from the target (noise, paired data). */
  input?: Float32Array;
  count: number;
  lengths?: Int32Array;
  epoch: number;
  forwardSeed: number;
}

/** A worker's answer to a {@link StepRequest}. */
export type StepReply =
  | { id: number; total: number; terms: Record<string, number>; grads: (Float32Array | null)[] }
  | { id: number; error: string };

/** A worker's first message. */
export type ReadyMessage = { ready: true } | { ready: false; error: string };
