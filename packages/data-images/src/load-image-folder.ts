import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, DataFileError, imagePreprocessingFor, shuffledIndices, type ImagePreprocessing, type LoadedDataset } from '@aekit/core';
import { FileByteStore, MemoryByteStore, type ByteStore } from './byte-store.js';
import { decodedCachePaths } from './decoded-cache.js';
import { decodeImage, readImageHeader, type ChannelCount, type ImageHeader } from './decode-image.js';
import { ImageFolderDataset } from './image-folder-dataset.js';
import { listImageFiles, type ImageFile, type ImageFileList } from './image-files.js';
import type { ImageSize } from './image-size.js';

/** Options of {@link loadImageFolder}; all optional. */
export interface LoadImageFolderOptions {
  /** Resize every image to this size; without it all images must have the same size. */
  size?: ImageSize;
  /** 1 (grey) or 3 (colour); by default 3 when any image is in colour, else 1. */
  channels?: ChannelCount;
  /** Skip (and count) unreadable, truncated or odd-sized files instead of failing on the first. */
  skipBad?: boolean;
  /** Share of the images held out as the test set, seeded; 0.1 by default, 0 tests on the training images. */
  testSplit?: number;
  /** Seed of the train/test split. */
  seed?: number;
  /** Keep only the first N training images. */
  trainLimit?: number;
  /** Keep only the first N test images. */
  testLimit?: number;
  /** Decoded folders up to this many bytes stay in memory; larger ones go to a cache file. 256 MiB by default. */
  memoryBytes?: number;
  /** Bytes of cache-file chunks kept in memory while training from disk; 64 MiB by default. */
  cacheBytes?: number;
  /** Images per chunk of the cache file; 256 by default. */
  chunkExamples?: number;
  /** Folder for cache files; see `decodedCachePaths`. */
  cacheDir?: string;
  /** Delete the decoded cache file in `close()` (a cache in the temporary folder that should not outlive the command); kept for reuse otherwise. */
  removeCache?: boolean;
  /**
   * Apply a saved model's description instead of choosing one: its size
   * and channels (images of other sizes are brought to it by its `fit`),
   * background and resampling. `size` and `channels` must then be left out.
   */
  preprocessing?: ImagePreprocessing;
  /** Images decoded at once (sharp decodes on libuv's threads); 4 by default. */
  concurrency?: number;
  /** Called as files are read: `phase` is `header` (sizes) or `decode` (pixels). */
  onProgress?: (progress: { phase: 'header' | 'decode'; done: number; total: number }) => void;
}

/** A file left out with `skipBad`, and why. */
export interface SkippedImage {
  file: string;
  reason: string;
}

