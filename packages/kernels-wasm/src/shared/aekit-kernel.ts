import type { tf } from '@aekit/core';

/**
 * One row of aekit's kernel table (`KERNELS`): a kernel aekit adds to
 * tfjs' backends or wraps there, as its folder under `src/kernels/` defines it.
 */
export interface AekitKernel {
  /** The kernel's name in tfjs: aekit's own (`Aekit...`) or the backend kernel it wraps. */
  readonly name: string;
  /** One sentence for the generated kernel lists (README, core README, backends guide). */
  readonly summary: string;
  /** Kernels registered where the backend has none of that name. */
  readonly adds?: readonly tf.KernelConfig[];
  /** Wrappers of backends' own kernel of this name (faster paths, or corrections of their bugs). */
  readonly wraps?: readonly { readonly backend: 'wasm' | 'cpu'; wrap(original: tf.KernelConfig): tf.KernelConfig }[];
  /** Gradients registered in place of any earlier one for their kernel. */
  readonly gradients?: readonly tf.GradConfig[];
}
