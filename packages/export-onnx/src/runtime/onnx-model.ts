import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AeError, DataFileError } from '@aekit/core';
import type { InferenceSession } from 'onnxruntime-node';
import { parseAekitMetadata, type AekitMetadata, type ModelPart } from '../metadata.js';
import { verifyModelBytes } from '../onnx/checksum.js';
import { decodeModel, type OnnxTypes } from '../onnx/proto.js';
import { checkExternalData } from './external-data.js';
import { loadOnnxRuntime } from './load-runtime.js';
import { sessionOptions, type SessionSettings } from './session-options.js';

/** A graph input or output of a loaded model: name and shape, `null` where it varies. */
export interface TensorInfo {
  /** Tensor name in the graph, e.g. `input`, `code`. */
  readonly name: string;
  /** Dimensions, batch first; `null` for a dynamic one. */
  readonly shape: readonly (number | null)[];
}

/** One float32 tensor (an input or output of a run): values row-major and the full shape, batch first. */
export interface RunOutput {
  /** The values, row-major. */
  readonly data: Float32Array;
  /** Dimensions, batch first. */
  readonly shape: readonly number[];
}

/** An output of {@link OnnxModel.runFeeds}: float32, or float64 (the score model's `score`). */
export interface OutputTensor {
  /** The values, row-major. */
  readonly data: Float32Array | Float64Array;
  /** Dimensions, batch first. */
  readonly shape: readonly number[];
}

/** Options of {@link OnnxModelFile.read}. */
export interface ReadOptions {
  /** Name to serve the model under; default: the file name without `.onnx` and part suffix. */
  name?: string;
  /**
   * Refuse a file without aekit's checksum (see `signModelBytes`): one
   * written by another tool, re-saved by one, or by an older aekit. Off
   * unless set; `ae serve` and `ae infer` set it unless `--allow-unsigned`
   * is given. A file whose checksum does not match its bytes is refused
   * either way.
   */
  requireChecksum?: boolean;
}

/** Options of {@link OnnxModel.load}: which file to accept, and how its session runs. */
export interface LoadOptions extends ReadOptions, SessionSettings {}

/**
 * What an `.onnx` file says about itself, read without onnxruntime:
 * inputs, outputs and aekit's metadata (part, family, config, shapes),
 * with its checksum checked. {@link OnnxModel} adds a session that runs it.
 *
 * @example
 * ```ts
 * import { OnnxModelFile } from '@aekit/export-onnx';
 *
 * const file = await OnnxModelFile.read('mnist.encoder.onnx'); // no onnxruntime needed
 * console.log(file.name, file.part, file.itemShape, file.signed); // 'mnist' 'encoder' [784] true
 * console.log(file.outputs); // e.g. [{ name: 'code', shape: [null, 32] }]
 * ```
 */
export class OnnxModelFile {
  /**
   * @param bytes - The file's contents.
   * @param name - Name the model is known by.
   * @param path - The file it was read from, if any.
   * @param inputs - Graph inputs (initializers left out).
   * @param outputs - Graph outputs.
   * @param metadataProps - All `metadata_props` of the file.
   * @param metadata - aekit's metadata, parsed.
   * @param signed - Whether the file carries aekit's checksum (and it matched).
   * @param externalData - Whether tensors are kept in other files (checked to be inside the model's folder).
   */
  protected constructor(
    /** The file's contents. */
    readonly bytes: Uint8Array,
    /** Name the model is known by. */
    readonly name: string,
    /** The file it was read from, if any. */
    readonly path: string | undefined,
    /** Graph inputs. */
    readonly inputs: readonly TensorInfo[],
    /** Graph outputs. */
    readonly outputs: readonly TensorInfo[],
    /** All `metadata_props` of the file. */
    readonly metadataProps: Readonly<Record<string, string>>,
    /** aekit's metadata, parsed. */
    readonly metadata: AekitMetadata,
    /** Whether the file carries aekit's checksum (and it matched). */
    readonly signed: boolean,
    /** Whether tensors are kept in other files (checked to be inside the model's folder); such a model loads from its path. */
    readonly externalData = false,
  ) {}

