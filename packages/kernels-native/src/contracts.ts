import { inputElements, outputElements, refuseWindow, WINDOW, type HeapFunction, type WindowSizes } from '@aekit/kernels-wasm/heap';

/** The activations the native products and convolutions end with, by tfjs' names, as native/kernels.h numbers them. */
export const ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 };

const MAT_MUL_SIZES = ['batchA', 'batchB', 'm', 'n', 'k', 'transposeA', 'transposeB', 'activation'] as const;

/**
 * `c[i] = act(op(a[i]) op(b[i]) + bias)` for `max(batchA, batchB)` products,
 * a side with a batch of 1 broadcast: `a` is `[batchA, m, k]` (`[.., k, m]`
 * when `transposeA` is 1), `b` `[batchB, k, n]` (`[.., n, k]`), `bias` `[n]`
 * or absent; one float follows, the leaky ReLU's slope.
 */
export const matMul: HeapFunction<typeof MAT_MUL_SIZES> = {
  name: 'matMul',
  pointers: ['a', 'b', 'bias', 'c'],
  optional: ['bias'],
  sizes: MAT_MUL_SIZES,
  extents: ({ batchA, batchB, m, n, k }) => [batchA * m * k, batchB * k * n, n, Math.max(batchA, batchB) * m * n],
  refuse: ({ batchA, batchB, transposeA, transposeB, activation }) => {
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) return `batches must match or be 1, got ${batchA} and ${batchB}`;
    if (transposeA > 1 || transposeB > 1) return 'transposeA and transposeB must be 0 or 1';
    return activation > 5 ? `unknown activation ${activation}` : undefined;
  },
};

type ConvSizes = readonly [...typeof WINDOW, 'outChannels'];
const CONV_SIZES: ConvSizes = [...WINDOW, 'outChannels'];
const filterElements = (s: WindowSizes & { outChannels: number }) => s.filterHeight * s.filterWidth * s.channels * s.outChannels;

/**
 * `y = act(conv(x, w) + bias)` of NHWC images without dilation: the window's
 * `channels` are the inputs, `w` is `[fh, fw, channels, outChannels]`,
 * `bias` `[outChannels]` or absent; then the activation, and one float, the
 * leaky ReLU's slope.
 */
export const conv2d: HeapFunction<readonly [...ConvSizes, 'activation']> = {
  name: 'conv2d',
  pointers: ['x', 'w', 'bias', 'y'],
  optional: ['bias'],
  sizes: [...CONV_SIZES, 'activation'],
  extents: (s) => [inputElements(s), filterElements(s), s.outChannels, outputElements(s, s.outChannels)],
  refuse: (s) => refuseWindow(s, false) ?? (s.activation > 5 ? `unknown activation ${s.activation}` : undefined),
};

/** The input gradient of {@link conv2d} (linear): `dx` from `dy` `[batch, outHeight, outWidth, outChannels]` and `w`. */
export const conv2dBackpropInput: HeapFunction<ConvSizes> = {
  name: 'conv2dBackpropInput',
  pointers: ['dy', 'w', 'dx'],
  sizes: CONV_SIZES,
  extents: (s) => [outputElements(s, s.outChannels), filterElements(s), inputElements(s)],
  refuse: (s) => refuseWindow(s, false),
};

/** The filter gradient of {@link conv2d}: `dw` `[fh, fw, channels, outChannels]` from `x` and `dy`. */
export const conv2dBackpropFilter: HeapFunction<ConvSizes> = {
  name: 'conv2dBackpropFilter',
  pointers: ['x', 'dy', 'dw'],
  sizes: CONV_SIZES,
  extents: (s) => [inputElements(s), outputElements(s, s.outChannels), filterElements(s)],
  refuse: (s) => refuseWindow(s, false),
};

/** `y = 1 / (1 + e^-x)` for `n` elements, a NaN kept. */
export const sigmoid: HeapFunction<readonly ['n']> = {
  name: 'sigmoid',
  pointers: ['x', 'y'],
  sizes: ['n'],
  extents: ({ n }) => [n, n],
};

/** The activations of {@link denseGradient}: the products' numbering, and tanh (which the products do not fuse) as 6. */
export const DENSE_GRADIENT_ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, relu: 1, elu: 3, sigmoid: 4, tanh: 6 };

const DENSE_GRADIENT_SIZES = ['n', 'features', 'units', 'activation'] as const;

/**
 * A Dense layer's weight gradients in one call: from its input `x`
 * `[n, features]`, output `y` and `dy` `[n, units]`, `dz = dy * act'(y)`
 * `[n, units]`, `dKernel = x^T dz` `[features, units]` and `dBias` (absent
 * for a layer without a bias) the column sums of `dz`.
 */
export const denseGradient: HeapFunction<typeof DENSE_GRADIENT_SIZES> = {
  name: 'denseGradient',
  pointers: ['x', 'y', 'dy', 'dz', 'dKernel', 'dBias'],
  optional: ['dBias'],
  sizes: DENSE_GRADIENT_SIZES,
  extents: ({ n, features, units }) => [n * features, n * units, n * units, n * units, features * units, units],
  refuse: ({ activation }) => (Object.values(DENSE_GRADIENT_ACTIVATIONS).includes(activation) ? undefined : `unknown activation ${activation}`),
};
