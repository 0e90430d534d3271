/**
 * The one code path from raw items to model input. Data packages register
 * a {@link PreprocessingReader} for the kind of {@link Preprocessing} they
 * know (images, tables, series); `ae eval`, `ae score`, `ae infer`,
 * serving and anything else that meets raw items asks this registry for
 * the reader of the model's saved description, so none of them imports a
 * data package and all of them prepare an item the same way.
 */
import type { Dataset } from './dataset.js';
import { AeError, DataFileError } from './errors.js';
import type { Preprocessing, PreprocessingKind } from './preprocessing.js';

/**
 * A step of a preprocessing that a model may do itself, so a reader leaves
 * it out: `scale`, the standardisation an ONNX export bakes into its graph.
 */
export type PreprocessingStep = 'scale';

/** Items read and prepared for a model. */
export interface PreparedItems {
  /** One example per item, in the model's data shape and units, with labels where the data has them. */
  data: Dataset;
  /** An id per item, in order: an image's file, `line 12` for a table row. */
  ids: string[];
  /** What the ids are, for the header of `scores.csv`: `file`, `line`. */
  idHeader: string;
  /** Name of each label class (a sub-folder's name, a label value); class `i` is `classes[i]`. */
  classes?: string[];
  /** Items skipped (unreadable files, bad rows, rows with empty cells the model cannot fill). */
  skipped: number;
  /** The first skipped item and why, for the message. */
  firstSkipped?: string;
  /** Where the items came from, for messages. */
  source: string;
  /** Releases what the items hold open (a decoded cache on disk); call when done with `data`. */
  close?(): Promise<void>;
}

/** Options of {@link PreprocessingReader.read}. */
export interface PrepareOptions {
  /** Read at most this many items. */
  limit?: number;
  /** Skip and count unreadable files or bad rows instead of stopping at the first. */
  skipBad?: boolean;
  /** Steps the model does itself, left out here (an ONNX model standardises inside its graph: `['scale']`). */
  inModel?: readonly PreprocessingStep[];
  /** Called as items are read, for a progress bar. */
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
  /** A folder to keep caches of decoded items in (large image folders) for reuse; without it a cache goes to the temporary folder and is removed by `close`. */
  cacheDir?: string;
}

/**
 * A raw item held in memory, as a server receives it: the bytes of an image
 * file, or one table row as an object of column values.
 */
export type RawItem = Uint8Array | Readonly<Record<string, unknown>>;

/** The description of one kind, as a reader of that kind receives it. */
export type PreprocessingOf<K extends PreprocessingKind> = Extract<Preprocessing, { kind: K }>;

/**
 * How a data package applies one kind of preprocessing to raw items.
 * Registered with {@link PreprocessingRegistry.register}.
 */
export interface PreprocessingReader<K extends PreprocessingKind = PreprocessingKind> {
  /** The kind of description it applies. */
  readonly kind: K;
  /** What it reads, for messages, e.g. `PNG or JPEG files, or folders of them`. */
  readonly reads: string;
  /**
   * Whether this reader reads the path (by its name, or for a folder by what it holds).
   *
   * @param path - A file or folder given by the user.
   */
  accepts(path: string): Promise<boolean>;
  /**
   * Reads every item of the given files or folders and applies the
   * description, exactly as training prepared its examples.
   *
   * @param paths - Files or folders this reader accepts.
   * @param preprocessing - The model's description.
   * @param options - Limit, bad-item policy, steps the model does itself, progress.
   * @throws DataFileError naming the file (and row) of an item that cannot be read, unless `skipBad`.
   */
  read(paths: readonly string[], preprocessing: PreprocessingOf<K>, options?: PrepareOptions): Promise<PreparedItems>;
  /**
   * Applies the description to items held in memory (a server's request):
   * image bytes, or table rows as objects.
   *
   * @param items - The raw items.
   * @param preprocessing - The model's description.
   * @param options - Steps the model does itself.
   * @returns The items' model input, back to back.
   * @throws AeError naming the item (`items[2]`) that cannot be prepared.
   */
  prepare?(items: readonly RawItem[], preprocessing: PreprocessingOf<K>, options?: Pick<PrepareOptions, 'inModel'>): Promise<Float32Array>;
}

/** A package that registers readers when imported, loaded only when a kind it reads is needed. */
export interface ReaderModule {
  /** The kinds it registers readers for. */
  kinds: readonly PreprocessingKind[];
  /** Its name, for messages. */
  name: string;
  /** Imports it (its import registers its readers); may throw an AeError that names the package to install. */
  load(): Promise<unknown>;
}

