import { describe, expect, it } from 'vitest';
import {
  AeError,
  ArrayDataset,
  DataFileError,
  imagePreprocessingFor,
  parsePreprocessing,
  PreprocessingRegistry,
  type PreparedItems,
  type PreprocessingReader,
} from '../src/index.js';

const image = imagePreprocessingFor([2, 2, 1])!;

/** A reader of `.fake` files whose every item is four values of 0.5. */
const fakeReader: PreprocessingReader<'image'> = {
  kind: 'image',
  reads: '.fake files',
  accepts: async (path) => path.endsWith('.fake'),
  read: async (paths): Promise<PreparedItems> => ({
    data: new ArrayDataset(new Float32Array(paths.length * 4).fill(0.5), [2, 2, 1]),
    ids: [...paths],
    idHeader: 'file',
    skipped: 0,
    source: paths.join(', '),
  }),
};

describe('preprocessing descriptions', () => {
  it('are checked with the field named, and image defaults are those of ae train', () => {
    expect(image).toEqual({ kind: 'image', version: 1, width: 2, height: 2, channels: 1, background: '#ffffff', fit: 'fill', kernel: 'lanczos3' });
    expect(imagePreprocessingFor([28, 28])).toBeUndefined();
    expect(() => parsePreprocessing({ ...image, version: 2 })).toThrow(/^preprocessing\.version: /);
    expect(() => parsePreprocessing({ ...image, background: 'white' })).toThrow('preprocessing.background: expected a colour #rrggbb');
    expect(() => parsePreprocessing({ kind: 'series', version: 1 })).toThrow(/^preprocessing\.kind: /);
  });
});

describe('the registry of preprocessing readers', () => {
  it('reads with the reader of the kind that takes the path, importing registered modules only as needed', async () => {
    const registry = new PreprocessingRegistry();
    const loaded: string[] = [];
    registry.registerModule({ kinds: ['table'], name: 'tables', load: async () => void loaded.push('tables') });
    registry.registerModule({ kinds: ['image'], name: 'fakes', load: async () => { loaded.push('fakes'); registry.register(fakeReader); } });
    const items = await registry.read(['a.fake', 'b.fake'], image);
    expect(items.ids).toEqual(['a.fake', 'b.fake']);
    expect(loaded).toEqual(['fakes']);
    // A path no reader of the kind takes names the path and what the readers take.
    await expect(registry.read(['c.png'], image)).rejects.toThrow(new DataFileError('c.png', 'cannot be read for a model of image data; it takes .fake files'));
    await expect(registry.read(['a.fake', 'c.png'], image)).rejects.toThrow('c.png: is not among .fake files like a.fake; give files of one sort');
  });

  it('passes on the error of a module that is not installed when no other reader takes the path', async () => {
    const registry = new PreprocessingRegistry();
    registry.registerModule({ kinds: ['image'], name: 'missing', load: async () => { throw new AeError('missing-package', 'install missing to read images'); } });
    registry.registerModule({ kinds: ['image'], name: 'fakes', load: async () => registry.register(fakeReader) });
    expect((await registry.read(['a.fake'], image)).ids).toEqual(['a.fake']);
    await expect(registry.read(['a.png'], image)).rejects.toThrow('install missing to read images');
    await expect(registry.prepare([new Uint8Array(4)], image)).rejects.toThrow('install missing to read images');
  });
});
