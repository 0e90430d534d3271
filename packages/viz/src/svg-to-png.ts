import { Resvg } from '@resvg/resvg-js';

/**
 * Renders SVG text to PNG bytes with resvg (a maintained Rust renderer with
 * prebuilt binaries inside its npm packages, so no system Cairo or canvas
 * build is needed). Text uses the system's fonts, DejaVu Sans by preference.
 *
 * @param svg - An SVG document.
 * @param scale - Zoom factor for a sharper picture; 1 by default.
 */
export function svgToPng(svg: string, scale = 1): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Escapes text for use inside SVG markup. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
