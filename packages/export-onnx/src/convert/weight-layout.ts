/**
 * Rearranges a row-major array of the given shape by a permutation of its
 * axes, as `tf.transpose` would; used to turn tfjs kernels (channels last)
 * into ONNX weights (channels first).
 *
 * @returns The permuted values and their new shape.
 */
export function transposeValues(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = stridesOf(shape);
  const outStrides = stridesOf(outShape);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let rest = o;
    let source = 0;
    for (let axis = 0; axis < rank; axis++) {
      index[axis] = Math.floor(rest / outStrides[axis]);
      rest -= index[axis] * outStrides[axis];
      source += index[axis] * inStrides[perm[axis]];
    }
    out[o] = values[source];
  }
  return { values: out, shape: outShape };
}

/**
 * Reorders equal blocks of rows: splits the first axis of a `[blocks·n, …]`
 * array into `blocks` parts and returns them in the order given. ONNX
 * recurrent layers order their gates differently from tfjs.
 */
export function reorderBlocks(values: Float32Array, blocks: number, order: readonly number[]): Float32Array {
  const size = values.length / blocks;
  const out = new Float32Array(values.length);
  order.forEach((from, to) => out.set(values.subarray(from * size, (from + 1) * size), to * size));
  return out;
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}
