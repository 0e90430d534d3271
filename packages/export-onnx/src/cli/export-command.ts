import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AeError, ConfigError, type CommandIO, type PluginCommand } from '@aekit/core';
import { writeFileAtomic } from '@aekit/core/node';
import { exportAutoencoder, loadSavedAutoencoder, partModel } from '../export.js';
import { MODEL_PARTS, type ModelPart } from '../metadata.js';
import { measureParity } from '../parity.js';
import { choiceOption, numberOption, positionals, stringOption, type CommandOptions } from './options.js';

/** Options of {@link exportRun}. */
export interface ExportRunOptions {
  /** A part, or `all` for the three files. */
  part?: ModelPart | 'all';
  /** The output file (for `all`: the full model's; the others get `.encoder`/`.decoder` before `.onnx`). */
  out?: string;
  /** Largest max-abs difference from tfjs accepted; `Infinity` skips the check. */
  tolerance?: number;
  /** Prints a line. */
  log?: (line: string) => void;
}

/** One file written by {@link exportRun}. */
export interface ExportedFile {
  /** The part in the file. */
  part: ModelPart;
  /** Where it was written. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Max abs difference from tfjs on a random batch (undefined when not checked). */
  maxAbsDiff?: number;
}

/**
 * The file a part goes to: `model.onnx` for the full model, and
 * `model.encoder.onnx` / `model.decoder.onnx` beside it for the halves.
 */
export function partFile(fullPath: string, part: ModelPart): string {
  if (part === 'full') return fullPath;
  return fullPath.replace(/(\.onnx)?$/i, `.${part}.onnx`);
}

/**
 * `ae export`: loads the autoencoder saved in a run directory, converts the
 * requested part(s) to ONNX, checks each against tfjs on a random batch,
 * and writes the files.
 *
 * @param dir - A run directory (with `model/`) or a model directory.
 * @throws AeError when a converted model differs from tfjs by more than the tolerance (nothing is written then).
 */
export async function exportRun(dir: string, options: ExportRunOptions = {}): Promise<ExportedFile[]> {
  const part = options.part ?? 'full';
  const tolerance = options.tolerance ?? 1e-4;
  const log = options.log ?? (() => {});
  const { autoencoder, dataShape, encoding } = await loadSavedAutoencoder(dir);
  try {
    const parts = part === 'all' ? MODEL_PARTS : [part];
    const out = options.out ?? join(dir, 'model.onnx');
    const files = parts.map((p) => ({ part: p, path: part === 'all' || !options.out ? partFile(out, p) : out }));
    const written: ExportedFile[] = [];
    for (const file of files) {
      const bytes = exportAutoencoder(autoencoder, { part: file.part, dataShape, encoding });
      let maxAbsDiff: number | undefined;
      if (Number.isFinite(tolerance)) {
        const scaler = encoding?.scaler && { input: file.part === 'decoder' ? undefined : encoding.scaler, output: file.part === 'encoder' ? undefined : encoding.scaler };
        maxAbsDiff = await measureParity(partModel(autoencoder, file.part), bytes, { scaler });
        if (!(maxAbsDiff <= tolerance)) {
          throw new AeError('parity', `the ONNX ${file.part} model differs from tfjs by ${maxAbsDiff} (tolerance ${tolerance}); not written`);
        }
      }
      await mkdir(dirname(file.path), { recursive: true });
      await writeFileAtomic(file.path, bytes);
      written.push({ ...file, bytes: bytes.length, maxAbsDiff });
      const check = maxAbsDiff === undefined ? 'not checked' : `max |onnx - tfjs| = ${maxAbsDiff.toExponential(1)}`;
      log(`${file.part}: ${file.path} (${(bytes.length / 1024).toFixed(1)} KiB, ${check})`);
    }
    return written;
  } finally {
    autoencoder.dispose();
  }
}

/** The `ae export` command. */
export const exportCommand: PluginCommand = {
  name: 'export',
  description: 'convert a trained model to ONNX (full autoencoder, encoder or decoder)',
  arguments: [{ name: 'run-dir', description: 'run directory written by ae train (or its model/ directory)', required: true }],
  options: [
    { flags: '--part <part>', description: 'full, encoder, decoder, or all (three files)', default: 'full' },
    { flags: '--out <file>', description: 'output file (default: <run-dir>/model.onnx, model.encoder.onnx, …)' },
    { flags: '--tolerance <x>', description: 'largest max-abs difference from tfjs accepted on a random batch', default: '1e-4' },
    { flags: '--no-check', description: 'skip the comparison with tfjs' },
  ],
  async run(args: string[], options: CommandOptions, io: CommandIO): Promise<void> {
    const [dir] = positionals(args);
    if (!dir) throw new ConfigError('run-dir', 'expected a run directory');
    const part = choiceOption(options, 'part', '--part', [...MODEL_PARTS, 'all'] as const, 'full');
    const tolerance = options.check === false ? Infinity : numberOption(options, 'tolerance', '--tolerance', 1e-4);
    const files = await exportRun(dir, { part, out: stringOption(options, 'out'), tolerance, log: io.log });
    io.log(`exported ${files.length} ONNX file${files.length > 1 ? 's' : ''} from ${basename(dir)}`);
  },
};
