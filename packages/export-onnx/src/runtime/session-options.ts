// This module imports nothing, so that @aekit/serve's inference threads can
// open sessions exactly as OnnxModel.load does without loading @aekit/core.

/** How an onnxruntime session runs on the CPU. */
export interface SessionSettings {
  /** Threads onnxruntime may use inside one operator; its default (all cores) when omitted. */
  threads?: number;
  /**
   * Let onnxruntime's worker threads spin-wait for work between operators
   * (its own default). Off unless set: on a machine shared with other work,
   * or in a server whose main thread also parses requests, spinning threads
   * take the CPU that work needs, and serving ran several times slower with
   * them in our load test.
   */
  spinWait?: boolean;
}

/**
 * The `InferenceSession.create` options of every session aekit opens: the
 * CPU execution provider, all graph optimisations, the thread count and
 * spin-waiting of `settings`.
 *
 * @example
 * ```ts
 * import { sessionOptions } from '@aekit/export-onnx/session-options';
 *
 * const options = sessionOptions({ threads: 2, spinWait: false });
 * // { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 2, extra: { session: { intra_op: { allow_spinning: '0' } } } }
 * // pass it to onnxruntime-node: InferenceSession.create('mnist.onnx', options)
 * ```
 * @param settings - Threads per operator and spin-waiting.
 */
export function sessionOptions(settings: SessionSettings = {}) {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(settings.threads ? { intraOpNumThreads: settings.threads } : {}),
    extra: { session: { intra_op: { allow_spinning: settings.spinWait ? '1' : '0' } } },
  } as const;
}
