import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { commandOptions, ConfigError, integerIn, option, pluginCommand, positiveNumber, z, type CommandIO } from '@aekit/core';
import { checkOutputFile } from '@aekit/core/node';
import { loadSavedAutoencoder } from '../export.js';
import { MODEL_PARTS, type ModelPart } from '../metadata.js';
import { exportCheckedPart } from '../parity.js';
import { writeModelFile } from '../write-model-file.js';
import { writeTritonRepository, type TritonRepositoryModel, type TritonRepositoryOptions } from '../triton/repository.js';
import { positionals } from './options.js';

const PARTS = [...MODEL_PARTS, 'all'] as const;

/** The options of `ae export`, declared once: flags, help, defaults and checks derive from it. */
export const exportOptions = commandOptions({
  part: option(z.enum(PARTS, { error: `expected one of ${PARTS.join(', ')}` }), { value: 'part', help: 'full, encoder, decoder, or all (three files)', default: 'full' }),
  format: option(z.enum(['onnx', 'triton'], { error: 'expected one of onnx, triton' }), {
    value: 'format',
    help: 'onnx (files) or triton (a Triton model repository of all parts and a score ensemble)',
    default: 'onnx',
  }),
  out: option(z.string().min(1), {
    value: 'path',
    help: 'output file (default: <run-dir>/model.onnx, …); for triton the repository directory (default: <run-dir>/model_repository)',
  }),
  name: option(z.string().min(1), { value: 'name', help: 'triton: base name of the models (default: the run directory name)' }),
  maxBatch: option(integerIn({ min: 1 }), { value: 'n', help: 'triton: max_batch_size of every model', default: 256 }),
  maxDelayMs: option(integerIn({ min: 0, max: 60_000 }), { value: 'ms', help: 'triton: dynamic batching max_queue_delay (milliseconds)', default: 0 }),
  maxQueue: option(integerIn({ min: 1 }), { value: 'n', help: 'triton: dynamic batching max_queue_size (requests beyond it are rejected)', default: 128 }),
  tolerance: option(positiveNumber(), { value: 'x', help: 'largest max-abs difference from tfjs accepted on a random batch', default: 1e-4 }),
  check: option(z.boolean(), { help: 'skip the comparison with tfjs', default: true }),
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
 * @example
 * ```ts
 * import { partFile } from '@aekit/export-onnx';
 *
 * partFile('out/mnist.onnx', 'encoder'); // 'out/mnist.encoder.onnx'
 * partFile('out/mnist.onnx', 'full'); // 'out/mnist.onnx'
 * ```
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
 * @example
 * ```ts
 * import { exportRun } from '@aekit/export-onnx';
 *
 * const files = await exportRun('runs/dense', { part: 'all', out: 'models/mnist.onnx', log: console.log });
 * console.log(files.map((file) => file.path)); // ['models/mnist.onnx', 'models/mnist.encoder.onnx', 'models/mnist.decoder.onnx']
 * ```
 * @param dir - A run directory (with `model/`) or a model directory.
 * @throws AeError when a converted model differs from tfjs by more than the tolerance (nothing is written then).
 * @param options - The part(s), output file, parity tolerance and logger; all optional.
 */
export async function exportRun(dir: string, options: ExportRunOptions = {}): Promise<ExportedFile[]> {
  const part = options.part ?? 'full';
  const tolerance = options.tolerance ?? 1e-4;
  const log = options.log ?? (() => {});
  const { autoencoder, dataShape, preprocessing } = await loadSavedAutoencoder(dir);
  try {
    const parts = part === 'all' ? MODEL_PARTS : [part];
    const out = options.out ?? join(dir, 'model.onnx');
    const files = parts.map((p) => ({ part: p, path: part === 'all' || !options.out ? partFile(out, p) : out }));
    // Every target is checked before any conversion: a device, FIFO or link at --out is refused, never replaced.
    for (const file of files) await checkOutputFile(file.path);
    const written: ExportedFile[] = [];
    for (const file of files) {
      const { bytes, maxAbsDiff } = await exportCheckedPart(autoencoder, file.part, dataShape, tolerance, preprocessing);
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
 * @example
 * ```ts
 * import { exportTritonRun } from '@aekit/export-onnx';
 *
 * const models = await exportTritonRun('runs/dense', { out: 'model-repository', name: 'mnist', maxBatch: 64 });
 * console.log(models.map((model) => model.name)); // ['mnist', 'mnist_encoder', 'mnist_decoder', 'mnist_mse', 'mnist_score']
 * ```
 * @param dir - A run directory (with `model/`) or a model directory.
 * @param options - The repository directory, the models' base name, batching limits, parity tolerance and logger; all optional.
 */
export async function exportTritonRun(dir: string, options: ExportTritonOptions = {}): Promise<TritonRepositoryModel[]> {
  const { autoencoder, dataShape, preprocessing, modelDir } = await loadSavedAutoencoder(dir);
  try {
    const name = options.name ?? defaultModelName(modelDir);
    return await writeTritonRepository(autoencoder, options.out ?? join(dir, 'model_repository'), { ...options, name, dataShape, preprocessing });
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
export const exportCommand = pluginCommand({
  name: 'export',
  description: 'convert a trained model to ONNX (full autoencoder, encoder or decoder), or write a Triton model repository',
  arguments: [{ name: 'run-dir', description: 'run directory written by ae train (or its model/ directory)', required: true }],
  options: exportOptions,
  async run(args, opts, io: CommandIO): Promise<void> {
    const [dir] = positionals(args);
    if (!dir) throw new ConfigError('run-dir', 'expected a run directory');
    const tolerance = opts.check ? opts.tolerance : Infinity;
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
});
