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
