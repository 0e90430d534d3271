import { tf } from '@aekit/core';

/**
 * Runs other kernels of a backend from inside a kernel, keeping track of
 * the intermediate results so they can be freed once the kernel's output
 * is computed. Kernels composed this way never touch the tape or tensor
 * reference counts; they work on data ids, as the backends' own kernels do.
 * @internal
 */
export class KernelRunner {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs kernel `name` and remembers its output as a temporary. */
  run(name: string, inputs: Record<string, tf.TensorInfo>, attrs: object): tf.TensorInfo {
    const kernel = tf.getKernel(name, this.backendName);
    if (!kernel) throw new Error(`the ${this.backendName} backend has no ${name} kernel`);
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  /** Runs kernel `name` for a result that outlives the runner's temporaries (a kernel's output). */
  result(name: string, inputs: Record<string, tf.TensorInfo>, attrs: object): tf.TensorInfo {
    const out = this.run(name, inputs, attrs);
    this.temporaries.pop();
    return out;
  }

  /** Remembers a buffer made outside {@link run} (a backend's `makeOutput`) as a temporary. */
  adopt(info: tf.TensorInfo): tf.TensorInfo {
    this.temporaries.push(info);
    return info;
  }

  /** Frees every temporary except `result`, and returns `result`. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temporaries) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }

  /** Frees every temporary (for kernels whose outputs were made outside {@link run}). */
  dispose(): void {
    for (const t of this.temporaries) this.backend.disposeData(t.dataId);
  }
}
