import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { createRng, parseConfig, z, type Rng } from '@aekit/core';
import { DOCUMENT_FONTS, registerDocumentFonts, type DocumentFont } from './fonts.js';
import type { GrayImage } from './gray-image.js';
import { randomHeading, randomParagraph } from './text.js';

const sizeRange = (min: number, max: number) =>
  z
    .tuple([z.number().finite().nonnegative(), z.number().finite().nonnegative()])
    .refine(([a, b]) => a <= b, 'expected [min, max] with min <= max')
    .default([min, max]);

/** zod schema of {@link PageLayoutOptions}; every field has a default. */
export const pageLayoutSchema = z.object({
  /** Page width in pixels. */
  width: z.number().int().min(16).default(600),
  /** Page height in pixels. */
  height: z.number().int().min(16).default(800),
  /** Body text size in pixels, drawn per page from [min, max]. */
  fontSize: sizeRange(11, 22),
  /** Distance between baselines as a multiple of the text size. */
  lineSpacing: sizeRange(1.15, 1.8),
  /** Margins as a share of the page width. */
  margin: sizeRange(0.04, 0.12),
  /** Most columns of text on a page (narrow pages get fewer). */
  maxColumns: z.number().int().min(1).max(4).default(2),
  /** Largest tilt of the text block in degrees, as a page lies on a scanner. */
  skewDegrees: z.number().finite().min(0).max(10).default(0.8),
});

/**
 * How generated pages are laid out. Each page draws its own typeface, text
 * size, line spacing, margins, number of columns, alignment and paragraph
 * style from these ranges.
 */
export type PageLayoutOptions = z.input<typeof pageLayoutSchema>;

/** The layout options with every default filled in. */
export type PageLayout = z.output<typeof pageLayoutSchema>;

/**
 * Fills in the defaults of layout options, or throws a `ConfigError` naming the bad field.
 *
 * @param options - Layout ranges and sizes; missing ones take their defaults.
 */
export function resolvePageLayout(options: PageLayoutOptions = {}): PageLayout {
  return parseConfig(pageLayoutSchema, options, 'layout');
}

/** The choices made for one page. */
interface PageStyle {
  font: DocumentFont;
  fontSize: number;
  lineHeight: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  columns: number;
  gap: number;
  justify: boolean;
  indentParagraphs: boolean;
  heading: boolean;
  pageNumber: boolean;
  skew: number;
}

const between = (rng: Rng, [min, max]: readonly [number, number]) => min + (max - min) * rng();

function choosePageStyle(layout: PageLayout, rng: Rng): PageStyle {
  const font = DOCUMENT_FONTS[Math.floor(rng() * DOCUMENT_FONTS.length)];
  const fontSize = Math.round(between(rng, layout.fontSize) * 2) / 2;
  const margin = between(rng, layout.margin) * layout.width;
  const gap = fontSize * (1.5 + 1.5 * rng());
  const textWidth = layout.width - 2 * margin;
  // A column narrower than about 22 em reads badly, so narrow pages get fewer.
  const fitting = Math.max(1, Math.floor((textWidth + gap) / (22 * fontSize + gap)));
  const columns = 1 + Math.floor(rng() * Math.min(layout.maxColumns, fitting));
  return {
    font,
    fontSize,
    lineHeight: fontSize * between(rng, layout.lineSpacing),
    left: margin * (0.8 + 0.4 * rng()),
    right: margin * (0.8 + 0.4 * rng()),
    top: margin * (0.8 + 0.6 * rng()),
    bottom: margin * (0.8 + 0.6 * rng()),
    columns,
    gap,
    justify: rng() < 0.5,
    indentParagraphs: rng() < 0.5,
    heading: rng() < 0.6,
    pageNumber: rng() < 0.5,
    skew: ((2 * rng() - 1) * layout.skewDegrees * Math.PI) / 180,
  };
}

/**
 * Renders a clean page: real text in a DejaVu typeface (black on white,
 * anti-aliased by the canvas library) with a heading, paragraphs in one or
 * more columns, and a page number, all chosen by the seed.
 *
 * @param options - Page size and the ranges the layout is drawn from.
 * @param seed - Same seed, same page.
 */
