/**
 * Folders of PNG and JPEG images as aekit datasets: sub-folder names as
 * labels, grey or colour, resized with sharp, and folders larger than
 * memory streamed from a decoded cache file in chunk-aware shuffled order.
 *
 * @packageDocumentation
 */
import { preprocessors } from '@aekit/core';
import { imageReader } from './image-reader.js';

export { loadImageFiles, loadImageFolder, type ImageFolderData, type LoadImageFolderOptions, type SkippedImage } from './load-image-folder.js';
export { ImageFolderDataset } from './image-folder-dataset.js';
export { FileByteStore, MemoryByteStore, type ByteStore, type FileStoreStats } from './byte-store.js';
export { decodeImage, readImageHeader, type ChannelCount, type DecodedImage, type ImageHeader } from './decode-image.js';
export { listImageFiles, IMAGE_EXTENSIONS, type ImageFile, type ImageFileList } from './image-files.js';
export { parseImageSize, type ImageSize } from './image-size.js';
export { decodedCachePaths, type DecodedCachePaths } from './decoded-cache.js';
export { imageReader } from './image-reader.js';

// Importing the package registers how it applies image preprocessing (see core's `preprocessors`).
preprocessors.register(imageReader);
