import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { AeError, DataFileError } from '@aekit/core';
import { meanSquaredErrors, MODEL_PARTS, modelNameOf, OnnxModelFile, type ModelPart, type RunOutput, type SessionSettings } from '@aekit/export-onnx';
import { WorkerPart, type RunnablePart } from './workers/worker-part.js';

/** What a served model can be asked to do. */
export type Action = 'reconstruct' | 'encode' | 'decode' | 'score';

/** All actions, in the order the API lists them. */
export const ACTIONS: readonly Action[] = ['reconstruct', 'encode', 'decode', 'score'];

/** Scores as `ae serve` gives them: float64, since the squared errors of raw rows can exceed float32's range. */
export interface ScoreOutput {
  /** One score per item. */
  readonly data: Float64Array;
  /** `[count]`. */
  readonly shape: readonly number[];
}

/**
 * How a served model runs one of its ONNX files on a batch. Straight on
 * the part unless the server puts a batch queue in between.
 *
 * @param part - The ONNX file (full model, encoder or decoder) to run.
 * @param data - The items back to back, row-major.
 * @param count - Number of items in `data`.
 */
export type PartRunner = (part: RunnablePart, data: Float32Array, count: number) => Promise<Record<string, RunOutput>>;

const runDirectly: PartRunner = (part, data, count) => part.run(data, count);

/** Names that can appear in a URL path unescaped. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * One autoencoder as the server sees it: up to three ONNX files under one
 * name, the full model, the encoder and the decoder. `reconstruct` and
 * `score` use the full model (or the encoder followed by the decoder),
 * `encode` the encoder and `decode` the decoder.
 */
export class ServedModel {
  /**
   * @param name - Name in URLs, e.g. `mnist` for `/v1/models/mnist/encode`.
   * @param parts - The loaded parts; at least one.
   * @param runner - How each part runs a batch; directly unless given.
   */
  constructor(
    readonly name: string,
    readonly parts: Readonly<Partial<Record<ModelPart, RunnablePart>>>,
    private readonly runner: PartRunner = runDirectly,
  ) {
    if (!NAME_PATTERN.test(name)) throw new AeError('serve', `model name '${name}' must be letters, digits, '.', '_' or '-'; rename the file`);
    if (Object.keys(parts).length === 0) throw new AeError('serve', `model '${name}' has no ONNX file`);
    // Fails early, naming the file, for models with several inputs or inputs of varying shape.
    for (const part of Object.values(parts)) void part.file.itemShape;
  }

  /**
   * The same model (same sessions) with its parts run through `runner`, e.g. a batch queue.
   *
   * @param runner - How each part runs a batch, e.g. `ModelQueues.run`, which goes through a batch queue.
   */
  withRunner(runner: PartRunner): ServedModel {
    return new ServedModel(this.name, this.parts, runner);
  }

  /**
   * Runs one part on a batch through the model's runner.
   *
   * @param part - `full`, `encoder` or `decoder`; the model must have it.
   * @param data - The items, row-major.
   * @param count - Number of items in `data`.
   * @returns Every output of the part by name.
   */
  async runPart(part: ModelPart, data: Float32Array, count: number): Promise<Record<string, RunOutput>> {
    return this.runner(this.require(part), data, count);
  }

  /** The actions its parts allow. */
  get actions(): Action[] {
    const { full, encoder, decoder } = this.parts;
    const reconstructs = Boolean(full ?? (encoder && decoder));
    return ACTIONS.filter((a) => (a === 'encode' ? encoder : a === 'decode' ? decoder : reconstructs));
  }

  /**
   * Why an action is not available, or undefined when it is.
   *
   * @param action - `reconstruct`, `encode`, `decode` or `score`.
   */
  missing(action: Action): string | undefined {
    if (this.actions.includes(action)) return undefined;
    const need = action === 'encode' ? 'an encoder' : action === 'decode' ? 'a decoder' : 'a full model (or an encoder and a decoder)';
    return `model '${this.name}' has no ${need.replace(/^an? /, '')}; export it with 'ae export --part all' and serve the files together`;
  }

  /**
   * Shape of one input item of an action.
   *
   * @param action - `reconstruct`, `encode`, `decode` or `score`.
   */
  itemShape(action: Action): number[] {
    const part = action === 'decode' ? this.parts.decoder : (this.parts.full ?? this.parts.encoder);
    if (!part) throw new AeError('serve', this.missing(action) ?? `model '${this.name}' cannot ${action}`);
    return part.file.itemShape;
  }

  /**
   * Name of the output an action answers with first: the reconstruction
   * (of the full model, or of the decoder), the encoder's code (a VAE: its
   * mean), or `score`.
   *
   * @param action - `reconstruct`, `encode`, `decode` or `score`.
   */
  primaryOutput(action: Action): string {
    if (action === 'score') return 'score';
    const part = action === 'encode' ? this.parts.encoder : action === 'decode' ? this.parts.decoder : (this.parts.full ?? this.parts.decoder);
    return this.require(part?.file.part ?? 'full').file.outputs[0].name;
  }

  /**
   * The reconstruction of a batch: the full model, or the decoder on the encoder's first output.
   *
   * @param data - The items, row-major.
   * @param count - Number of items in `data`.
   */
  async reconstruct(data: Float32Array, count: number): Promise<RunOutput> {
    if (this.parts.full) return this.first('full', data, count);
    const code = await this.first('encoder', data, count);
    return this.first('decoder', code.data, count);
  }

