import { basename, join } from 'node:path';
import { AeError, type FigureWriter } from '@aekit/core';
import type * as DataTablesModule from '@aekit/data-tables';
import { installCommand } from './known-families.js';

// MNIST (53 MB of idx files) and the chart stack are optional peers of the
// cli: a user who trains on their own data installs neither. They load on
// first use, and a missing one is one line naming the package to install.

/**
 * Imports an optional package, or throws an {@link AeError} naming it and
 * the install command when it is not installed.
 *
 * @example
 * ```ts
 * import { importOptional } from '@aekit/cli';
 *
 * const tables = await importOptional('@aekit/data-tables', () => import('@aekit/data-tables'), 'reading a table');
 * // throws an AeError naming `npm install @aekit/data-tables` when it is not installed
 * ```
 * @param packageName - The package, e.g. `@aekit/data-mnist`.
 * @param load - `() => import('<the package>')`, written out so bundlers and TypeScript see it.
 * @param purpose - What it is needed for, e.g. `to use the MNIST dataset`.
 */
export async function importOptional<T>(packageName: string, load: () => Promise<T>, purpose: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, packageName)) {
      throw new AeError('missing-package', `install ${packageName} ${purpose}: ${installCommand(packageName)}`);
    }
    throw error;
  }
}

/**
 * True when an optional package can be found from the cli (without loading it).
 *
 * @example
 * ```ts
 * import { isInstalled } from '@aekit/cli';
 *
 * isInstalled('@aekit/viz'); // true once `npm install @aekit/viz` ran
 * ```
 * @param packageName - The package, e.g. `@aekit/data-mnist`.
 */
export function isInstalled(packageName: string): boolean {
  try {
    import.meta.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/** True when `error` says that `packageName` itself (not one of its imports) cannot be found. */
function isMissing(error: unknown, packageName: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (message ?? '').includes(`'${packageName}'`);
}

/** Figure writers for run directories, and the pictures they could not draw. */
export interface Figures {
  /**
   * A writer for pictures in `dir`.
   *
   * @param dir - Run directory the pictures are written to.
   */
  writerFor(dir: string): FigureWriter;
  /** Paths of pictures not drawn because `@aekit/viz` is not installed. */
  skipped: string[];
  /** Whether pictures are drawn (`@aekit/viz` is installed). */
  draws: boolean;
}

/**
 * The line `ae` prints after a run that skipped pictures, or undefined when none were skipped.
 *
 * @example
 * ```ts
 * import { loadFigures, skippedPicturesNote } from '@aekit/cli';
 *
 * const figures = await loadFigures();
 * // ... write the run's pictures with figures.writerFor(runDir) ...
 * const note = skippedPicturesNote(figures);
 * if (note) console.log(note); // only without @aekit/viz: which pictures were skipped and how to get them
 * ```
 * @param figures - The figure writers the run used, with the paths of the pictures they skipped.
 */
export function skippedPicturesNote(figures: Figures): string | undefined {
  if (figures.skipped.length === 0) return undefined;
  const names = figures.skipped.map((file) => basename(file)).join(', ');
  return `pictures not drawn (${names}): install @aekit/viz to draw them: ${installCommand('@aekit/viz')}`;
}

/**
 * Figure writers from `@aekit/viz` when it is installed; otherwise writers
 * that draw nothing and record which pictures they skipped, so that
 * training on a machine without the chart stack still writes the model
 * and `metrics.json`.
 *
 * @example
 * ```ts
 * import type { EpochRecord } from '@aekit/core';
 * import { loadFigures, writeLossCurve } from '@aekit/cli';
 *
 * declare const history: EpochRecord[]; // what fit returned
 * const figures = await loadFigures();
 * await writeLossCurve(figures.writerFor('runs/dense'), history, 'dense on MNIST');
 * console.log(figures.skipped); // [] with @aekit/viz installed; ['runs/dense/loss.png'] without it
 * ```
 */
export async function loadFigures(): Promise<Figures> {
  const skipped: string[] = [];
  try {
    const viz = await importOptional('@aekit/viz', () => import('@aekit/viz'), 'to draw pictures');
    return { writerFor: (dir) => viz.createFigureWriter(dir), skipped, draws: true };
  } catch (error) {
    if (!(error instanceof AeError)) throw error;
    const writerFor = (dir: string): FigureWriter => {
      const skip = async (file: string) => {
        const path = join(dir, file);
        skipped.push(path);
        return path;
      };
      return { imageRows: skip, scatter: skip, lines: skip, heatmap: skip };
    };
    return { writerFor, skipped, draws: false };
  }
}

/** Loads `@aekit/data-tables`, the reader of CSV, JSON-lines and Parquet tables, or names it to install. */
export function importDataTables(): Promise<typeof DataTablesModule> {
  return importOptional('@aekit/data-tables', () => import('@aekit/data-tables'), 'to read table files');
}
