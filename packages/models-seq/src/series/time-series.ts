import { ConfigError } from '@aekit/core';

/**
 * A multivariate time series held in memory: `length` points in time, each
 * with `channels` values, stored time-major (`values[t * channels + c]`).
 */
export interface TimeSeries {
  /** Number of points in time. */
  readonly length: number;
  /** Number of values per point (signals). */
  readonly channels: number;
  /** All values, time-major: point `t`, channel `c` is at `t * channels + c`. */
  readonly values: Float32Array;
  /** Name of each channel, e.g. CSV column names. */
  readonly names: readonly string[];
  /** 1 where a point is a known anomaly, 0 elsewhere; absent when unknown. */
  readonly labels?: Uint8Array;
}

/**
 * Builds a {@link TimeSeries} and checks that its parts agree.
 *
 * @param values - Time-major values, `length * channels` of them.
 * @param channels - Values per point.
 * @param options - Channel names (`x0`, `x1`, … by default) and anomaly labels.
 * @throws ConfigError when the sizes disagree.
 * @param options.names - Channel names, one per channel.
 * @param options.labels - Anomaly labels, one per point (1 for an anomaly).
 */
export function timeSeries(
  values: Float32Array,
  channels: number,
  options: { names?: readonly string[]; labels?: Uint8Array } = {},
): TimeSeries {
  if (!Number.isInteger(channels) || channels <= 0) throw new ConfigError('channels', `expected a positive integer, got ${channels}`);
  if (values.length === 0 || values.length % channels !== 0) {
    throw new ConfigError('values', `expected a positive multiple of ${channels} channels, got ${values.length} values`);
  }
  const length = values.length / channels;
  const names = options.names ?? Array.from({ length: channels }, (_, c) => `x${c}`);
  if (names.length !== channels) throw new ConfigError('names', `expected ${channels} channel names, got ${names.length}`);
  if (options.labels && options.labels.length !== length) {
    throw new ConfigError('labels', `expected ${length} labels (one per point), got ${options.labels.length}`);
  }
  return { length, channels, values, names, labels: options.labels };
}

