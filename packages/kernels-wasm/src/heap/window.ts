import type { tf } from '@aekit/core';

/** Element counts of a window's input and output images, and of its filter, for `channels` a side. @internal */
export interface WindowSizes {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  top: number;
  left: number;
}

/**
 * The sliding-window kernels' integer arguments, in order: batch, input
 * height, width and channels, output height and width, window height and
 * width, strides, and the padding before the first row and column.
 * @internal
 */
export const WINDOW = [
  'batch',
  'inHeight',
  'inWidth',
  'channels',
  'outHeight',
  'outWidth',
  'filterHeight',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'top',
  'left',
] as const;

/**
 * The {@link WINDOW} sizes of a tfjs convolution or pooling; `channels`
 * replaces its input channels where a kernel counts another side's.
 * @internal
 */
export function windowGeometry(info: tf.backend_util.Conv2DInfo, channels = info.inChannels): number[] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    channels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** Elements of the input image batch, `channels` a position. @internal */
export const inputElements = (s: WindowSizes, channels = s.channels): number => s.batch * s.inHeight * s.inWidth * channels;

/** Elements of the output image batch, `channels` a position. @internal */
export const outputElements = (s: WindowSizes, channels = s.channels): number => s.batch * s.outHeight * s.outWidth * channels;

/** Why a window cannot run: zero strides, or `channels` that the vector loops cannot take. @internal */
export function refuseWindow(s: WindowSizes, channelsMultipleOf4 = true): string | undefined {
  if (s.strideHeight < 1 || s.strideWidth < 1) return 'strides must be at least 1';
  if (channelsMultipleOf4 && s.channels % 4 !== 0) return `channels must be a multiple of 4, got ${s.channels}`;
  return undefined;
}
