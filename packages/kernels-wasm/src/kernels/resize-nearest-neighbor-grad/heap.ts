import type { HeapFunction } from '../../heap/heap-kernels.js';
import { refuseUpsample, UPSAMPLE_SIZES, upsampleExtents } from '../resize-nearest-neighbor/heap.js';

/** The up-sampling's gradient: `dx` (`[batch, height, width, channels]`) gets the block sums of `dy` (upsample-nearest-gradient.c). @internal */
export const upsampleNearestGradient: HeapFunction<typeof UPSAMPLE_SIZES> = {
  name: 'upsampleNearestGradient',
  pointers: ['dy', 'dx'],
  sizes: UPSAMPLE_SIZES,
  extents: (s) => {
    const [small, large] = upsampleExtents(s);
    return [large, small];
  },
  refuse: refuseUpsample,
};
