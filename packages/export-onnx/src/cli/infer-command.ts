import { join, resolve } from 'node:path';
import { commandOptions, ConfigError, integerIn, option, pluginCommand, z, type CommandIO } from '@aekit/core';
import { checkOutputFile, prepareOutputFolder, writeFileAtomic } from '@aekit/core/node';
import { encodePng, imageLayoutFor, type ImageLayout } from '../io/images.js';
import { readInputs } from '../io/inputs.js';
import { toRows } from '../io/items.js';
import { OnnxModel, type RunOutput } from '../runtime/onnx-model.js';
import { meanSquaredErrors } from '../runtime/scores.js';
import { positionals } from './options.js';

/** The options of `ae infer`, declared once: flags, help, defaults and checks derive from it. */
export const inferOptions = commandOptions({
  out: option(z.string().min(1), { value: 'path', help: 'directory for output PNGs, or JSON file for codes and table reconstructions (default: print codes)' }),
  limit: option(integerIn({ min: 1 }), { value: 'n', help: 'read at most n items' }),
  skipBad: option(z.boolean(), { help: 'skip and count unreadable files or bad table rows instead of stopping at the first' }),
  batchSize: option(integerIn({ min: 1, max: 65536 }), { value: 'n', help: 'items per onnxruntime run', default: 256 }),
  allowUnsigned: option(z.boolean(), { help: 'run an ONNX file without the checksum ae export writes (one from another tool)', default: false }),
});

/** Options of {@link inferFiles}. */
export interface InferOptions {
  /** Where results go: a directory for pictures, a `.json` file for codes. Without it, codes are printed. */
  out?: string;
  /** Read at most this many items. */
  limit?: number;
  /** Skip and count unreadable files or bad table rows instead of stopping at the first. */
  skipBad?: boolean;
  /** Items per onnxruntime run; 256 unless given. */
  batchSize?: number;
  /** Run a file without aekit's checksum (one from another tool); such files are refused unless set. */
  allowUnsigned?: boolean;
  /** Prints a line. */
  log?: (line: string) => void;
}

/** What {@link inferFiles} produced. */
export interface InferResult {
  /** `images` when the outputs are pictures (reconstructions, decoded codes), `codes` otherwise. */
  kind: 'images' | 'codes';
  /** Labels of the items, in order. */
  sources: string[];
  /** Every output of the model, all items. */
  outputs: Record<string, RunOutput>;
  /** Reconstruction error (mean squared error) per item, for a full autoencoder. */
  scores?: number[];
  /** Files written. */
  files: string[];
}

/**
 * `ae infer`: runs an ONNX model on raw items (image files or a folder,
 * idx files, a table), prepared with the preprocessing saved in the model's
 * metadata exactly as training prepared them, or on a JSON file of model
 * inputs or codes. Pictures out (a full autoencoder's reconstructions, a
 * decoder's outputs) are written as PNGs into `out`; codes (an encoder's
 * outputs) are written as JSON to `out` or printed. A full autoencoder
 * reports each item's reconstruction error, and writes its
 * reconstructions only to `out`. The file must carry the checksum
 * `ae export` writes, unless `allowUnsigned` is set.
 *
 * @example
 * ```ts
 * import '@aekit/data-images'; // registers the reader of image files
 * import { inferFiles } from '@aekit/export-onnx';
 *
 * const result = await inferFiles('mnist.onnx', ['digits/'], { out: 'reconstructions', limit: 10 });
 * console.log(result.kind, result.scores?.length); // 'images' 10: one reconstruction error per item, PNGs in reconstructions/
 * ```
 * @param modelPath - Path of the `.onnx` file.
 * @param inputs - PNG files, one idx file, or one JSON file.
 * @param options - Output path, item limit, batch size and logger; all optional.
 */
