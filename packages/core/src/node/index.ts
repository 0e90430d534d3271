/**
 * Node.js-only parts of aekit core: files on disk. Import from
 * `@aekit/core/node`; the main entry stays usable in browsers.
 *
 * Every writer goes through {@link writeFileAtomic} (and user-given outputs
 * through {@link checkOutputFile} or {@link prepareOutputFolder}); every
 * path read out of a file goes through {@link readFileInside}.
 *
 * @packageDocumentation
 */
export { writeFileAtomic, refuseToReplace } from './atomic-write.js';
export { checkOutputFile, prepareOutputFolder, OUTPUT_MARKER, type OutputPathOptions, type OutputFolderOptions } from './output-paths.js';
export { readFileInside, resolveInside, type InsideOptions } from './inside-folder.js';
export { readJsonFile } from './read-json-file.js';
export { sweepTemporaryFiles } from './temporary-files.js';
export { writeError } from './write-errors.js';
export { saveAutoencoder, loadAutoencoder, readModelMetadata, MODEL_JSON, type SavedModelMetadata, type SaveOptions, type AnomalyThreshold } from './model-files.js';
export {
  fileCheckpoint,
  loadCheckpoint,
  inspectCheckpoint,
  CHECKPOINT_STATE,
  type CheckpointOverrides,
  type LoadedCheckpoint,
  type CheckpointHealth,
} from './checkpoint.js';
export { writeWeightsFile, readWeightsFile, type WeightsFileEntry } from './weights-file.js';

import { registerParallelGradients } from '../trainer/parallel-gradients.js';
import { GradientWorkers } from '../trainer/parallel/gradient-workers.js';

// `fit({ workers: n })` trains on Node's worker threads once this entry is imported.
registerParallelGradients((autoencoder, count, registry) => GradientWorkers.start(autoencoder, count, registry));