/**
 * The readers of each kind of preprocessing, in the spirit of tfjs'
 * kernel registry: data packages register theirs on import; tools that
 * know which packages exist (the `ae` command) register them as
 * {@link ReaderModule}s, imported on first use.
 *
 * @example
 * ```ts
 * import { preprocessors, type Preprocessing } from '@aekit/core';
 *
 * // The shared registry; the reader's package is imported when images are first read.
 * preprocessors.registerModule({ kinds: ['image'], name: '@aekit/data-images', load: () => import('@aekit/data-images') });
 * declare const preprocessing: Preprocessing; // the model's, from its metadata
 * const items = await preprocessors.read(['photos/'], preprocessing, { skipBad: true });
 * console.log(items.data.size, items.ids[0], items.skipped); // examples, the first one's file, images skipped
 * ```
 */
export class PreprocessingRegistry {
  private readonly readers: PreprocessingReader[] = [];
  private readonly modules: (ReaderModule & { loading?: Promise<unknown> })[] = [];

  /**
   * Adds a reader; registering the same object twice is a no-op.
   *
   * @param reader - The reader, for its `kind`.
   */
  register<K extends PreprocessingKind>(reader: PreprocessingReader<K>): void {
    const any = reader as unknown as PreprocessingReader;
    if (!this.readers.includes(any)) this.readers.push(any);
  }

  /**
   * Adds a package to import when one of its kinds is needed and no reader takes the path.
   *
   * @param module - The package's kinds, name and import.
   */
  registerModule(module: ReaderModule): void {
    if (!this.modules.some((m) => m.name === module.name)) this.modules.push({ ...module });
  }

  /**
   * The reader of `kind` that reads `path`, importing registered modules of that kind as needed.
   *
   * @param kind - The kind of the model's preprocessing.
   * @param path - A file or folder of raw items.
   * @throws DataFileError naming the path when no reader of the kind takes it.
   */
  async readerFor<K extends PreprocessingKind>(kind: K, path: string): Promise<PreprocessingReader<K>> {
    const found = await this.find(kind, async (reader) => reader.accepts(path));
    if (found) return found as unknown as PreprocessingReader<K>;
    const known = this.readers.filter((r) => r.kind === kind).map((r) => r.reads);
    if (known.length === 0) throw new AeError('preprocessing', `no reader of ${kind} data is registered (a data package registers one when imported)`);
    throw new DataFileError(path, `cannot be read for a model of ${kind} data; it takes ${known.join('; ')}`);
  }

  /**
   * Reads the items of files or folders (all of one sort, e.g. PNG files) and prepares them for a model.
   *
   * @param paths - Files or folders of raw items.
   * @param preprocessing - The model's saved description.
   * @param options - Limit, bad-item policy, steps the model does itself, progress.
   */
  async read(paths: readonly string[], preprocessing: Preprocessing, options: PrepareOptions = {}): Promise<PreparedItems> {
    if (paths.length === 0) throw new AeError('preprocessing', 'no files to read');
    const reader = await this.readerFor(preprocessing.kind, paths[0]);
    for (const path of paths.slice(1)) {
      if (!(await reader.accepts(path))) throw new DataFileError(path, `is not among ${reader.reads} like ${paths[0]}; give files of one sort`);
    }
    return (reader as PreprocessingReader).read(paths, preprocessing as never, options);
  }

  /**
   * Prepares items held in memory (a server's request) for a model.
   *
   * @param items - Image bytes or table rows.
   * @param preprocessing - The model's saved description.
   * @param options - Steps the model does itself.
   * @returns The items' model input, back to back.
   */
  async prepare(items: readonly RawItem[], preprocessing: Preprocessing, options: Pick<PrepareOptions, 'inModel'> = {}): Promise<Float32Array> {
    const reader = await this.find(preprocessing.kind, async (r) => r.prepare !== undefined);
    if (!reader?.prepare) throw new AeError('preprocessing', `no reader of ${preprocessing.kind} data prepares items held in memory`);
    return reader.prepare(items, preprocessing as never, options);
  }

  /** The first reader of `kind` that `wanted` takes, importing the registered modules of that kind one by one until one does. */
  private async find(kind: PreprocessingKind, wanted: (reader: PreprocessingReader) => Promise<boolean>): Promise<PreprocessingReader | undefined> {
    const search = async () => {
      for (const reader of this.readers) if (reader.kind === kind && (await wanted(reader))) return reader;
      return undefined;
    };
    let found = await search();
    // A module that is not installed may not be the one needed (idx files need no image decoder): its error is kept for when none reads the path.
    let failure: unknown;
    for (const module of this.modules) {
      if (found) break;
      if (!module.kinds.includes(kind)) continue;
      module.loading ??= module.load();
      try {
        await module.loading;
      } catch (error) {
        failure ??= error;
        continue;
      }
      found = await search();
    }
    if (!found && failure) throw failure;
    return found;
  }
}

/** The shared registry: data packages register their readers here on import. */
export const preprocessors = new PreprocessingRegistry();
