import { closeSync, openSync, readSync } from 'node:fs';
import { DataFileError } from '@aekit/core';

/**
 * Where decoded images live: a fixed number of slots of the same byte
 * size, read by slot. One store backs a folder's training and test sets and
 * every view of them.
 */
export interface ByteStore {
  /** Bytes of one decoded image (`height * width * channels`). */
  readonly bytesPerExample: number;
  /** Images per chunk, the unit in which a store on disk is read and cached. */
  readonly chunkExamples: number;
  /** Chunks a reader may keep in memory at once (the window of `chunkedShuffle`). */
  readonly cachedChunks: number;
  /**
   * Copies the images in `slots` into `out`, one after the other.
   *
   * @param slots - Store slots of the images to read, in the order wanted.
   * @param out - Receives the images back to back; at least `slots.length * bytesPerExample` bytes.
   */
  read(slots: ArrayLike<number>, out: Uint8Array): void;
  /** Releases the file handle, if any. */
  close(): void;
}

/** A store that holds every decoded image in memory, for folders that fit. */
export class MemoryByteStore implements ByteStore {
  readonly cachedChunks = Number.POSITIVE_INFINITY;
  /**
   * @param bytes - All images back to back.
   * @param bytesPerExample - Bytes of one image.
   * @param chunkExamples - Images per chunk (only used for the epoch order).
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly bytesPerExample: number,
    readonly chunkExamples = 256,
  ) {}

  read(slots: ArrayLike<number>, out: Uint8Array): void {
    const per = this.bytesPerExample;
    for (let i = 0; i < slots.length; i++) out.set(this.bytes.subarray(slots[i] * per, (slots[i] + 1) * per), i * per);
  }

  close(): void {}
}

/** Counters of a {@link FileByteStore}, for tests and benchmarks. */
export interface FileStoreStats {
  /** Whole chunks read from disk. */
  chunkReads: number;
  /** Single images read from disk (sparse access outside the epoch order). */
  singleReads: number;
  /** Most bytes the chunk cache ever held. */
  peakCachedBytes: number;
}

/**
 * A store backed by a file of decoded images, read synchronously (batches
 * are built synchronously) by chunks with a least-recently-used cache of
 * `cachedChunks` chunks, so memory stays bounded however large the folder.
 * A batch that needs several images of a chunk loads the whole chunk with
 * one read (the trainer's chunk-aware order makes that the rule); a lone
 * image of an uncached chunk is read on its own, so scattered access (test
 * pictures) does not churn the cache.
 */
export class FileByteStore implements ByteStore {
  /** Counters since the store was opened. */
  readonly stats: FileStoreStats = { chunkReads: 0, singleReads: 0, peakCachedBytes: 0 };
  private readonly cache = new Map<number, Uint8Array>();
  private fd: number | undefined;

  /**
   * @param path - The file of decoded images, slot after slot.
   * @param slots - Number of slots in the file.
   * @param bytesPerExample - Bytes of one image.
   * @param chunkExamples - Images per chunk.
   * @param cachedChunks - Chunks kept in memory (at least 1).
   */
  constructor(
    readonly path: string,
    readonly slots: number,
    readonly bytesPerExample: number,
    readonly chunkExamples: number,
    readonly cachedChunks: number,
  ) {}

  read(slots: ArrayLike<number>, out: Uint8Array): void {
    const per = this.bytesPerExample;
    const wanted = new Map<number, number>();
    for (let i = 0; i < slots.length; i++) {
      const chunk = Math.floor(slots[i] / this.chunkExamples);
      wanted.set(chunk, (wanted.get(chunk) ?? 0) + 1);
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const chunk = Math.floor(slot / this.chunkExamples);
      let bytes = this.cache.get(chunk);
      if (bytes) {
        this.cache.delete(chunk);
        this.cache.set(chunk, bytes); // most recently used last
      } else if (wanted.get(chunk)! > 1) {
        bytes = this.loadChunk(chunk);
      }
      if (bytes) {
        const at = (slot - chunk * this.chunkExamples) * per;
        out.set(bytes.subarray(at, at + per), i * per);
      } else {
        this.readExactly(out.subarray(i * per, (i + 1) * per), slot * per);
        this.stats.singleReads++;
      }
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.cache.clear();
  }

  private loadChunk(chunk: number): Uint8Array {
    const first = chunk * this.chunkExamples;
    const count = Math.min(this.chunkExamples, this.slots - first);
    while (this.cache.size >= Math.max(1, this.cachedChunks)) this.cache.delete(this.cache.keys().next().value!);
    const bytes = new Uint8Array(count * this.bytesPerExample);
    this.readExactly(bytes, first * this.bytesPerExample);
    this.cache.set(chunk, bytes);
    this.stats.chunkReads++;
    let held = 0;
    for (const b of this.cache.values()) held += b.byteLength;
    this.stats.peakCachedBytes = Math.max(this.stats.peakCachedBytes, held);
    return bytes;
  }

  private readExactly(into: Uint8Array, position: number): void {
    this.fd ??= openSync(this.path, 'r');
    let done = 0;
    while (done < into.byteLength) {
      const n = readSync(this.fd, into, done, into.byteLength - done, position + done);
      if (n === 0) throw new DataFileError(this.path, 'the decoded image cache ends early; delete it to decode the folder again');
      done += n;
    }
  }
}