export function renderCleanPage(options: PageLayoutOptions, seed: number): GrayImage {
  registerDocumentFonts();
  const layout = resolvePageLayout(options);
  const rng = createRng(`page:${seed}`);
  const style = choosePageStyle(layout, rng);
  const { width, height } = layout;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.textBaseline = 'alphabetic';
  // Tilt the text block about the page centre, as a sheet lies askew on the glass.
  ctx.translate(width / 2, height / 2);
  ctx.rotate(style.skew);
  ctx.translate(-width / 2, -height / 2);

  let top = style.top;
  if (style.heading) top = drawHeading(ctx, style, width, top, rng);
  const bottom = height - style.bottom - (style.pageNumber ? style.lineHeight * 1.5 : 0);
  const columnWidth = (width - style.left - style.right - (style.columns - 1) * style.gap) / style.columns;
  for (let c = 0; c < style.columns; c++) {
    drawColumn(ctx, style, style.left + c * (columnWidth + style.gap), columnWidth, top, bottom, rng);
  }
  if (style.pageNumber) {
    ctx.font = `${style.fontSize}px "${style.font.family}"`;
    ctx.textAlign = 'center';
    ctx.fillText(String(1 + Math.floor(rng() * 300)), width / 2, height - style.bottom);
    ctx.textAlign = 'left';
  }
  return toGray(ctx, width, height);
}

/** Draws a bold heading across the text block; returns the top of the text below it. */
function drawHeading(ctx: SKRSContext2D, style: PageStyle, width: number, top: number, rng: Rng): number {
  const size = style.fontSize * (1.3 + 0.5 * rng());
  ctx.font = `${size}px "${style.font.boldFamily}"`;
  const available = width - style.left - style.right;
  let text = randomHeading(rng);
  while (ctx.measureText(text).width > available && text.includes(' ')) text = text.slice(0, text.lastIndexOf(' '));
  const centred = rng() < 0.5;
  const x = centred ? (width - ctx.measureText(text).width) / 2 : style.left;
  ctx.fillText(text, x, top + size);
  return top + size * (1.6 + 0.8 * rng());
}

/** Fills one column with paragraphs from `top` down to `bottom`. */
function drawColumn(ctx: SKRSContext2D, style: PageStyle, x: number, width: number, top: number, bottom: number, rng: Rng): void {
  ctx.font = `${style.fontSize}px "${style.font.family}"`;
  const space = ctx.measureText(' ').width;
  const indent = style.indentParagraphs ? style.fontSize * 2 : 0;
  let baseline = top + style.fontSize;
  while (baseline <= bottom) {
    const words = randomParagraph(rng);
    const lines = wrap(ctx, words, width, space, indent);
    for (let i = 0; i < lines.length && baseline <= bottom; i++) {
      const start = x + (i === 0 ? indent : 0);
      const last = i === lines.length - 1;
      drawLine(ctx, lines[i], start, baseline, style.justify && !last ? x + width : undefined, space);
      baseline += style.lineHeight;
    }
    // Paragraphs are marked by an indent, or else by a blank half line.
    if (!style.indentParagraphs) baseline += style.lineHeight * 0.5;
  }
}

interface SetWord {
  text: string;
  width: number;
}

/** Greedy line breaking with the face's real advance widths. */
function wrap(ctx: SKRSContext2D, words: string[], width: number, space: number, indent: number): SetWord[][] {
  const lines: SetWord[][] = [];
  let line: SetWord[] = [];
  let used = indent; // width taken on the current line
  for (const text of words) {
    const word = { text, width: ctx.measureText(text).width };
    const needed = used + (line.length > 0 ? space : 0) + word.width;
    if (line.length > 0 && needed > width) {
      lines.push(line);
      line = [word];
      used = word.width;
    } else {
      line.push(word);
      used = needed;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** Draws a line of words; when `justifyTo` is given, stretches the spaces so the line ends there. */
function drawLine(ctx: SKRSContext2D, line: SetWord[], x: number, baseline: number, justifyTo: number | undefined, space: number): void {
  const textWidth = line.reduce((sum, w) => sum + w.width, 0);
  const gap = justifyTo !== undefined && line.length > 1 ? (justifyTo - x - textWidth) / (line.length - 1) : space;
  let at = x;
  for (const word of line) {
    ctx.fillText(word.text, at, baseline);
    at += word.width + gap;
  }
}

function toGray(ctx: SKRSContext2D, width: number, height: number): GrayImage {
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.round(0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]);
  }
  return { width, height, pixels };
}
