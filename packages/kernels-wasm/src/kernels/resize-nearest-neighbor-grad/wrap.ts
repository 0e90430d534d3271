import { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { upsampleNearestGradient } from './heap.js';
import { wholeFactors } from '../resize-nearest-neighbor/wasm.js';

/** Backends whose output buffers this kernel can scale in place. */
type Backend = tf.KernelBackend & {
  typedArrayFromHeap?(info: tf.TensorInfo): Float32Array;
  data?: { get(dataId: object): { values: Float32Array } };
};

/**
 * `ResizeNearestNeighborGrad` for the wasm and cpu backends, wrapping their
 * own. The gradient of a nearest-neighbour up-sampling by whole factors
 * `sh x sw` (tfjs' `upSampling2d`: no aligned corners, no half-pixel
 * centres) gives every input pixel the sum of the `sh x sw` block of `dy`
 * it was copied to: `sh * sw` times an `sh x sw` average pooling with that stride. On wasm the block
 * sums run on the heap (`upsample-nearest-gradient.c`) when the channels are a
 * multiple of 4, and otherwise as that pooling through XNNPACK; both are
 * much faster than the backend's loop. On cpu it is a
 * correction: tfjs' cpu kernel mixes up the examples of a batch larger
 * than one (`resize-nearest-neighbor-grad.test.ts` asserts it still does,
 * and fails once tfjs is fixed). Other resizes go to the original kernel.
 *
 * @param backendName - `wasm` or `cpu`.
 * @param original - That backend's own kernel.
 */
export function resizeNearestNeighborGrad(backendName: 'wasm' | 'cpu', original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { inputs, backend, attrs } = args;
    const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners, halfPixelCenters } = attrs as { alignCorners: boolean; halfPixelCenters: boolean };
    const [batch, h, w, channels] = images.shape as [number, number, number, number];
    const factors = wholeFactors([h, w], [dy.shape[1]!, dy.shape[2]!]);
    if (alignCorners || halfPixelCenters || !factors || dy.dtype !== 'float32') return original.kernelFunc(args);
    const [sh, sw] = factors;
    if (backendName === 'wasm') {
      const heap = backend as WasmHeapBackend;
      const kernels = heapKernels(heap);
      if (kernels && channels > 0 && channels % 4 === 0) {
        const dx = heap.makeOutput([...images.shape], 'float32');
        kernels.run(upsampleNearestGradient, [{ tensor: dy }, { tensor: dx }], [batch, h, w, channels, sh, sw]);
        return dx;
      }
    }
    const own = backend as Backend;
    const dx = tf.getKernel('AvgPool', backendName)!.kernelFunc({
      inputs: { x: dy },
      backend: own,
      attrs: { filterSize: [sh, sw], strides: [sh, sw], pad: 'valid' } as unknown as tf.NamedAttrMap,
    }) as tf.TensorInfo;
    // From the block mean to the block sum, in place in the output buffer.
    const values = own.typedArrayFromHeap ? own.typedArrayFromHeap(dx) : own.data!.get(dx.dataId).values;
    const area = sh * sw;
    for (let i = 0; i < values.length; i++) values[i] *= area;
    return dx;
  });
}
