import type { HeapFunction } from '../../heap/heap-kernels.js';
import { inputElements, outputElements, refuseWindow, WINDOW } from '../../heap/window.js';

/** Convolution (NHWC) with one output channel; `channels` (the inputs) a multiple of 4, `bias` optional (single-output-convolution.c). @internal */
export const singleOutputConvolution: HeapFunction<typeof WINDOW> = {
  name: 'singleOutputConvolution',
  pointers: ['x', 'w', 'bias', 'y'],
  optional: ['bias'],
  sizes: WINDOW,
  extents: (s) => [inputElements(s), s.filterHeight * s.filterWidth * s.channels, 1, outputElements(s, 1)],
  refuse: (s) => refuseWindow(s),
};

/**
 * Convolution (NHWC) of one input channel; the window's `channels` are the
 * outputs, a multiple of 4 and at least 16; `bias` optional
 * (single-input-convolution.c).
 * @internal
 */
export const singleInputConvolution: HeapFunction<typeof WINDOW> = {
  name: 'singleInputConvolution',
  pointers: ['x', 'w', 'bias', 'y'],
  optional: ['bias'],
  sizes: WINDOW,
  extents: (s) => [inputElements(s, 1), s.filterHeight * s.filterWidth * s.channels, s.channels, outputElements(s)],
  refuse: (s) => refuseWindow(s) ?? (s.channels < 16 ? `channels must be at least 16, got ${s.channels}` : undefined),
};
