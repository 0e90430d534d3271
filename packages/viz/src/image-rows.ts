import { ConfigError, type ImageRow } from '@aekit/core';
import { encodePng } from './png.js';
import { escapeXml, svgToPng } from './svg-to-png.js';

/** Options of {@link renderImageRows}. */
export interface ImageRowsOptions {
  /** Pixels per image pixel (nearest neighbour); 3 by default. */
  scale?: number;
  /** Heading above the rows. */
  title?: string;
}

const GAP = 4;
const LABEL_WIDTH = 130;
const TITLE_HEIGHT = 28;

/**
 * Draws rows of small grey or colour pictures (originals, codes,
 * reconstructions …) with a text label at the left of each row, as one PNG.
 * Rows may hold pictures of different sizes: every picture is enlarged by
 * a whole factor to fit the cell of the largest one, so a 8x4 code shows
 * as clearly as the 28x28 digit above it.
 *
 * @param rows - The rows, top to bottom.
 * @param options - Scale and title.
 * @returns PNG bytes.
 */
export function renderImageRows(rows: ImageRow[], options: ImageRowsOptions = {}): Buffer {
  const scale = options.scale ?? 3;
  if (rows.length === 0) throw new ConfigError('rows', 'at least one row of images is needed');
  rows.forEach((row, r) => {
    row.images.forEach((img, i) => {
      const channels = row.channels ?? 1;
      if (img.length !== row.height * row.width * channels) {
        throw new ConfigError(`rows.${r}.images.${i}`, `has ${img.length} values, expected ${row.height}x${row.width}${channels > 1 ? `x${channels}` : ''}`);
      }
    });
  });
  const labelWidth = rows.some((r) => r.label) ? LABEL_WIDTH : 0;
  const top = options.title ? TITLE_HEIGHT : 0;
  const cellWidth = Math.max(...rows.map((r) => r.width * scale));
  const cellHeight = Math.max(...rows.map((r) => r.height * scale));
  const rowScale = rows.map((r) => Math.max(1, Math.floor(Math.min(cellWidth / r.width, cellHeight / r.height))));
  const columns = Math.max(...rows.map((r) => r.images.length));
  const width = labelWidth + columns * (cellWidth + GAP) + GAP;
  const bands = rows.map((r, i) => r.height * rowScale[i] + GAP);
  const height = top + bands.reduce((a, b) => a + b, 0) + GAP;

  const parts: string[] = [];
  if (options.title) {
    parts.push(`<text x="${width / 2}" y="19" font-size="15" text-anchor="middle" font-family="DejaVu Sans">${escapeXml(options.title)}</text>`);
  }
  let y = top + GAP;
  rows.forEach((row, r) => {
    const h = row.height * rowScale[r];
    const w = row.width * rowScale[r];
    if (row.label) {
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + h / 2 + 5}" font-size="13" text-anchor="end" font-family="DejaVu Sans">${escapeXml(row.label)}</text>`,
      );
    }
    row.images.forEach((img, i) => {
      const x = labelWidth + GAP + i * (cellWidth + GAP) + (cellWidth - w) / 2;
      const href = `data:image/png;base64,${encodePng(img, row.height, row.width, row.channels ?? 1).toString('base64')}`;
      parts.push(
        `<image x="${x}" y="${y}" width="${w}" height="${h}" image-rendering="optimizeSpeed" preserveAspectRatio="none" href="${href}"/>`,
      );
    });
    y += bands[r];
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
  return svgToPng(svg);
}
