import type { HeapFunction } from '../../heap/heap-kernels.js';
import { inputElements, outputElements, refuseWindow, WINDOW } from '../../heap/window.js';

/** Max-pooling gradient (NHWC) for windows that do not overlap; `channels` a multiple of 4 (max-pool-gradient.c). @internal */
export const maxPoolGradient: HeapFunction<typeof WINDOW> = {
  name: 'maxPoolGradient',
  pointers: ['x', 'dy', 'dx'],
  sizes: WINDOW,
  extents: (s) => [inputElements(s), outputElements(s), inputElements(s)],
  refuse: (s) => refuseWindow(s),
};
