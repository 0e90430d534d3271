import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { DataFileError } from '@aekit/core';

/** A typeface pages are set in: a regular face for text and a bold one for headings. */
export interface DocumentFont {
  /** Name the face is registered under with the canvas library. */
  readonly family: string;
  /** Name of the bold face. */
  readonly boldFamily: string;
  /** TrueType file of the regular face, inside the `dejavu-fonts-ttf` package. */
  readonly file: string;
  /** TrueType file of the bold face. */
  readonly boldFile: string;
}

const face = (name: string, file: string): DocumentFont => ({
  family: `aekit ${name}`,
  boldFamily: `aekit ${name} Bold`,
  file: `${file}.ttf`,
  boldFile: `${file}-Bold.ttf`,
});

/**
 * The typefaces of generated pages: the five text faces of DejaVu (sans,
 * serif, monospace and the condensed sans and serif), real TrueType fonts
 * shipped inside the `dejavu-fonts-ttf` npm package so every machine
 * renders the same glyphs without system fonts.
 */
export const DOCUMENT_FONTS: readonly DocumentFont[] = [
  face('DejaVu Sans', 'DejaVuSans'),
  face('DejaVu Serif', 'DejaVuSerif'),
  face('DejaVu Sans Mono', 'DejaVuSansMono'),
  face('DejaVu Sans Condensed', 'DejaVuSansCondensed'),
  face('DejaVu Serif Condensed', 'DejaVuSerifCondensed'),
];

let registered = false;

/** Directory of the TrueType files of the `dejavu-fonts-ttf` package. */
export function fontDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

/**
 * Registers {@link DOCUMENT_FONTS} with the canvas library under their own
 * family names (once per process), so text is never set in a fallback face.
 *
 * @throws DataFileError naming a font file that is missing or unreadable.
 */
export function registerDocumentFonts(): void {
  if (registered) return;
  const dir = fontDirectory();
  for (const font of DOCUMENT_FONTS) {
    for (const [file, family] of [
      [font.file, font.family],
      [font.boldFile, font.boldFamily],
    ]) {
      const path = join(dir, file);
      if (!existsSync(path)) throw new DataFileError(path, 'font file is missing; reinstall dejavu-fonts-ttf');
      if (!GlobalFonts.registerFromPath(path, family)) throw new DataFileError(path, 'is not a font the canvas library can read');
    }
  }
  registered = true;
}
