/** A tensor of a Triton model configuration: dims without the batch dimension. */
export interface TritonTensor {
  /** Tensor name, as in the ONNX graph. */
  name: string;
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
  /** The model's inputs, all FP32. */
  inputs: readonly TritonTensor[];
  /** The model's outputs, all FP32. */
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

function tensorList(field: 'input' | 'output', tensors: readonly TritonTensor[]): string[] {
  const lines = [`${field} [`];
  tensors.forEach((tensor, i) => {
    lines.push(
      '  {',
      `    name: ${quote(tensor.name)}`,
      '    data_type: TYPE_FP32',
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
