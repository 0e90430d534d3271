import type { Attributes } from '../../onnx/graph-builder.js';
import { attr } from '../../onnx/graph-builder.js';
import type { LayerCall, OnnxValue } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';

/** A config value that is a number or one number per spatial axis, as a list of `n`. */
export function tuple(value: unknown, n: number, fallback: number): number[] {
  if (value === undefined || value === null) return new Array<number>(n).fill(fallback);
  if (typeof value === 'number') return new Array<number>(n).fill(value);
  const list = value as number[];
  return list.length === 1 ? new Array<number>(n).fill(list[0]) : [...list];
}

/** Throws unless the layer works on channels-last data, the only layout tfjs runs in Node. */
export function requireChannelsLast(call: LayerCall): void {
  const format = call.config.dataFormat;
  if (format !== undefined && format !== 'channelsLast') {
    throw new UnsupportedLayerError(call.layer.name, call.className, `dataFormat '${String(format)}' is not supported (only channelsLast)`);
  }
}

/**
 * ONNX padding attributes for a convolution or pooling window that tfjs
 * pads as `valid` or `same` (tfjs cannot run `causal`). `same` puts the
 * odd pixel at the end, like TensorFlow; with known spatial sizes the pads
 * are written out, otherwise `auto_pad = SAME_UPPER` (the same rule) is
 * used.
 *
 * @param x - The input, whose tfjs shape gives the spatial sizes.
 */
export function windowPadding(
  call: LayerCall,
  x: OnnxValue,
  window: { kernel: number[]; strides: number[]; dilations?: number[] },
): Attributes {
  const padding = (call.config.padding as string | undefined) ?? 'valid';
  const k = window.kernel.length;
  const dilations = window.dilations ?? new Array<number>(k).fill(1);
  const spatial = x.shape.slice(1, 1 + k);
  switch (padding) {
    case 'valid':
      return { pads: attr.ints(new Array<number>(2 * k).fill(0)) };
    case 'same': {
      if (spatial.some((d) => d === null)) return { auto_pad: attr.string('SAME_UPPER') };
      const begin: number[] = [];
      const end: number[] = [];
      spatial.forEach((size, i) => {
        const out = Math.ceil(size! / window.strides[i]);
        const extent = (window.kernel[i] - 1) * dilations[i] + 1;
        const total = Math.max((out - 1) * window.strides[i] + extent - size!, 0);
        begin.push(Math.floor(total / 2));
        end.push(total - Math.floor(total / 2));
      });
      return { pads: attr.ints([...begin, ...end]) };
    }
    default:
      throw new UnsupportedLayerError(call.layer.name, call.className, `padding '${padding}' is not supported`);
  }
}
