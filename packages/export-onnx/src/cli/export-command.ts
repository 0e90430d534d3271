import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, parseCommandOptions, z, type CommandIO, type PluginCommand } from '@aekit/core';
import { loadSavedAutoencoder } from '../export.js';
import { MODEL_PARTS, type ModelPart } from '../metadata.js';
import { exportCheckedPart } from '../parity.js';
import { writeModelFile } from '../write-model-file.js';
import { writeTritonRepository, type TritonRepositoryModel, type TritonRepositoryOptions } from '../triton/repository.js';
import { choiceOption, intOption, numberOption, positionals, stringOption, type CommandOptions } from './options.js';

/** The options of `ae export-onnx` as commander hands them over, checked and converted; errors name the flag. */
const optionsSchema = z.object({
  format: choiceOption(['onnx', 'triton'], 'onnx'),
  part: choiceOption<ModelPart | 'all'>([...MODEL_PARTS, 'all'], 'full'),
  out: stringOption(),
  name: stringOption(),
  maxBatch: intOption({ min: 1, fallback: 256 }),
  maxDelayMs: intOption({ min: 0, max: 60_000, fallback: 0 }),
  maxQueue: intOption({ min: 1, fallback: 128 }),
  tolerance: numberOption(1e-4),
});

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
 *
 * @param fullPath - Path of the full model's file, such as `model.onnx`.
 * @param part - `full`, `encoder` or `decoder`.
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
 * @param options - The part(s), output file, parity tolerance and logger; all optional.
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
      const { bytes, maxAbsDiff } = await exportCheckedPart(autoencoder, file.part, dataShape, tolerance, encoding);
      await mkdir(dirname(file.path), { recursive: true });
      await writeModelFile(file.path, bytes);
      written.push({ ...file, bytes: bytes.length, maxAbsDiff });
      const check = maxAbsDiff === undefined ? 'not checked' : `max |onnx - tfjs| = ${maxAbsDiff.toExponential(1)}`;
      log(`${file.part}: ${file.path} (${(bytes.length / 1024).toFixed(1)} KiB, ${check})`);
    }
    return written;
  } finally {
    autoencoder.dispose();
  }
}

/** Options of {@link exportTritonRun}. */
export interface ExportTritonOptions extends Omit<TritonRepositoryOptions, 'name' | 'dataShape'> {
  /** The repository directory; `<run-dir>/model_repository` unless given. */
  out?: string;
  /** Base name of the models; the run directory's name unless given. */
  name?: string;
}

/**
 * `ae export --format triton`: loads the autoencoder saved in a run
 * directory and writes a Triton model repository for it (see
 * {@link writeTritonRepository}).
 *
 * @param dir - A run directory (with `model/`) or a model directory.
 * @param options - The repository directory, the models' base name, batching limits, parity tolerance and logger; all optional.
 */
export async function exportTritonRun(dir: string, options: ExportTritonOptions = {}): Promise<TritonRepositoryModel[]> {
  const { autoencoder, dataShape, encoding, modelDir } = await loadSavedAutoencoder(dir);
  try {
    const name = options.name ?? defaultModelName(modelDir);
    return await writeTritonRepository(autoencoder, options.out ?? join(dir, 'model_repository'), { ...options, name, dataShape, encoding });
  } finally {
    autoencoder.dispose();
  }
}

/** A run's name as a model name: `runs/conv-1` gives `conv-1` (the run directory, not its `model/`). */
function defaultModelName(modelDir: string): string {
  const resolved = resolve(modelDir);
  const base = basename(resolved) === 'model' ? basename(dirname(resolved)) : basename(resolved);
  return base.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'model';
}

/** The `ae export` command. */
export const exportCommand: PluginCommand = {
  name: 'export',
  description: 'convert a trained model to ONNX (full autoencoder, encoder or decoder), or write a Triton model repository',
  arguments: [{ name: 'run-dir', description: 'run directory written by ae train (or its model/ directory)', required: true }],
  options: [
    { flags: '--part <part>', description: 'full, encoder, decoder, or all (three files)', default: 'full' },
    { flags: '--format <format>', description: 'onnx (files) or triton (a Triton model repository of all parts and a score ensemble)', default: 'onnx' },
    { flags: '--out <path>', description: 'output file (default: <run-dir>/model.onnx, …); for triton the repository directory (default: <run-dir>/model_repository)' },
    { flags: '--name <name>', description: 'triton: base name of the models (default: the run directory name)' },
    { flags: '--max-batch <n>', description: 'triton: max_batch_size of every model', default: '256' },
    { flags: '--max-delay-ms <ms>', description: 'triton: dynamic batching max_queue_delay (milliseconds)', default: '0' },
    { flags: '--max-queue <n>', description: 'triton: dynamic batching max_queue_size (requests beyond it are rejected)', default: '128' },
    { flags: '--tolerance <x>', description: 'largest max-abs difference from tfjs accepted on a random batch', default: '1e-4' },
    { flags: '--no-check', description: 'skip the comparison with tfjs' },
  ],
  async run(args: string[], options: CommandOptions, io: CommandIO): Promise<void> {
    const [dir] = positionals(args);
    if (!dir) throw new ConfigError('run-dir', 'expected a run directory');
    const opts = parseCommandOptions(optionsSchema, options, 'flag');
    const tolerance = options.check === false ? Infinity : opts.tolerance!;
    if (opts.format === 'triton') {
      const models = await exportTritonRun(dir, {
        out: opts.out,
        name: opts.name,
        maxBatch: opts.maxBatch,
        maxDelayMs: opts.maxDelayMs,
        maxQueue: opts.maxQueue,
        tolerance,
        log: io.log,
      });
      io.log(`wrote a Triton model repository of ${models.length} models from ${basename(dir)}`);
      return;
    }
    const files = await exportRun(dir, { part: opts.part, out: opts.out, tolerance, log: io.log });
    io.log(`exported ${files.length} ONNX file${files.length > 1 ? 's' : ''} from ${basename(dir)}`);
  },
};
