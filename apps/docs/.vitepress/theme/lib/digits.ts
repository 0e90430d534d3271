// The MNIST digits the demos show and train on, shipped under /models/ by
// scripts/train-demo-models.mjs: test digits as base64 bytes in JSON, training
// digits as one grayscale PNG sprite.
import { withBase } from 'vitepress';

/** Side of an MNIST digit. */
export const SIDE = 28;
/** Pixels of one digit. */
export const PIXELS = SIDE * SIDE;

/** Digits with labels, values in [0, 1], one digit after another. */
export interface Digits {
  count: number;
  labels: number[];
  /** `count * 784` values in [0, 1]. */
  pixels: Float32Array;
}

/** One digit's 784 values. */
export function digitAt(digits: Digits, index: number): Float32Array {
  return digits.pixels.subarray(index * PIXELS, (index + 1) * PIXELS);
}

/** The 100 test digits of test-digits.json. */
export async function loadTestDigits(): Promise<Digits> {
  const response = await fetch(withBase('/models/test-digits.json'));
  if (!response.ok) throw new Error(`test digits: HTTP ${response.status}`);
  const json = (await response.json()) as { labels: number[]; pixels: string };
  const bytes = Uint8Array.from(atob(json.pixels), (c) => c.charCodeAt(0));
  return { count: json.labels.length, labels: json.labels, pixels: Float32Array.from(bytes, (b) => b / 255) };
}

/** The training digits of train-digits.png (a sprite of `columns` digits per row). */
export async function loadTrainDigits(count: number, columns = 50): Promise<Float32Array> {
  const image = new Image();
  image.src = withBase('/models/train-digits.png');
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(image, 0, 0);
  const rgba = context.getImageData(0, 0, image.width, image.height).data;
  const available = columns * Math.floor(image.height / SIDE);
  const n = Math.min(count, available);
  const pixels = new Float32Array(n * PIXELS);
  for (let d = 0; d < n; d++) {
    const top = Math.floor(d / columns) * SIDE;
    const left = (d % columns) * SIDE;
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) pixels[d * PIXELS + r * SIDE + c] = rgba[((top + r) * image.width + left + c) * 4] / 255;
    }
  }
  return pixels;
}

/**
 * Draws digits side by side on a canvas, white on black as MNIST stores
 * them, each `scale` times enlarged with `gap` pixels between them.
 */
export function drawDigits(canvas: HTMLCanvasElement, images: ArrayLike<number>[], scale = 3, gap = 4): void {
  const size = SIDE * scale;
  Object.assign(canvas, stripSize(images.length, scale, gap));
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  images.forEach((values, i) => drawDigit(context, values, i * (size + gap), 0, scale));
}

/**
 * The size `drawDigits` gives a canvas of `count` digits. Templates set it
 * as the canvas's width and height before anything is drawn, so that the
 * page does not move when the demo starts.
 */
export function stripSize(count: number, scale = 3, gap = 4): { width: number; height: number } {
  return { width: Math.max(1, count * SIDE * scale + (count - 1) * gap), height: SIDE * scale };
}

/** Draws one digit at (x, y), enlarged `scale` times. */
export function drawDigit(context: CanvasRenderingContext2D, values: ArrayLike<number>, x: number, y: number, scale: number): void {
  const image = new ImageData(SIDE, SIDE);
  for (let p = 0; p < PIXELS; p++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, values[p])));
    image.data.set([v, v, v, 255], p * 4);
  }
  const small = document.createElement('canvas');
  small.width = SIDE;
  small.height = SIDE;
  small.getContext('2d')!.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(small, x, y, SIDE * scale, SIDE * scale);
}

/** Share of a canvas's pixels that are not black: how tests and people see that something was drawn. */
export function inkShare(canvas: HTMLCanvasElement): number {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let lit = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] > 32) lit++;
  return lit / (data.length / 4);
}
