import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FigureWriter } from '@aekit/core';
import { writeFileAtomic } from '@aekit/core/node';
import { renderHeatmap, renderLines, renderScatter } from './charts.js';
import { renderImageRows } from './image-rows.js';

/**
 * A {@link FigureWriter} that writes PNG files into a directory (created
 * when the first figure is written). Families' report hooks and plugin
 * commands receive one from the `ae` tool.
 *
 * @param dir - Directory for the pictures.
 */
export function createFigureWriter(dir: string): FigureWriter {
  const write = async (file: string, bytes: Buffer) => {
    await mkdir(dir, { recursive: true });
    const path = join(dir, file);
    await writeFileAtomic(path, bytes);
    return path;
  };
  return {
    imageRows: async (file, rows, options) => write(file, renderImageRows(rows, options)),
    scatter: async (file, figure) => write(file, await renderScatter(figure)),
    lines: async (file, figure) => write(file, await renderLines(figure)),
    heatmap: async (file, figure) => write(file, await renderHeatmap(figure)),
  };
}
