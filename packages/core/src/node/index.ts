/**
 * Node.js-only parts of aekit core: files on disk. Import from
 * `@aekit/core/node`; the main entry stays usable in browsers.
 *
 * @packageDocumentation
 */
export { writeFileAtomic } from './atomic-write.js';
export { saveAutoencoder, loadAutoencoder, readModelMetadata, MODEL_JSON, type SavedModelMetadata, type SaveOptions } from './model-files.js';
export { fileCheckpoint, loadCheckpoint, CHECKPOINT_STATE, type CheckpointOverrides, type LoadedCheckpoint } from './checkpoint.js';
export { writeWeightsFile, readWeightsFile, type WeightsFileEntry } from './weights-file.js';

import { registerParallelGradients } from '../trainer/parallel-gradients.js';
import { GradientWorkers } from '../trainer/parallel/gradient-workers.js';

// `fit({ workers: n })` trains on Node's worker threads once this entry is imported.
registerParallelGradients((autoencoder, count, registry) => GradientWorkers.start(autoencoder, count, registry));
