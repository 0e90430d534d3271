/**
 * The x axis of a chart over calendar time. Vega's default labels name a
 * year only at its first tick (January); over several years of ticks, the
 * labels that overlap are dropped every other one and January can be among
 * them, leaving "April, October, April" with no year anywhere. So every
 * label names its year: ticks on whole years (a year each, or every 2, 5,
 * 10… years) over six years or more, on months with their year over two
 * months or more, on days (and hours) with their full date below that.
 */

const DAY = 86_400_000;
/** Tick labels that fit a 560-pixel axis side by side, "Jan 2017" long. */
const MAX_TICKS = 9;

/** A Vega-Lite time interval with a step, as `axis.tickCount` takes it. */
export interface TimeTicks {
  interval: 'year' | 'month' | 'day' | 'hour';
  step: number;
}

/** The Vega-Lite `axis` settings of a time axis: its label format and its ticks. */
export interface TimeAxis {
  /** A d3 time format (UTC), e.g. `%Y` or `%b %Y`. */
  format: string;
  tickCount?: TimeTicks;
  labelOverlap: true;
}

/** The smallest step of `steps` that keeps `span / step` ticks within {@link MAX_TICKS}. */
function stepOf(span: number, steps: number[]): number {
  return steps.find((s) => span / s <= MAX_TICKS) ?? steps[steps.length - 1] * Math.ceil(span / (MAX_TICKS * steps[steps.length - 1]));
}

/**
 * The axis of a chart whose x values run from `from` to `to`
 * (milliseconds since 1970, UTC).
 *
 * @example
 * ```ts
 * timeAxis(Date.UTC(2000, 0, 3), Date.UTC(2020, 3, 17)); // { format: '%Y', tickCount: { interval: 'year', step: 5 }, labelOverlap: true }
 * timeAxis(Date.UTC(2016, 2, 30), Date.UTC(2020, 3, 17)); // { format: '%b %Y', tickCount: { interval: 'month', step: 6 }, labelOverlap: true }
 * ```
 * @param from - The earliest time on the axis.
 * @param to - The latest time on the axis.
 */
export function timeAxis(from: number, to: number): TimeAxis {
  const days = Math.max(0, to - from) / DAY;
  if (days >= 6 * 365) return { format: '%Y', tickCount: { interval: 'year', step: stepOf(days / 365.25, [1, 2, 5, 10, 20, 50, 100]) }, labelOverlap: true };
  if (days >= 60) return { format: '%b %Y', tickCount: { interval: 'month', step: stepOf(days / 30.44, [1, 2, 3, 6, 12]) }, labelOverlap: true };
  if (days >= 3) return { format: '%b %d, %Y', labelOverlap: true };
  return { format: '%b %d, %Y %H:%M', labelOverlap: true };
}
