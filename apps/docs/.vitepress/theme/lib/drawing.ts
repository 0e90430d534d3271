// Turns a digit drawn on a large canvas into a 28x28 MNIST-style input the
// way MNIST itself was made: the ink's bounding box is scaled to fit 20x20
// (keeping its aspect ratio) and placed so its centre of mass sits at the
// centre of the 28x28 field.
import { PIXELS, SIDE } from './digits';

/** Reads the ink (white on black) of a drawing canvas as an MNIST digit, or undefined when it is blank. */
export function canvasToDigit(source: HTMLCanvasElement): Float32Array | undefined {
  const { width, height } = source;
  const data = source.getContext('2d')!.getImageData(0, 0, width, height).data;
  let top = height;
  let left = width;
  let bottom = -1;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4] > 16) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return undefined;
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const fitted = document.createElement('canvas');
  fitted.width = SIDE;
  fitted.height = SIDE;
  const context = fitted.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = 'black';
  context.fillRect(0, 0, SIDE, SIDE);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  const w = boxWidth * scale;
  const h = boxHeight * scale;
  context.drawImage(source, left, top, boxWidth, boxHeight, (SIDE - w) / 2, (SIDE - h) / 2, w, h);
  const rgba = context.getImageData(0, 0, SIDE, SIDE).data;
  const values = new Float32Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) values[p] = rgba[p * 4] / 255;
  return centreByMass(values);
}

/** Shifts a digit so that its centre of mass is at the centre of the field. */
export function centreByMass(values: Float32Array): Float32Array {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = values[y * SIDE + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  if (mass === 0) return values;
  const dx = Math.round((SIDE - 1) / 2 - sumX / mass);
  const dy = Math.round((SIDE - 1) / 2 - sumY / mass);
  const shifted = new Float32Array(PIXELS);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) shifted[y * SIDE + x] = values[sy * SIDE + sx];
    }
  }
  return shifted;
}
