import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AeError, DataFileError } from '@aekit/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { parseAekitMetadata, type AekitMetadata, type ModelPart } from '../metadata.js';
import { decodeModel, type OnnxTypes } from '../onnx/proto.js';

/** A graph input or output of a loaded model: name and shape, `null` where it varies. */
export interface TensorInfo {
  /** Tensor name in the graph, e.g. `input`, `code`. */
  readonly name: string;
  /** Dimensions, batch first; `null` for a dynamic one. */
  readonly shape: readonly (number | null)[];
}

/** One output of a run: values row-major and the full shape, batch first. */
export interface RunOutput {
  /** The values, row-major. */
  readonly data: Float32Array;
  /** Dimensions, batch first. */
  readonly shape: readonly number[];
}

/** Options of {@link OnnxModel.load}. */
export interface LoadOptions {
  /** Name to serve the model under; default: the file name without `.onnx` and part suffix. */
  name?: string;
  /** Threads onnxruntime may use inside one operator; its default (all cores) when omitted. */
  threads?: number;
  /**
   * Let onnxruntime's worker threads spin-wait for work between operators
   * (its own default). Off unless set: on a machine shared with other work,
   * or in a server whose main thread also parses requests, spinning threads
   * take the CPU that work needs, and serving ran several times slower with
   * them in our load test.
   */
  spinWait?: boolean;
}

/**
 * An ONNX model loaded into onnxruntime-node (CPU), with what its file says
 * about itself: inputs, outputs and aekit's metadata (part, family,
 * config, shapes).
 */
export class OnnxModel {
  private constructor(
    private readonly session: InferenceSession,
    /** Name the model is known by. */
    readonly name: string,
    /** The file it was loaded from, if any. */
    readonly path: string | undefined,
    /** Graph inputs. */
    readonly inputs: readonly TensorInfo[],
    /** Graph outputs. */
    readonly outputs: readonly TensorInfo[],
    /** All `metadata_props` of the file. */
    readonly metadataProps: Readonly<Record<string, string>>,
    /** aekit's metadata, parsed. */
    readonly metadata: AekitMetadata,
  ) {}

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
   * @throws DataFileError naming the file when it is missing or not a valid ONNX model.
   * @param source - Path of an `.onnx` file, or its bytes.
   * @param options - The model's name, onnxruntime's threads and spin-waiting; all optional.
   */
  static async load(source: string | Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
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
    let proto;
    try {
      proto = decodeModel(bytes);
    } catch (error) {
      throw new DataFileError(label, `is not an ONNX model (${(error as Error).message})`);
    }
    if (!proto.graph) throw new DataFileError(label, 'is not an ONNX model (no graph)');
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
        extra: { session: { intra_op: { allow_spinning: options.spinWait ? '1' : '0' } } },
      });
    } catch (error) {
      throw new DataFileError(label, `onnxruntime cannot load it: ${(error as Error).message}`);
    }
    const graph = proto.graph;
    const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
    const props = Object.fromEntries(proto.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
    const metadata = parseAekitMetadata(props);
    return new OnnxModel(
      session,
      options.name ?? modelNameOf(path ?? 'model'),
      path,
      (graph.input ?? []).filter((v) => !initializers.has(v.name)).map(tensorInfo),
      (graph.output ?? []).map(tensorInfo),
      props,
      metadata,
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

  /**
   * Runs the model on a batch given as one flat array (`batch` items of
   * {@link OnnxModel.itemShape}, row-major).
   *
   * @returns Every output by name.
   * @param data - The items, row-major.
   * @param batch - Number of items in `data`.
   */
  async run(data: Float32Array, batch: number): Promise<Record<string, RunOutput>> {
    return this.runFeeds({ [this.input.name]: { data, shape: [batch, ...this.itemShape] } });
  }

  /**
   * Runs the model on named inputs, for models with several inputs.
   *
   * @returns Every output by name.
   * @param inputs - Each input's values and shape, by input name.
   */
  async runFeeds(inputs: Readonly<Record<string, RunOutput>>): Promise<Record<string, RunOutput>> {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, { data, shape }]) => [name, new Tensor('float32', data, [...shape])]));
    const results = await this.session.run(feeds);
    const outputs: Record<string, RunOutput> = {};
    for (const { name } of this.outputs) {
      const tensor = results[name];
      outputs[name] = { data: tensor.data as Float32Array, shape: tensor.dims.map(Number) };
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
