import type { HeapFunction } from '../../heap/heap-kernels.js';

/** The integer arguments of the up-sampling kernels: the small image's shape, then the factors. @internal */
export const UPSAMPLE_SIZES = ['batch', 'height', 'width', 'channels', 'sh', 'sw'] as const;

/** Elements of `[batch, height, width, channels]` and of its up-sampled `[batch, height sh, width sw, channels]`. @internal */
export function upsampleExtents(s: Record<(typeof UPSAMPLE_SIZES)[number], number>): [small: number, large: number] {
  const small = s.batch * s.height * s.width * s.channels;
  return [small, small * s.sh * s.sw];
}

/** Why an up-sampling cannot run on the heap, or undefined. @internal */
export function refuseUpsample(s: Record<(typeof UPSAMPLE_SIZES)[number], number>): string | undefined {
  return s.channels % 4 !== 0 || s.channels === 0 ? `channels must be a positive multiple of 4, got ${s.channels}` : undefined;
}

/** Nearest-neighbour up-sampling (NHWC) of `[batch, height, width, channels]` by whole factors; `channels` a multiple of 4 (upsample-nearest.c). @internal */
export const upsampleNearest: HeapFunction<typeof UPSAMPLE_SIZES> = {
  name: 'upsampleNearest',
  pointers: ['src', 'dst'],
  sizes: UPSAMPLE_SIZES,
  extents: (s) => upsampleExtents(s),
  refuse: refuseUpsample,
};
