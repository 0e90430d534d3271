/**
 * Node.js-only parts of aekit core: files on disk. Import from
 * `@aekit/core/node`; the main entry stays usable in browsers.
 */
export { writeFileAtomic } from './atomic-write.js';
export { saveAutoencoder, loadAutoencoder, readModelMetadata, MODEL_JSON, type SavedModelMetadata } from './model-files.js';