  /**
   * Reads an `.onnx` file (or its bytes), checks its checksum and decodes
   * its inputs, outputs and metadata.
   *
   * @throws DataFileError naming the file when it is missing, not a valid ONNX model, damaged (checksum mismatch), or unsigned while `requireChecksum` is set.
   * @param source - Path of an `.onnx` file, or its bytes.
   * @param options - The model's name, and whether a checksum is required.
   */
  static async read(source: string | Uint8Array, options: ReadOptions = {}): Promise<OnnxModelFile> {
    const path = typeof source === 'string' ? source : undefined;
    const label = path ?? '<onnx bytes>';
    let bytes: Uint8Array;
    if (typeof source === 'string') {
      try {
        bytes = await readFile(source);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new DataFileError(source, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`);
      }
    } else {
      bytes = source;
    }
    const checksum = verifyModelBytes(bytes);
    if (checksum.status === 'mismatch') {
      throw new DataFileError(label, 'its bytes do not match the checksum ae export wrote into it (the file was changed or damaged since); export it again');
    }
    if (checksum.status === 'unsigned' && options.requireChecksum) {
      throw new DataFileError(label, 'has no aekit checksum (written or re-saved by another tool, or by an older aekit); export it again, or pass --allow-unsigned to use it as it is');
    }
    let proto;
    try {
      proto = decodeModel(bytes);
    } catch (error) {
      throw new DataFileError(label, `is not an ONNX model (${(error as Error).message})`);
    }
    if (!proto.graph) throw new DataFileError(label, 'is not an ONNX model (no graph)');
    // onnxruntime reads external data relative to the model's path: checked here to stay in its folder.
    const externalData = await checkExternalData(proto, path, label);
    const graph = proto.graph;
    const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
    const props = Object.fromEntries(proto.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
    return new OnnxModelFile(
      bytes,
      options.name ?? modelNameOf(path ?? 'model'),
      path,
      (graph.input ?? []).filter((v) => !initializers.has(v.name)).map(tensorInfo),
      (graph.output ?? []).map(tensorInfo),
      props,
      parseAekitMetadata(props),
      checksum.status === 'verified',
      externalData,
    );
  }

  /** The file name, or the model name for a model loaded from bytes, for messages. */
  get label(): string {
    return this.path ?? `model '${this.name}'`;
  }

  /** Which part of an autoencoder the model is (`full` unless its metadata says otherwise). */
  get part(): ModelPart {
    return this.metadata.part;
  }

  /** The model's input (aekit models have exactly one). */
  get input(): TensorInfo {
    if (this.inputs.length !== 1) throw new AeError('model', `${this.label}: has ${this.inputs.length} inputs; expected one`);
    return this.inputs[0];
  }

  /** Shape of one input item (the input shape without the batch). */
  get itemShape(): number[] {
    const shape = this.input.shape.slice(1);
    if (shape.some((d) => d === null)) {
      throw new AeError('model', `${this.label}: its input's shape [${this.input.shape.map((d) => d ?? '?')}] varies beyond the batch; give it a fixed shape`);
    }
    return shape as number[];
  }
}

/**
 * An ONNX model loaded into onnxruntime-node (CPU), with what its file says
 * about itself (see {@link OnnxModelFile}). onnxruntime-node is imported
 * on first load; without it, loading fails with the command that installs it.
 *
 * @example
 * ```ts
 * import { OnnxModel } from '@aekit/export-onnx';
 *
 * const onnx = await OnnxModel.load('mnist.onnx', { threads: 2 });
 * const { reconstruction } = await onnx.run(new Float32Array(3 * 784), 3); // three items in the model's input shape
 * console.log(reconstruction.shape); // [3, 784]
 * await onnx.close();
 * ```
 */
export class OnnxModel extends OnnxModelFile {
  private constructor(
    file: OnnxModelFile,
    private readonly session: InferenceSession,
    private readonly runtime: Awaited<ReturnType<typeof loadOnnxRuntime>>,
  ) {
    super(file.bytes, file.name, file.path, file.inputs, file.outputs, file.metadataProps, file.metadata, file.signed, file.externalData);
  }

  /**
   * Loads an `.onnx` file (or its bytes) into an onnxruntime session.
   *
   * @example
   * ```ts
   * import { OnnxModel } from '@aekit/export-onnx';
   *
   * const onnx = await OnnxModel.load('conv.onnx', { threads: 1 });
   * const batch = new Float32Array(2 * 28 * 28); // two items, row-major, in the model's input shape
   * const { reconstruction } = await onnx.run(batch, 2);
   * console.log(reconstruction.shape); // [2, 28, 28, 1]
   * await onnx.close();
   * ```
   * @throws DataFileError naming the file when it is missing, not a valid ONNX model, or fails its checksum (see {@link OnnxModelFile.read}); MissingRuntimeError when onnxruntime-node is not installed.
   * @param source - Path of an `.onnx` file, or its bytes.
   * @param options - The model's name, whether a checksum is required, onnxruntime's threads and spin-waiting; all optional.
   */
  static async load(source: string | Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
    const file = await OnnxModelFile.read(source, options);
    const runtime = await loadOnnxRuntime();
    let session: InferenceSession;
    try {
      const settings = sessionOptions(options);
      session = file.externalData && file.path ? await runtime.InferenceSession.create(file.path, settings) : await runtime.InferenceSession.create(file.bytes, settings);
    } catch (error) {
      throw new DataFileError(file.label, `onnxruntime cannot load it: ${(error as Error).message}`);
    }
    return new OnnxModel(file, session, runtime);
  }

  /**
   * Runs the model on a batch given as one flat array (`batch` items of
   * {@link OnnxModel.itemShape}, row-major).
   *
   * @returns Every output by name.
   * @param data - The items, row-major.
   * @param batch - Number of items in `data`.
   */
  async run(data: Float32Array, batch: number): Promise<Record<string, RunOutput>> {
    const outputs = await this.runFeeds({ [this.input.name]: { data, shape: [batch, ...this.itemShape] } });
    for (const [name, { data: values }] of Object.entries(outputs)) {
      if (!(values instanceof Float32Array)) throw new AeError('model', `${this.label}: output '${name}' is not float32; run it with runFeeds`);
    }
    return outputs as Record<string, RunOutput>;
  }

  /**
   * Runs the model on named float32 inputs, for models with several
   * inputs; outputs are float32 or float64 (the score model's).
   *
   * @returns Every output by name.
   * @param inputs - Each input's values and shape, by input name.
   */
  async runFeeds(inputs: Readonly<Record<string, RunOutput>>): Promise<Record<string, OutputTensor>> {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, { data, shape }]) => [name, new this.runtime.Tensor('float32', data, [...shape])]));
    const results = await this.session.run(feeds);
    const outputs: Record<string, OutputTensor> = {};
    for (const { name } of this.outputs) {
      const tensor = results[name];
      if (!(tensor.data instanceof Float32Array || tensor.data instanceof Float64Array)) {
        throw new AeError('model', `${this.label}: output '${name}' is ${tensor.type}; aekit runs float32 and float64 outputs`);
      }
      outputs[name] = { data: tensor.data, shape: tensor.dims.map(Number) };
    }
    return outputs;
  }

  /**
   * Runs the model and returns its first output.
   *
   * @param data - The items, row-major.
   * @param batch - Number of items in `data`.
   */
  async runFirst(data: Float32Array, batch: number): Promise<RunOutput> {
    return (await this.run(data, batch))[this.outputs[0].name];
  }

  /** Frees the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * The name a model file is served under: its base name without `.onnx`
 * and without a `.encoder`/`.decoder` part suffix, so that
 * `mnist.onnx`, `mnist.encoder.onnx` and `mnist.decoder.onnx` are one model.
 *
 * @example
 * ```ts
 * import { modelNameOf } from '@aekit/export-onnx';
 *
 * modelNameOf('models/mnist.encoder.onnx'); // 'mnist'
 * modelNameOf('mnist.onnx'); // 'mnist'
 * ```
 * @param path - Path of an `.onnx` file.
 */
export function modelNameOf(path: string): string {
  return basename(path)
    .replace(/\.onnx$/i, '')
    .replace(/\.(encoder|decoder|full)$/i, '');
}

function tensorInfo(value: OnnxTypes.IValueInfoProto): TensorInfo {
  const dims = (value.type?.tensorType?.shape?.dim ?? []) as OnnxTypes.TensorShapeProto.Dimension[];
  return {
    name: value.name ?? '',
    // A decoded dimension says which of its oneof fields is set; only dim_value is a size.
    shape: dims.map((d) => (d.value === 'dimValue' ? Number(d.dimValue.toString()) : null)),
  };
}
