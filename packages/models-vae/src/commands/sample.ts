import { commandOptions, ConfigError, integerIn, option, pluginCommand, registry, z } from '@aekit/core';
import { pictureShape, toPictures } from '../pictures.js';
import { VariationalAutoencoder } from '../variational-autoencoder.js';

/** The options of `ae vae-sample`, declared once: flags, help, defaults and checks derive from it. */
export const sampleOptions = commandOptions({
  count: option(integerIn({ min: 1 }), { value: 'n', help: 'number of digits', default: 100 }),
  columns: option(integerIn({ min: 1 }), { value: 'n', help: 'digits per row', default: 10 }),
  seed: option(integerIn({ min: 0 }), { value: 'n', help: 'seed of the draw: the same seed draws the same digits', default: 0 }),
  out: option(z.string().min(1), { value: 'dir', help: 'where to write the PNG (default: the run directory)' }),
});

/**
 * `ae vae-sample <run>`: loads a trained `vae` or `conv-vae` and writes
 * `samples-seed-<seed>.png`, digits decoded from codes drawn from the prior.
 * The same seed draws the same digits.
 */
export const sampleCommand = pluginCommand({
  name: 'vae-sample',
  description: 'generate digits with a trained VAE: decode codes drawn from the prior (seeded) into a PNG',
  arguments: [{ name: 'run', description: 'run directory of a trained vae or conv-vae (holding model/model.json), or the model directory', required: true }],
  options: sampleOptions,
  async run(args, opts, io) {
    const [runDir] = args;
    if (!runDir) throw new ConfigError('run', 'give the run directory of a trained vae or conv-vae');
    // Loaded here rather than imported at the top, so the package's main
    // entry stays free of Node-only modules for browser bundles.
    const { join } = await import('node:path');
    const { access } = await import('node:fs/promises');
    const { loadAutoencoder, MODEL_JSON } = await import('@aekit/core/node');
    const modelDir = await access(join(runDir, 'model', MODEL_JSON)).then(
      () => join(runDir, 'model'),
      () => runDir,
    );
    const autoencoder = await loadAutoencoder(modelDir, registry);
    try {
      if (!(autoencoder instanceof VariationalAutoencoder)) {
        throw new ConfigError('run', `${modelDir} holds a '${autoencoder.family}' model; vae-sample needs a vae or conv-vae`);
      }
      const batch = autoencoder.sample(opts.count, opts.seed);
      const shape = pictureShape(autoencoder.dataShape);
      const pictures = await toPictures(batch, shape);
      batch.dispose();
      const rows = [];
      for (let start = 0; start < pictures.length; start += opts.columns) {
        rows.push({ label: '', images: pictures.slice(start, start + opts.columns), height: shape[0], width: shape[1], channels: shape[2] });
      }
      const file = await io.figures(opts.out ?? runDir).imageRows(`samples-seed-${opts.seed}.png`, rows, {
        title: `${opts.count} digits from a '${autoencoder.family}' model, codes drawn from the prior with seed ${opts.seed}`,
      });
      io.log(`wrote ${file}`);
    } finally {
      autoencoder.dispose();
    }
  },
});