/** A folder of images split into training and test sets. */
export interface ImageFolderData extends LoadedDataset {
  train: ImageFolderDataset;
  test: ImageFolderDataset;
  /** Class names (the top-level sub-folders), in label order; empty for a flat folder. */
  classes: string[];
  /** Files left out with `skipBad`. */
  skipped: SkippedImage[];
  /** Size and channels every image was decoded to. */
  imageShape: [height: number, width: number, channels: ChannelCount];
  /** The decoded cache file when the folder did not fit in memory. */
  cacheFile?: string;
  /** Whether the decoded cache file was already there from an earlier run. */
  cacheReused: boolean;
  /** The file of each example of `train` and `test`, in order. */
  files: { train: string[]; test: string[] };
  /** How each file became an example: size, channels, background, fit and kernel; saved with a model trained on it. */
  preprocessing: ImagePreprocessing;
  /** Closes the cache file, and deletes it with `removeCache`. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

/**
 * Reads a folder of PNG and JPEG images as `image_dataset_from_directory`
 * and `ImageFolder` do: recursively, with the top-level sub-folder names as
 * class labels, grey or colour, at one size (resized with sharp when `size`
 * is given), values in [0, 1], shape `[height, width, channels]`.
 *
 * Every image is decoded once. A folder that fits in `memoryBytes` stays in
 * memory; a larger one is written to a decoded cache file that training
 * reads chunk by chunk with a bounded cache, in a chunk-aware shuffled
 * order, so memory does not grow with the folder. The cache file is reused
 * while the folder and settings stay the same.
 *
 * @param dir - The folder.
 * @param options - Size, channels, bad-file handling, split, limits, memory.
 * @throws DataFileError naming the file for an empty folder, an unreadable
 *   or truncated image, or mixed sizes without `size` (unless `skipBad`).
 * @throws ConfigError naming the option for invalid options.
 */
export async function loadImageFolder(dir: string, options: LoadImageFolderOptions = {}): Promise<ImageFolderData> {
  checkOptions(options);
  return loadListing(await listImageFiles(dir), dir, options);
}

/**
 * Reads image files given one by one, as {@link loadImageFolder} reads a
 * flat folder (no classes): every file is an item, in the order given.
 *
 * @param files - PNG or JPEG files.
 * @param options - As for {@link loadImageFolder}; usually a saved `preprocessing` and `testSplit: 0`.
 */
export async function loadImageFiles(files: readonly string[], options: LoadImageFolderOptions = {}): Promise<ImageFolderData> {
  checkOptions(options);
  return loadListing({ files: files.map((path) => ({ path, label: -1 })), classes: [] }, files.length === 1 ? files[0] : `${files.length} image files`, options);
}

async function loadListing(listing: ImageFileList, source: string, options: LoadImageFolderOptions): Promise<ImageFolderData> {
  const skipped: SkippedImage[] = [];
  const bad = (file: string, error: unknown) => {
    if (!options.skipBad || !(error instanceof DataFileError)) throw error as Error;
    skipped.push({ file, reason: (error as DataFileError).message.slice(file.length + 2) });
  };

  // A saved description fixes the size: every image is brought to it, so only unreadable headers are bad here.
  const fixed = options.preprocessing;
  const headers = await mapLimited(listing.files, options.concurrency ?? 4, (file) => readImageHeader(file.path), 'header', options);
  let files: ImageFile[] = [];
  let reference: { file: string; header: ImageHeader } | undefined;
  let anyColour = false;
  headers.forEach((result, i) => {
    const file = listing.files[i];
    if (result instanceof Error) return bad(file.path, result);
    if (!options.size && !fixed) {
      reference ??= { file: file.path, header: result };
      const { width, height } = reference.header;
      if (result.width !== width || result.height !== height) {
        return bad(file.path, new DataFileError(file.path, `is ${result.width}x${result.height} but ${reference.file} is ${width}x${height}; pass --image-size WIDTHxHEIGHT to resize them all`));
      }
    }
    anyColour ||= result.channels === 3;
    files.push(file);
  });
  if (files.length === 0) throw new DataFileError(source, `no readable image left (${skipped.length} skipped)`);
  const preprocessing: ImagePreprocessing = fixed ?? {
    ...imagePreprocessingFor([options.size?.height ?? reference!.header.height, options.size?.width ?? reference!.header.width, options.channels ?? (anyColour ? 3 : 1)])!,
  };
  const { width, height, channels } = preprocessing;
  const per = width * height * channels;

  const decoded = await decodeAll(files, preprocessing, per, options, bad);
  files = decoded.files;
  if (files.length === 0) throw new DataFileError(source, `no readable image left (${skipped.length} skipped)`);
  skipped.push(...decoded.skipped.filter((s) => !skipped.some((t) => t.file === s.file)));

  const labelled = listing.classes.length > 0;
  const allSlots = Int32Array.from(decoded.slots);
  const allLabels = labelled ? Int32Array.from(files, (f) => f.label) : undefined;
  const { trainIdx, testIdx } = split(allSlots.length, options.testSplit ?? 0.1, options.seed ?? 0);
  const view = (idx: Int32Array, limit?: number) => {
    const kept = limit !== undefined ? idx.subarray(0, Math.min(limit, idx.length)) : idx;
    return new ImageFolderDataset(decoded.store, Int32Array.from(kept, (i) => allSlots[i]), [height, width, channels], allLabels && Int32Array.from(kept, (i) => allLabels[i]));
  };
  const pathsOf = (idx: Int32Array, limit?: number) => Array.from(idx.subarray(0, Math.min(limit ?? idx.length, idx.length)), (i) => files[i].path);
  return {
    train: view(trainIdx, options.trainLimit),
    test: view(testIdx, options.testLimit),
    source,
    classes: listing.classes,
    skipped,
    imageShape: [height, width, channels],
    cacheFile: decoded.cacheFile,
    cacheReused: decoded.reused,
    preprocessing,
    files: { train: pathsOf(trainIdx, options.trainLimit), test: pathsOf(testIdx, options.testLimit) },
    async close() {
      decoded.store.close();
      if (options.removeCache && decoded.cacheFile) await Promise.all([decoded.cacheFile, decoded.cacheIndex!].map((f) => rm(f, { force: true })));
    },
  };
}

interface DecodedFolder {
  store: ByteStore;
  /** Files that decoded, and the store slot of each. */
  files: ImageFile[];
  slots: number[];
  skipped: SkippedImage[];
  cacheFile?: string;
  cacheIndex?: string;
  reused: boolean;
}

/** Decodes every file once, into memory or into the cache file (reusing a complete one). */
async function decodeAll(
  files: ImageFile[],
  preprocessing: ImagePreprocessing,
  per: number,
  options: LoadImageFolderOptions,
  bad: (file: string, error: unknown) => void,
): Promise<DecodedFolder> {
  const { width, height } = preprocessing;
  const chunkExamples = options.chunkExamples ?? 256;
  const keep = (results: (Error | Uint8Array | true)[]) => {
    const slots: number[] = [];
    const good: ImageFile[] = [];
    results.forEach((r, i) => {
      if (r instanceof Error) bad(files[i].path, r);
      else {
        slots.push(i);
        good.push(files[i]);
      }
    });
    return { slots, good };
  };

  if (files.length * per <= (options.memoryBytes ?? 256 * MiB)) {
    const bytes = new Uint8Array(files.length * per);
    const results = await mapLimited(files, options.concurrency ?? 4, async (file, i) => {
      const image = await decodeImage(file.path, preprocessing);
      checkSize(file.path, image, width, height);
      bytes.set(image.pixels, i * per);
      return true as const;
    }, 'decode', options);
    const { slots, good } = keep(results);
    return { store: new MemoryByteStore(bytes, per, chunkExamples), files: good, slots, skipped: [], reused: false };
  }

  const { kind: _kind, version: _version, ...settings } = preprocessing;
  const paths = await decodedCachePaths(files, settings, options.cacheDir);
  const cachedChunks = Math.max(2, Math.floor((options.cacheBytes ?? 64 * MiB) / (chunkExamples * per)));
  const store = new FileByteStore(paths.data, files.length, per, chunkExamples, cachedChunks);
  const previous = await readCacheIndex(paths.index, files.length);
  if (previous) {
    // A cache written with skipBad lists the files it left out; without skipBad they are still errors.
    for (const skip of previous.skipped) bad(skip.file, new DataFileError(skip.file, skip.reason));
    const good = previous.slots.map((s) => files[s]);
    options.onProgress?.({ phase: 'decode', done: files.length, total: files.length });
    return { store, files: good, slots: previous.slots, skipped: [], cacheFile: paths.data, cacheIndex: paths.index, reused: true };
  }
  await mkdir(dirname(paths.data), { recursive: true });
  await rm(paths.index, { force: true });
  const handle = await open(paths.data, 'w');
  let results;
  try {
    await handle.truncate(files.length * per);
    results = await mapLimited(files, options.concurrency ?? 4, async (file, i) => {
      const image = await decodeImage(file.path, preprocessing);
      checkSize(file.path, image, width, height);
      await handle.write(image.pixels, 0, per, i * per);
      return true as const;
    }, 'decode', options);
  } finally {
    await handle.close();
  }
  const skipped: SkippedImage[] = [];
  results.forEach((r, i) => {
    if (r instanceof DataFileError) skipped.push({ file: files[i].path, reason: r.message.slice(files[i].path.length + 2) });
  });
  const { slots, good } = keep(results);
  const handleIndex = await open(paths.index, 'w');
  await handleIndex.writeFile(JSON.stringify({ count: files.length, slots, skipped }));
  await handleIndex.close();
  return { store, files: good, slots, skipped, cacheFile: paths.data, cacheIndex: paths.index, reused: false };
}

async function readCacheIndex(path: string, count: number): Promise<{ slots: number[]; skipped: SkippedImage[] } | undefined> {
  try {
    const index = JSON.parse(await readFile(path, 'utf8')) as { count: number; slots: number[]; skipped: SkippedImage[] };
    return index.count === count && Array.isArray(index.slots) ? index : undefined;
  } catch {
    return undefined;
  }
}

function checkSize(path: string, image: { width: number; height: number }, width: number, height: number): void {
  if (image.width !== width || image.height !== height) {
    throw new DataFileError(path, `decoded to ${image.width}x${image.height}, not ${width}x${height}; pass --image-size WIDTHxHEIGHT`);
  }
}

/** Seeded split of `n` examples; each part keeps the folder's order so reads stay close together on disk. */
function split(n: number, testSplit: number, seed: number): { trainIdx: Int32Array; testIdx: Int32Array } {
  const nTest = testSplit > 0 ? Math.max(1, Math.round(n * testSplit)) : 0;
  if (nTest >= n) throw new ConfigError('test-split', `holding out ${nTest} of ${n} images leaves none to train on`);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (nTest === 0) return { trainIdx: all, testIdx: all };
  const order = shuffledIndices(n, seed);
  return { trainIdx: order.slice(nTest).sort(), testIdx: order.slice(0, nTest).sort() };
}

/** Runs `fn` over `items` with at most `limit` at once; failures come back as the error, in place. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  phase: 'header' | 'decode',
  options: LoadImageFolderOptions,
): Promise<(R | Error)[]> {
  const results = new Array<R | Error>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        results[i] = error instanceof Error ? error : new Error(String(error));
      }
      done++;
      if (done % 64 === 0 || done === items.length) options.onProgress?.({ phase, done, total: items.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function checkOptions(options: LoadImageFolderOptions): void {
  if (options.preprocessing && (options.size || options.channels)) {
    throw new ConfigError(options.size ? 'image-size' : 'channels', 'is set by the saved preprocessing; leave it out');
  }
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw new ConfigError('channels', `expected 1 (grey) or 3 (colour), got ${String(options.channels)}`);
  }
  if (options.testSplit !== undefined && !(options.testSplit >= 0 && options.testSplit < 1)) {
    throw new ConfigError('test-split', `expected a number from 0 up to but excluding 1, got ${options.testSplit}`);
  }
  for (const field of ['trainLimit', 'testLimit', 'memoryBytes', 'cacheBytes', 'chunkExamples', 'concurrency'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= (field === 'memoryBytes' ? 0 : 1))) {
      throw new ConfigError(field, `expected a positive integer, got ${value}`);
    }
  }
}
