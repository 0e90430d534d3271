// Stand-in data for blocks that use the reader's own files (`--data photos/`,
// `records.csv`, scans): small files of the same kind, made in the block's
// folder before it runs. A block asks for them with
// `<!-- guide-test: stand-in photos/ records.csv -->`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { generateDocumentPairs, writeGrayImage, writePairedFolder } from '@aekit/data-documents';

/** A seeded generator of numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A colour PNG of `width` x `height`: a disc (kind 0) or stripes (kind 1) on a tinted ground. */
function picture(width: number, height: number, kind: number, rand: () => number): Buffer {
  const png = new PNG({ width, height });
  const tint = [rand() * 255, rand() * 255, rand() * 255];
  const [cx, cy, r] = [width * (0.3 + 0.4 * rand()), height * (0.3 + 0.4 * rand()), Math.min(width, height) * (0.2 + 0.15 * rand())];
  const period = 4 + Math.floor(rand() * 6);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ink = kind === 0 ? (x - cx) ** 2 + (y - cy) ** 2 < r * r : Math.floor((x + y) / period) % 2 === 0;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = ink ? 255 - tint[c] * 0.5 : tint[c] * 0.6;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/**
 * A CSV of card payments with an id, numbers, a category and an `is_fraud`
 * label (about 5% fraud). With `withTime`, an ISO time column too, as users'
 * tables have it (the table reader reads dates as features).
 */
const WITH_TIME = true;

function payments(rows: number, seed: number, fraudRate = 0.05, withTime = WITH_TIME): string {
  const rand = random(seed);
  const merchants = ['grocery', 'fuel', 'online', 'travel', 'restaurant'];
  const lines = [`id,${withTime ? 'time,' : ''}amount,items,distance_km,merchant,is_fraud`];
  for (let i = 0; i < rows; i++) {
    const fraud = rand() < fraudRate;
    const amount = fraud ? 300 + rand() * 900 : 5 + rand() * 120;
    const distance = fraud ? 200 + rand() * 3000 : rand() * 30;
    const merchant = fraud ? merchants[2 + Math.floor(rand() * 2)] : merchants[Math.floor(rand() * merchants.length)];
    const time = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString();
    lines.push(`${seed * 100_000 + i},${withTime ? `${time},` : ''}${amount.toFixed(2)},${1 + Math.floor(rand() * 6)},${distance.toFixed(1)},${merchant},${fraud ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A CSV of three seasonal signals with noise, one column each. */
function series(points: number, seed: number): string {
  const rand = random(seed);
  const lines = ['temperature,pressure,flow'];
  for (let t = 0; t < points; t++) {
    const season = Math.sin((2 * Math.PI * t) / 96);
    lines.push([20 + 5 * season + rand(), 1000 + 8 * Math.cos((2 * Math.PI * t) / 48) + rand() * 2, 3 + season * season + rand() * 0.2].map((v) => v.toFixed(3)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A daily series with an ISO date column and two signals that trend and
 * repeat weekly, as a CO2 or sensor file has them: `start` days after
 * 2020-01-01, `points` rows.
 */
function datedSeries(points: number, seed: number, start = 0): string {
  const rand = random(seed);
  const lines = ['date,co2,temperature'];
  for (let t = start; t < start + points; t++) {
    const day = new Date(Date.UTC(2020, 0, 1) + t * 86_400_000).toISOString().slice(0, 10);
    const week = Math.sin((2 * Math.PI * t) / 7);
    lines.push([day, (410 + 0.01 * t + 2 * week + rand()).toFixed(3), (12 + 6 * Math.sin((2 * Math.PI * t) / 365) + week + rand()).toFixed(3)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** What each stand-in is, and how it is made in a folder. */
export const STAND_INS: Record<string, { what: string; make: (dir: string) => Promise<void> }> = {
  'photos/': {
    what: '24 generated colour PNGs of several sizes in two class folders (cats/, dogs/)',
    async make(dir) {
      const rand = random(1);
      for (const [label, kind] of [['cats', 0], ['dogs', 1]] as const) {
        await mkdir(join(dir, 'photos', label), { recursive: true });
        for (let i = 0; i < 12; i++) await writeFile(join(dir, 'photos', label, `${String(i).padStart(3, '0')}.png`), picture(48 + 8 * (i % 3), 40 + 8 * (i % 2), kind, rand));
      }
    },
  },
  'records.csv': { what: '600 generated card payments with an is_fraud label', make: (dir) => writeFile(join(dir, 'records.csv'), payments(600, 1)) },
  'new-records.csv': { what: '200 more generated card payments, about 10% fraud', make: (dir) => writeFile(join(dir, 'new-records.csv'), payments(200, 2, 0.1)) },
  'my-series.csv': { what: '1,500 points of three generated seasonal signals', make: (dir) => writeFile(join(dir, 'my-series.csv'), series(1500, 3)) },
  'newer.csv': { what: '600 more points of the same three signals', make: (dir) => writeFile(join(dir, 'newer.csv'), series(600, 4)) },
  'series.csv': { what: '1,500 points of three generated seasonal signals', make: (dir) => writeFile(join(dir, 'series.csv'), series(1500, 5)) },
  'new.csv': { what: '600 more points of the same three signals', make: (dir) => writeFile(join(dir, 'new.csv'), series(600, 6)) },
  'co2.csv': { what: '1,200 generated days (date column) of two trending, weekly signals', make: (dir) => writeFile(join(dir, 'co2.csv'), datedSeries(1200, 7)) },
  'newer-co2.csv': { what: 'the 300 days after co2.csv', make: (dir) => writeFile(join(dir, 'newer-co2.csv'), datedSeries(300, 8, 1200)) },
  'scans/': {
    what: 'two generated dirty pages (600x800 grey PNGs)',
    async make(dir) {
      await mkdir(join(dir, 'scans'), { recursive: true });
      for (const pair of generateDocumentPairs(2, {}, 5)) await writeGrayImage(join(dir, 'scans', `${pair.name}.png`), pair.dirty);
    },
  },
  'my-scans/': { what: 'four generated page pairs in dirty/ and clean/', make: (dir) => writePairedFolder(join(dir, 'my-scans'), generateDocumentPairs(4, {}, 6)) },
  'page.jpg': {
    what: 'one generated dirty page as a JPEG',
    async make(dir) {
      await writeGrayImage(join(dir, 'page.jpg'), generateDocumentPairs(1, {}, 7)[0].dirty);
    },
  },
};

/** Makes the named stand-ins in `dir` (those already there are kept); returns what each is. */
export async function makeStandIns(names: string[], dir: string): Promise<string[]> {
  const made: string[] = [];
  for (const name of names) {
    const standIn = STAND_INS[name];
    if (!standIn) throw new Error(`no stand-in named ${name}; there are ${Object.keys(STAND_INS).join(', ')}`);
    if (!existsSync(join(dir, name))) await standIn.make(dir);
    made.push(`${name}: ${standIn.what}`);
  }
  return made;
}
