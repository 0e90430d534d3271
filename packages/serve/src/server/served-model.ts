import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { AeError, DataFileError } from '@aekit/core';
import { meanSquaredErrors, MODEL_PARTS, modelNameOf, OnnxModel, type LoadOptions, type ModelPart, type RunOutput } from '@aekit/export-onnx';

/** What a served model can be asked to do. */
export type Action = 'reconstruct' | 'encode' | 'decode' | 'score';

/** All actions, in the order the API lists them. */
export const ACTIONS: readonly Action[] = ['reconstruct', 'encode', 'decode', 'score'];

/**
 * How a served model runs one of its ONNX files on a batch. Straight on
 * the session unless the server puts a batch queue in between.
 *
 * @param model - The ONNX file (full model, encoder or decoder) to run.
 * @param data - The items back to back, row-major.
 * @param count - Number of items in `data`.
 */
export type PartRunner = (model: OnnxModel, data: Float32Array, count: number) => Promise<Record<string, RunOutput>>;

const runDirectly: PartRunner = (model, data, count) => model.run(data, count);

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
   * @param runner - How each part runs a batch; directly on its session unless given.
   */
  constructor(
    readonly name: string,
    readonly parts: Readonly<Partial<Record<ModelPart, OnnxModel>>>,
    private readonly runner: PartRunner = runDirectly,
  ) {
    if (!NAME_PATTERN.test(name)) throw new AeError('serve', `model name '${name}' must be letters, digits, '.', '_' or '-'; rename the file`);
    if (Object.keys(parts).length === 0) throw new AeError('serve', `model '${name}' has no ONNX file`);
    // Fails early, naming the file, for models with several inputs or inputs of varying shape.
    for (const model of Object.values(parts)) void model.itemShape;
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
    const model = action === 'decode' ? this.parts.decoder : (this.parts.full ?? this.parts.encoder);
    if (!model) throw new AeError('serve', this.missing(action) ?? `model '${this.name}' cannot ${action}`);
    return model.itemShape;
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
   * Anomaly scores: the mean squared reconstruction error of each item.
   *
   * @param data - The items, row-major.
   * @param count - Number of items in `data`.
   */
  async score(data: Float32Array, count: number): Promise<number[]> {
    const reconstruction = await this.reconstruct(data, count);
    return meanSquaredErrors(data, reconstruction.data, count, (this.parts.full ?? this.parts.decoder)?.metadata.scaler);
  }

  /** What `GET /v1/models/<name>` answers: metadata, parts, inputs and outputs, actions. */
  describe(): Record<string, unknown> {
    const first = this.parts.full ?? this.parts.encoder ?? this.parts.decoder!;
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
          const model = this.parts[p]!;
          return [p, { file: model.path ? basename(model.path) : undefined, inputs: model.inputs, outputs: model.outputs }];
        }),
      ),
    };
  }

  /** Frees every part's session. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.parts).map((m) => m.close()));
  }

  private async first(part: ModelPart, data: Float32Array, count: number): Promise<RunOutput> {
    const model = this.require(part);
    return (await this.runner(model, data, count))[model.outputs[0].name];
  }

  private require(part: ModelPart): OnnxModel {
    const model = this.parts[part];
    if (!model) throw new AeError('serve', `model '${this.name}' has no ${part}`);
    return model;
  }
}

/**
 * Loads ONNX files for serving and groups them into models by name: each
 * argument is a `.onnx` file or a directory of them. A file's part comes
 * from its aekit metadata (files from other tools count as full models);
 * its name is the file name without `.onnx` and without the
 * `.encoder`/`.decoder` suffix, so `mnist.onnx`, `mnist.encoder.onnx` and
 * `mnist.decoder.onnx` serve as one model `mnist`.
 *
 * @throws DataFileError for a missing or invalid file; AeError when two files claim the same part of one model.
 * @param paths - `.onnx` files or directories of them.
 * @param options - onnxruntime settings for every model (threads, spin-waiting).
 */
export async function loadServedModels(paths: readonly string[], options: Omit<LoadOptions, 'name'> = {}): Promise<ServedModel[]> {
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
  const groups = new Map<string, Partial<Record<ModelPart, OnnxModel>>>();
  const loaded: OnnxModel[] = [];
  try {
    for (const file of files) {
      const model = await OnnxModel.load(file, options);
      loaded.push(model);
      const name = modelNameOf(file);
      const group = groups.get(name) ?? {};
      const other = group[model.part];
      if (other) throw new AeError('serve', `both ${other.path} and ${file} are the ${model.part} of model '${name}'`);
      group[model.part] = model;
      groups.set(name, group);
    }
    return [...groups].map(([name, parts]) => new ServedModel(name, parts));
  } catch (error) {
    await Promise.all(loaded.map((m) => m.close()));
    throw error;
  }
}
