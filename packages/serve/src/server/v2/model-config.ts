import { scoreEnsembleSteps, toConfigJson, type TritonModelConfig, type TritonTensor } from '@aekit/export-onnx';
import type { TensorMetadata } from '../codec/v2-request.js';
import type { BatchingOptions } from '../batch-queue.js';
import { ENSEMBLE_PLATFORM, type V2Endpoint } from './endpoints.js';

/**
 * What `GET /v2/models/<name>/config` answers (Triton's model configuration
 * extension): the endpoint as Triton's `ModelConfig`, in the JSON form
 * Triton gives. It is what `ae export --format triton` writes into that
 * model's `config.pbtxt`: the same names, dims without the batch,
 * `max_batch_size` and dynamic batching from this server's batching
 * settings, and for the score the ensemble of the full model and
 * `<name>_mse` that Triton runs.
 *
 * @param endpoint - The V2 model.
 * @param batching - The server's batch limit, delay and queue bound.
 */
export function endpointConfig(endpoint: V2Endpoint, batching: BatchingOptions): Record<string, unknown> {
  const tensor = (t: TensorMetadata): TritonTensor => ({ name: t.name, dims: t.shape.slice(1), dataType: t.datatype === 'FP64' ? 'TYPE_FP64' : 'TYPE_FP32' });
  const config: TritonModelConfig = {
    name: endpoint.name,
    platform: endpoint.platform,
    maxBatchSize: batching.maxBatch,
    inputs: [tensor(endpoint.input)],
    outputs: endpoint.outputs.map(tensor),
  };
  if (endpoint.platform === ENSEMBLE_PLATFORM) {
    const reconstruction = endpoint.served.primaryOutput('reconstruct');
    config.ensembleSteps = scoreEnsembleSteps(endpoint.served.name, endpoint.input.name, reconstruction);
  } else if (batching.merge) {
    config.dynamicBatching = { maxQueueDelayMicroseconds: batching.maxDelayMs * 1000, maxQueueSize: batching.maxQueue };
  }
  return toConfigJson(config);
}