  /**
   * Every output of the encoder (a VAE's mean and log-variance; otherwise the code).
   *
   * @param data - The items, row-major.
   * @param count - Number of items in `data`.
   */
  async encode(data: Float32Array, count: number): Promise<Record<string, RunOutput>> {
    return this.runPart('encoder', data, count);
  }

  /**
   * The decoder's output for a batch of codes.
   *
   * @param data - The codes, row-major.
   * @param count - Number of codes in `data`.
   */
  async decode(data: Float32Array, count: number): Promise<RunOutput> {
    return this.first('decoder', data, count);
  }

  /**
   * Anomaly scores: the mean squared reconstruction error of each item, in
   * float64 (for a table model the errors of raw rows can exceed float32).
   *
   * @param data - The items, row-major.
   * @param count - Number of items in `data`.
   * @param reconstruction - The reconstruction of `data`, when the caller has it already.
   */
  async score(data: Float32Array, count: number, reconstruction?: RunOutput): Promise<ScoreOutput> {
    const rebuilt = reconstruction ?? (await this.reconstruct(data, count));
    const scaler = (this.parts.full ?? this.parts.decoder)?.file.metadata.scaler;
    return { data: Float64Array.from(meanSquaredErrors(data, rebuilt.data, count, scaler)), shape: [count] };
  }

  /** What `GET /v1/models/<name>` answers: metadata, parts, inputs and outputs, actions. */
  describe(): Record<string, unknown> {
    const first = (this.parts.full ?? this.parts.encoder ?? this.parts.decoder)!.file;
    const { family, config, inputShape, latentShape, dataShape } = first.metadata;
    return {
      name: this.name,
      family,
      config,
      inputShape,
      latentShape,
      dataShape,
      actions: this.actions,
      parts: Object.fromEntries(
        MODEL_PARTS.filter((p) => this.parts[p]).map((p) => {
          const { file } = this.parts[p]!;
          return [p, { file: file.path ? basename(file.path) : undefined, inputs: file.inputs, outputs: file.outputs }];
        }),
      ),
    };
  }

  /** Frees every part's session and thread. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.parts).map((p) => p.close()));
  }

  private async first(part: ModelPart, data: Float32Array, count: number): Promise<RunOutput> {
    const runnable = this.require(part);
    return (await this.runner(runnable, data, count))[runnable.file.outputs[0].name];
  }

  private require(part: ModelPart): RunnablePart {
    const runnable = this.parts[part];
    if (!runnable) throw new AeError('serve', `model '${this.name}' has no ${part}`);
    return runnable;
  }
}

/** Options of {@link loadServedModels}. */
export interface LoadServedOptions extends SessionSettings {
  /**
   * Serve files without the checksum `ae export` writes (files from other
   * tools). Off unless set: such files are refused, naming the file and
   * this option (`--allow-unsigned`). A file whose checksum does not match
   * its bytes is refused either way.
   */
  allowUnsigned?: boolean;
  /** Model calls of at most this many bytes of input run on the event loop, the rest on each file's thread; 0 sends all to the threads. 16 KiB unless given. */
  inlineBytes?: number;
}

/**
 * Loads ONNX files for serving and groups them into models by name: each
 * argument is a `.onnx` file or a directory of them. Every file must carry
 * the checksum `ae export` writes, and match it (see `allowUnsigned`). A
 * file's part comes from its aekit metadata (files from other tools count
 * as full models); its name is the file name without `.onnx` and without
 * the `.encoder`/`.decoder` suffix, so `mnist.onnx`, `mnist.encoder.onnx`
 * and `mnist.decoder.onnx` serve as one model `mnist`. Each file's session
 * runs in a worker thread of its own.
 *
 * @throws DataFileError for a missing, invalid, damaged or (without `allowUnsigned`) unsigned file; AeError when two files claim the same part of one model.
 * @param paths - `.onnx` files or directories of them.
 * @param options - Whether unsigned files are served; onnxruntime settings for every model (threads, spin-waiting).
 */
export async function loadServedModels(paths: readonly string[], options: LoadServedOptions = {}): Promise<ServedModel[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      throw new DataFileError(path, 'no such file or directory');
    }
    if (!isDir) files.push(path);
    else {
      const inside = (await readdir(path)).filter((f) => extname(f).toLowerCase() === '.onnx').sort();
      if (inside.length === 0) throw new DataFileError(path, 'holds no .onnx files');
      files.push(...inside.map((f) => join(path, f)));
    }
  }
  if (files.length === 0) throw new AeError('serve', 'no ONNX files to serve');
  // Every file is read and checked before any thread starts.
  const groups = new Map<string, Partial<Record<ModelPart, OnnxModelFile>>>();
  for (const path of files) {
    const file = await OnnxModelFile.read(path, { requireChecksum: !options.allowUnsigned });
    const name = modelNameOf(path);
    const group = groups.get(name) ?? {};
    const other = group[file.part];
    if (other) throw new AeError('serve', `both ${other.path} and ${path} are the ${file.part} of model '${name}'`);
    group[file.part] = file;
    groups.set(name, group);
  }
  const settings: SessionSettings = { threads: options.threads, spinWait: options.spinWait };
  const started: RunnablePart[] = [];
  try {
    const models: ServedModel[] = [];
    for (const [name, group] of groups) {
      const parts: Partial<Record<ModelPart, RunnablePart>> = {};
      for (const [part, file] of Object.entries(group) as [ModelPart, OnnxModelFile][]) {
        parts[part] = await WorkerPart.start(file, settings, options.inlineBytes);
        started.push(parts[part]);
      }
      models.push(new ServedModel(name, parts));
    }
    return models;
  } catch (error) {
    await Promise.all(started.map((p) => p.close()));
    throw error;
  }
}