export async function inferFiles(modelPath: string, inputs: readonly string[], options: InferOptions = {}): Promise<InferResult> {
  const log = options.log ?? (() => {});
  const model = await OnnxModel.load(modelPath, { requireChecksum: !options.allowUnsigned });
  try {
    const { metadata } = model;
    const batch = await readInputs(inputs, model.itemShape, {
      dataShape: metadata.dataShape,
      limit: options.limit,
      skipBad: options.skipBad,
      preprocessing: metadata.preprocessing,
      inModel: metadata.inModel,
    });
    if (batch.skipped) log(`skipped ${batch.skipped.count} item${batch.skipped.count > 1 ? 's' : ''} (the first: ${batch.skipped.first})`);
    const outputs = await runInBatches(model, batch.data, batch.count, options.batchSize ?? 256);
    const primary = outputs[model.outputs[0].name];
    const itemShape = primary.shape.slice(1);
    const layout = model.part === 'encoder' ? undefined : imageLayoutFor(itemShape, metadata.dataShape);
    const result: InferResult = { kind: layout ? 'images' : 'codes', sources: batch.sources, outputs, files: [] };
    if (model.part === 'full' && primary.data.length === batch.data.length) {
      result.scores = meanSquaredErrors(batch.data, primary.data, batch.count, metadata.scaler);
      batch.sources.forEach((source, i) => log(`${source}  reconstruction error (mse) ${result.scores![i].toFixed(6)}`));
      const mean = result.scores.reduce((a, b) => a + b, 0) / result.scores.length;
      log(`mean reconstruction error (mse: mean squared error per item, whatever loss the model trained on) over ${batch.count} item${batch.count > 1 ? 's' : ''}: ${mean.toFixed(6)}`);
    }
    if (layout) {
      if (options.out) result.files = await writePictures(options.out, primary, batch.sources, layout, inputs);
      else log(`pass --out <dir> to write the ${batch.count} output picture${batch.count > 1 ? 's' : ''} as PNG`);
    } else {
      const json = JSON.stringify(
        {
          model: modelPath,
          part: model.part,
          sources: batch.sources,
          shapes: Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.shape])),
          outputs: Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, toRows(o.data, batch.count)])),
        },
        null,
        2,
      );
      if (options.out) {
        await checkOutputFile(options.out);
        await writeFileAtomic(options.out, json);
        result.files = [options.out];
      } else if (result.scores) {
        // The scores are the answer; a full model's reconstructions of a table would be thousands of lines.
        log(`pass --out <file.json> to write the ${batch.count} reconstruction${batch.count > 1 ? 's' : ''} as JSON`);
      } else {
        log(json);
      }
    }
    for (const file of result.files) log(`wrote ${file}`);
    return result;
  } finally {
    await model.close();
  }
}

async function runInBatches(model: OnnxModel, data: Float32Array, count: number, batchSize: number): Promise<Record<string, RunOutput>> {
  const size = data.length / count;
  const parts: Record<string, RunOutput>[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    parts.push(await model.run(data.subarray(start * size, (start + n) * size), n));
  }
  return Object.fromEntries(
    model.outputs.map(({ name }) => {
      const chunks = parts.map((p) => p[name]);
      const all = new Float32Array(chunks.reduce((total, c) => total + c.data.length, 0));
      chunks.reduce((offset, c) => (all.set(c.data, offset), offset + c.data.length), 0);
      return [name, { data: all, shape: [count, ...chunks[0].shape.slice(1)] }];
    }),
  );
}

async function writePictures(dir: string, output: RunOutput, sources: string[], layout: ImageLayout, inputs: readonly string[]): Promise<string[]> {
  // Never write over an input picture: the more precise refusal, so it comes first.
  const taken = new Set(inputs.map((f) => resolve(f)));
  const targets = sources.map((source) => join(dir, `${source}.png`));
  const clash = targets.find((file) => taken.has(resolve(file)));
  if (clash) throw new ConfigError('--out', `writing ${clash} would overwrite an input; choose another directory`);
  // Pictures look like anyone's: the folder must be new, empty or marked by an earlier ae infer.
  await prepareOutputFolder(dir, { marker: true });
  const size = output.data.length / sources.length;
  for (const [i, file] of targets.entries()) await writeFileAtomic(file, encodePng(output.data.subarray(i * size, (i + 1) * size), layout));
  return targets;
}

/** The `ae infer` command. */
export const inferCommand = pluginCommand({
  name: 'infer',
  description: "run an ONNX model on raw items prepared as in training (images, idx files, a table) or on a JSON file of inputs or codes",
  arguments: [
    { name: 'model', description: 'ONNX file written by ae export', required: true },
    { name: 'inputs...', description: 'PNG/JPEG files or a folder of them, idx files, one table (models trained on a table), or one JSON file of inputs or codes', required: true },
  ],
  options: inferOptions,
  async run(args, opts, io: CommandIO): Promise<void> {
    const [model, ...inputs] = positionals(args);
    if (!model) throw new ConfigError('model', 'expected an ONNX file');
    if (inputs.length === 0) throw new ConfigError('inputs', 'expected image files, idx files, a table or a JSON file');
    await inferFiles(model, inputs, { ...opts, log: io.log });
  },
});
