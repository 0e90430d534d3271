import { simpleProgress } from './progress.js';

/** What the progress bar counts in each phase of reading data (see `DataSourceOptions.onProgress`). */
export const DATA_PROGRESS_LABELS: Record<string, string> = {
  header: 'images checked',
  decode: 'images read',
  scan: 'table bytes scanned',
  encode: 'table rows read',
};

/**
 * Progress bars for reading data in phases (an image folder's sizes then
 * pixels, a table's scan then its rows): a new bar, labelled from
 * {@link DATA_PROGRESS_LABELS}, whenever the phase changes.
 *
 * @param interactive - Draw the bars; true when stderr is a terminal.
 * @returns `onProgress` to hand to the reader, and `stop` to call when reading ends (or fails).
 */
export function dataProgress(interactive?: boolean): { onProgress: (progress: { phase: string; done: number; total: number }) => void; stop: () => void } {
  let bar: ReturnType<typeof simpleProgress> | undefined;
  let phase = '';
  return {
    onProgress(p) {
      if (p.phase !== phase) {
        bar?.stop();
        phase = p.phase;
        bar = simpleProgress(DATA_PROGRESS_LABELS[p.phase] ?? p.phase, p.total, interactive);
      }
      bar!.update(p.done);
    },
    stop: () => bar?.stop(),
  };
}
