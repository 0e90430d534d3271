import { tf } from '../tf.js';
import { replaceKernelFunc } from './replace-kernel.js';

/** Backends whose output buffers this kernel can scale in place. */
type Backend = tf.KernelBackend & {
  typedArrayFromHeap?(info: tf.TensorInfo): Float32Array;
  data?: { get(dataId: object): { values: Float32Array } };
};

/**
 * `ResizeNearestNeighborGrad` for the wasm and cpu backends, wrapping their
 * own. The gradient of a nearest-neighbour up-sampling by a whole factor `s`
 * (tfjs' `upSampling2d`: no aligned corners, no half-pixel centres) gives
 * every input pixel the sum of the `s x s` block of `dy` it was copied to:
 * `s^2` times an `s x s`, stride-`s` average pooling. On wasm that runs
 * through XNNPACK, much faster than the backend's loop; on cpu it is a
 * correction: tfjs 4.22's cpu kernel mixes up the examples of a batch
 * larger than one. Other resizes go to the original kernel.
 *
 * @param backendName - `wasm` or `cpu`.
 * @param original - That backend's own kernel.
 */
export function resizeNearestNeighborGrad(backendName: 'wasm' | 'cpu', original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { inputs, backend, attrs } = args;
    const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners, halfPixelCenters } = attrs as { alignCorners: boolean; halfPixelCenters: boolean };
    const [, h, w] = images.shape;
    const scale = dy.shape[1] / h;
    const whole = Number.isInteger(scale) && dy.shape[2] === scale * w;
    if (alignCorners || halfPixelCenters || !whole || dy.dtype !== 'float32') return original.kernelFunc(args);
    const own = backend as Backend;
    const dx = tf.getKernel('AvgPool', backendName)!.kernelFunc({
      inputs: { x: dy },
      backend: own,
      attrs: { filterSize: scale, strides: scale, pad: 'valid' } as unknown as tf.NamedAttrMap,
    }) as tf.TensorInfo;
    // From the block mean to the block sum, in place in the output buffer.
    const values = own.typedArrayFromHeap ? own.typedArrayFromHeap(dx) : own.data!.get(dx.dataId).values;
    const area = scale * scale;
    for (let i = 0; i < values.length; i++) values[i] *= area;
    return dx;
  });
}
