import { z, ConfigError, createRng, parseConfig, positiveInt, type Rng, type TimeSeries } from '@aekit/core';

/** Kinds of anomaly the generator can inject. */
export const ANOMALY_KINDS = ['spike', 'level-shift', 'frozen'] as const;

/**
 * A kind of anomaly: `spike` is one point far off (3 to 5 standard
 * deviations of its channel); `level-shift` moves a stretch of 20 to 50
 * points up or down by 1 to 2 standard deviations; `frozen` holds a channel
 * at one value for 25 to 50 points, as a stuck sensor would.
 */
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Where the generator put an anomaly: points `start .. end-1` of one channel. */
export interface InjectedAnomaly {
  kind: AnomalyKind;
  /** The channel it is in. */
  channel: number;
  /** Its first point. */
  start: number;
  /** First point after the anomaly. */
  end: number;
}

/** A generated series with its anomalies; `labels` marks every anomalous point. */
export interface GeneratedSeries extends TimeSeries {
  readonly labels: Uint8Array;
  /** The injected anomalies, in time order. */
  readonly anomalies: readonly InjectedAnomaly[];
}

/** zod schema of {@link GenerateSeriesOptions}; every field has a default. */
export const generateSeriesOptionsSchema = z.strictObject({
  /** Points in time. */
  length: positiveInt().min(64).default(4000),
  /** Signals. */
  channels: positiveInt().max(64).default(3),
  /** Seed; the same seed gives the same series. */
  seed: z.number().int().default(0),
  /** Standard deviation of the gaussian noise, relative to each signal's main seasonal amplitude. */
  noise: z.number().finite().nonnegative().default(0.1),
  /** Anomalies to inject; none when omitted. */
  anomalies: z
    .strictObject({
      /** How many anomalies. */
      count: z.number().int().nonnegative().default(8),
      /** Kinds to use, in turn (a seeded shuffle of the turns). */
      kinds: z.array(z.enum(ANOMALY_KINDS)).min(1).default([...ANOMALY_KINDS]),
      /** First point where anomalies may start; 0 by default. */
      from: z.number().int().nonnegative().default(0),
      /** Point before which anomalies must end; the series' length by default. */
      to: z.number().int().positive().optional(),
    })
    .optional(),
});

/** Options of {@link generateSeries}. */
export type GenerateSeriesOptions = z.input<typeof generateSeriesOptionsSchema>;

const LENGTHS: Record<AnomalyKind, readonly [number, number]> = { spike: [1, 1], 'level-shift': [20, 50], frozen: [25, 50] };
/** Normal points kept between two anomalies, so that each stands alone. */
const GAP = 30;

/**
 * Generates a multivariate time series of noisy seasonal signals with
 * trends, and injects labelled anomalies on request.
 *
 * Every channel is a level, a linear trend, a main seasonal wave (one
 * period shared by all channels, 40 to 64 points, as with a daily cycle),
 * a second harmonic or third harmonic of its own, and gaussian noise. All
 * draws come from one seeded generator, so a seed gives the same series on
 * every machine.
 *
 * @param options - Length, channels, seed, noise and anomalies.
 * @throws ConfigError naming the offending option, e.g. when the anomalies do not fit.
 */
export function generateSeries(options: GenerateSeriesOptions = {}): GeneratedSeries {
  const opts = parseConfig(generateSeriesOptionsSchema, options);
  const { length, channels } = opts;
  const rng = createRng(`series:${opts.seed}`);
  const gauss = gaussian(rng);
  const values = new Float32Array(length * channels);
  const scale = new Float64Array(channels);
  const period = uniform(rng, 40, 64);
  for (let c = 0; c < channels; c++) {
    const level = uniform(rng, -2, 2);
    const drift = uniform(rng, -1.5, 1.5) / length;
    const amplitude = uniform(rng, 0.8, 1.5);
    const phase = uniform(rng, 0, 2 * Math.PI);
    const harmonic = rng() < 0.5 ? 2 : 3;
    const harmonicAmplitude = amplitude * uniform(rng, 0.2, 0.5);
    const harmonicPhase = uniform(rng, 0, 2 * Math.PI);
    for (let t = 0; t < length; t++) {
      const angle = (2 * Math.PI * t) / period;
      values[t * channels + c] =
        level +
        drift * t +
        amplitude * Math.sin(angle + phase) +
        harmonicAmplitude * Math.sin(harmonic * angle + harmonicPhase) +
        opts.noise * amplitude * gauss();
    }
    // Standard deviation of the seasonal part: anomaly sizes are relative to it.
    scale[c] = Math.sqrt((amplitude ** 2 + harmonicAmplitude ** 2) / 2);
  }
  const labels = new Uint8Array(length);
  const anomalies = opts.anomalies ? injectAnomalies(values, channels, scale, opts.anomalies, rng) : [];
  for (const a of anomalies) labels.fill(1, a.start, a.end);
  const names = Array.from({ length: channels }, (_, c) => `signal${c}`);
  return { length, channels, values, names, labels, anomalies };
}

interface AnomalyOptions {
  count: number;
  kinds: AnomalyKind[];
  from: number;
  to?: number;
}

function injectAnomalies(values: Float32Array, channels: number, scale: Float64Array, opts: AnomalyOptions, rng: Rng): InjectedAnomaly[] {
  const length = values.length / channels;
  const to = opts.to ?? length;
  if (to > length) throw new ConfigError('anomalies.to', `${to} is past the end of the series (${length} points)`);
  if (opts.from >= to) throw new ConfigError('anomalies.from', `${opts.from} leaves no room before anomalies.to ${to}`);
  const kinds = shuffle(Array.from({ length: opts.count }, (_, i) => opts.kinds[i % opts.kinds.length]), rng);
  const spans = kinds.map((kind) => {
    const [shortest, longest] = LENGTHS[kind];
    return shortest + Math.floor(rng() * (longest - shortest + 1));
  });
  // Lay the segments out in turn with GAP normal points between them, and
  // share the points to spare out at random in front of each one.
  const spare = to - opts.from - spans.reduce((a, b) => a + b, 0) - GAP * Math.max(0, kinds.length - 1);
  if (spare < 0) {
    throw new ConfigError('anomalies.count', `${opts.count} anomalies do not fit between points ${opts.from} and ${to}`);
  }
  const cuts = kinds.map(() => Math.floor(rng() * (spare + 1))).sort((a, b) => a - b);
  let cursor = opts.from;
  const placed = kinds.map((kind, i): InjectedAnomaly => {
    cursor += cuts[i] - (i > 0 ? cuts[i - 1] : 0);
    const start = cursor;
    cursor += spans[i] + GAP;
    return { kind, channel: Math.floor(rng() * channels), start, end: start + spans[i] };
  });
  for (const a of placed) {
    const sign = rng() < 0.5 ? -1 : 1;
    const at = (t: number) => t * channels + a.channel;
    switch (a.kind) {
      case 'spike':
        values[at(a.start)] += sign * uniform(rng, 3, 5) * scale[a.channel];
        break;
      case 'level-shift': {
        const shift = sign * uniform(rng, 1, 2) * scale[a.channel];
        for (let t = a.start; t < a.end; t++) values[at(t)] += shift;
        break;
      }
      case 'frozen':
        for (let t = a.start + 1; t < a.end; t++) values[at(t)] = values[at(a.start)];
        break;
    }
  }
  return placed;
}

function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng();
}

/** Standard normal draws by the Box-Muller transform. */
function gaussian(rng: Rng): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
