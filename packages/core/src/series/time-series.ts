import { ConfigError } from '../errors.js';
import type { TIME_KINDS } from '../preprocessing.js';

/** How a series' time column was read: calendar dates and times (milliseconds since 1970, UTC) or plain numbers. */
export type TimeKind = (typeof TIME_KINDS)[number];

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
  /** The time of each point (milliseconds since 1970 UTC for dates), where the data has a time column. */
  readonly times?: Float64Array;
  /** What {@link times} holds. */
  readonly timeKind?: TimeKind;
  /** 1 where a value of the point was missing and filled in, for scores and pictures to say so. */
  readonly filled?: Uint8Array;
}

/** Options of {@link timeSeries}: everything but the values. */
export interface TimeSeriesParts {
  /** Channel names; `x0`, `x1`, … by default. */
  names?: readonly string[];
  /** Anomaly labels, one per point (1 for an anomaly). */
  labels?: Uint8Array;
  /** Time of each point. */
  times?: Float64Array;
  /** What `times` holds; `number` unless given. */
  timeKind?: TimeKind;
  /** 1 for points with a filled-in value. */
  filled?: Uint8Array;
}

/**
 * Builds a {@link TimeSeries} and checks that its parts agree.
 *
 * @example
 * ```ts
 * import { timeSeries } from '@aekit/core';
 *
 * const s = timeSeries(Float32Array.from([1, 10, 2, 20, 3, 30]), 2, { names: ['a', 'b'] }); // 3 points of 2 values
 * ```
 * @param values - Time-major values, `length * channels` of them.
 * @param channels - Values per point.
 * @param parts - Channel names, anomaly labels, times and filled points.
 * @throws ConfigError when the sizes disagree.
 */
export function timeSeries(values: Float32Array, channels: number, parts: TimeSeriesParts = {}): TimeSeries {
  if (!Number.isInteger(channels) || channels <= 0) throw new ConfigError('channels', `expected a positive integer, got ${channels}`);
  if (values.length === 0 || values.length % channels !== 0) {
    throw new ConfigError('values', `expected a positive multiple of ${channels} channels, got ${values.length} values`);
  }
  const length = values.length / channels;
  const names = parts.names ?? Array.from({ length: channels }, (_, c) => `x${c}`);
  if (names.length !== channels) throw new ConfigError('names', `expected ${channels} channel names, got ${names.length}`);
  for (const [field, array] of [['labels', parts.labels], ['times', parts.times], ['filled', parts.filled]] as const) {
    if (array && array.length !== length) throw new ConfigError(field, `expected ${length} ${field} (one per point), got ${array.length}`);
  }
  return {
    length,
    channels,
    values,
    names,
    labels: parts.labels,
    ...(parts.times ? { times: parts.times, timeKind: parts.timeKind ?? 'number' } : {}),
    ...(parts.filled ? { filled: parts.filled } : {}),
  };
}

/**
 * Points `from .. to-1` of a series as a series of their own (values,
 * labels, times and filled marks cut alike; no copy).
 *
 * @example
 * ```ts
 * import { sliceSeries, timeSeries } from '@aekit/core';
 *
 * const s = timeSeries(Float32Array.from([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]), 2); // 5 points of 2 values
 * const middle = sliceSeries(s, 1, 4); // points 1..3: length 3, values [2, 20, 3, 30, 4, 40]
 * ```
 * @param series - The series.
 * @param from - First point kept.
 * @param to - Point after the last one kept.
 */
export function sliceSeries(series: TimeSeries, from: number, to: number): TimeSeries {
  const c = series.channels;
  return {
    ...series,
    length: to - from,
    values: series.values.subarray(from * c, to * c),
    labels: series.labels?.subarray(from, to),
    ...(series.times ? { times: series.times.subarray(from, to) } : {}),
    ...(series.filled ? { filled: series.filled.subarray(from, to) } : {}),
  };
}
