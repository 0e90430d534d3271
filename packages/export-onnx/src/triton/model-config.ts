/** A tensor of a Triton model configuration: dims without the batch dimension. */
export interface TritonTensor {
  /** Tensor name, as in the ONNX graph. */
  name: string;
  /** Its element type; `TYPE_FP32` unless given (the score is `TYPE_FP64`). */
  dataType?: 'TYPE_FP32' | 'TYPE_FP64';
  /** Dimensions of one item; the batch is implied by `max_batch_size`. */
  dims: readonly number[];
}

/** One step of a Triton ensemble: a model, and which ensemble tensors feed its inputs and take its outputs. */
export interface TritonEnsembleStep {
  /** The model run in this step. */
  modelName: string;
  /** Model input name → ensemble tensor name. */
  inputMap: Readonly<Record<string, string>>;
  /** Model output name → ensemble tensor name. */
  outputMap: Readonly<Record<string, string>>;
}

/**
 * What aekit writes into a Triton `config.pbtxt` (a `inference.ModelConfig`
 * of Triton's `model_config.proto`): an ONNX Runtime model with dynamic
 * batching, or an ensemble of such models.
 */
export interface TritonModelConfig {
  /** The model's name; must equal its directory name in the repository. */
  name: string;
  /** `onnxruntime_onnx` for an ONNX file, `ensemble` for a chain of models. */
  platform: 'onnxruntime_onnx' | 'ensemble';
  /** Most items in one batch (Triton merges requests up to it); > 0 means every tensor has a batch dimension first. */
  maxBatchSize: number;
  /** The model's inputs. */
  inputs: readonly TritonTensor[];
  /** The model's outputs. */
  outputs: readonly TritonTensor[];
  /** Dynamic batching (ONNX models): longest wait for a batch to fill, and most requests queued. */
  dynamicBatching?: { maxQueueDelayMicroseconds: number; maxQueueSize: number };
  /** The steps of an ensemble. */
  ensembleSteps?: readonly TritonEnsembleStep[];
}

/**
 * Writes a model configuration in protobuf text format, the `config.pbtxt`
 * Triton reads. Field names and enum values are those of Triton's
 * `model_config.proto` (`max_batch_size`, `TYPE_FP32`, …); the test suite
 * parses the result against that schema.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { toConfigPbtxt } from '@aekit/export-onnx';
 *
 * const pbtxt = toConfigPbtxt({ name: 'mnist', platform: 'onnxruntime_onnx', maxBatchSize: 64, inputs: [{ name: 'input', dims: [784] }], outputs: [{ name: 'reconstruction', dims: [784] }] });
 * await writeFile('model-repository/mnist/config.pbtxt', pbtxt); // name: "mnist" platform: "onnxruntime_onnx" max_batch_size: 64 input [ { name: "input" data_type: TYPE_FP32 dims: [ 784 ] } ] ...
 * ```
 * @param config - The model's name, platform, batch limit, tensors, dynamic batching and ensemble steps.
 */
export function toConfigPbtxt(config: TritonModelConfig): string {
  const lines: string[] = [`name: ${quote(config.name)}`, `platform: ${quote(config.platform)}`, `max_batch_size: ${integer(config.maxBatchSize)}`];
  lines.push(...tensorList('input', config.inputs), ...tensorList('output', config.outputs));
  if (config.dynamicBatching) {
    const { maxQueueDelayMicroseconds, maxQueueSize } = config.dynamicBatching;
    lines.push(
      'dynamic_batching {',
      `  max_queue_delay_microseconds: ${integer(maxQueueDelayMicroseconds)}`,
      // Back-pressure as in `ae serve --max-queue`: requests beyond it are rejected, not queued without bound.
      `  default_queue_policy {`,
      `    max_queue_size: ${integer(maxQueueSize)}`,
      '  }',
      '}',
    );
  }
  if (config.ensembleSteps) {
    lines.push('ensemble_scheduling {', '  step [');
    config.ensembleSteps.forEach((step, i) => {
      lines.push('    {', `      model_name: ${quote(step.modelName)}`, '      model_version: -1');
      for (const [key, value] of Object.entries(step.inputMap)) lines.push(`      input_map { key: ${quote(key)} value: ${quote(value)} }`);
      for (const [key, value] of Object.entries(step.outputMap)) lines.push(`      output_map { key: ${quote(key)} value: ${quote(value)} }`);
      lines.push(i === config.ensembleSteps!.length - 1 ? '    }' : '    },');
    });
    lines.push('  ]', '}');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The same model configuration as JSON, as Triton answers
 * `GET /v2/models/<name>/config` (its model configuration extension): the
 * `ModelConfig` message with the proto's field names. `ae serve` answers
 * that route with it, so clients such as `tritonclient` that read the
 * configuration see what the Triton repository's `config.pbtxt` says.
 *
 * @example
 * ```ts
 * import { toConfigJson } from '@aekit/export-onnx';
 *
 * toConfigJson({ name: 'mnist', platform: 'onnxruntime_onnx', maxBatchSize: 64, inputs: [{ name: 'input', dims: [784] }], outputs: [{ name: 'reconstruction', dims: [784] }] });
 * // { name: 'mnist', platform: 'onnxruntime_onnx', max_batch_size: 64, input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [784] }], output: [...] }
 * ```
 * @param config - The model's name, platform, batch limit, tensors, dynamic batching and ensemble steps.
 */
export function toConfigJson(config: TritonModelConfig): Record<string, unknown> {
  const tensor = (t: TritonTensor) => ({ name: t.name, data_type: t.dataType ?? 'TYPE_FP32', dims: t.dims.map(integer).map(Number) });
  const json: Record<string, unknown> = {
    name: config.name,
    platform: config.platform,
    max_batch_size: config.maxBatchSize,
    input: config.inputs.map(tensor),
    output: config.outputs.map(tensor),
  };
  if (config.dynamicBatching) {
    const { maxQueueDelayMicroseconds, maxQueueSize } = config.dynamicBatching;
    json.dynamic_batching = { max_queue_delay_microseconds: maxQueueDelayMicroseconds, default_queue_policy: { max_queue_size: maxQueueSize } };
  }
  if (config.ensembleSteps) {
    json.ensemble_scheduling = {
      step: config.ensembleSteps.map((s) => ({ model_name: s.modelName, model_version: -1, input_map: { ...s.inputMap }, output_map: { ...s.outputMap } })),
    };
  }
  return json;
}

function tensorList(field: 'input' | 'output', tensors: readonly TritonTensor[]): string[] {
  const lines = [`${field} [`];
  tensors.forEach((tensor, i) => {
    lines.push(
      '  {',
      `    name: ${quote(tensor.name)}`,
      `    data_type: ${tensor.dataType ?? 'TYPE_FP32'}`,
      `    dims: [ ${tensor.dims.map(integer).join(', ')} ]`,
      i === tensors.length - 1 ? '  }' : '  },',
    );
  });
  lines.push(']');
  return lines;
}

function quote(text: string): string {
  // JSON string escapes are valid text-format escapes for the names we write.
  return JSON.stringify(text);
}

function integer(value: number): string {
  if (!Number.isInteger(value)) throw new Error(`expected an integer in a Triton config, got ${value}`);
  return String(value);
}
