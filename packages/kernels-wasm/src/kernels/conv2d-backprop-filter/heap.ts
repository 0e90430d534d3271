import type { HeapFunction } from '../../heap/heap-kernels.js';
import { inputElements, outputElements, refuseWindow, WINDOW } from '../../heap/window.js';

/**
 * Filter gradient of an NHWC convolution without dilation, laid out
 * `[kh, kw, scalar, wide]`: the wide side (`x` when `xIsWide` is 1, else
 * `dy`; its channel count, a multiple of 4, is the window's `channels`)
 * summed as vectors, the other side's `scalarChannels` one at a time
 * (filter-gradient.c).
 * @internal
 */
export const filterGradient: HeapFunction<readonly [...typeof WINDOW, 'scalarChannels', 'xIsWide']> = {
  name: 'filterGradient',
  pointers: ['x', 'dy', 'dw'],
  sizes: [...WINDOW, 'scalarChannels', 'xIsWide'],
  extents: (s) => {
    const [xChannels, dyChannels] = s.xIsWide ? [s.channels, s.scalarChannels] : [s.scalarChannels, s.channels];
    return [inputElements(s, xChannels), outputElements(s, dyChannels), s.filterHeight * s.filterWidth * s.scalarChannels * s.channels];
  },
  refuse: (s) => (s.xIsWide > 1 ? 'xIsWide must be 0 or 1' : refuseWindow(s)),
};
