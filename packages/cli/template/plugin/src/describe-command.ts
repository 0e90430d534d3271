import { commandOptions, integerIn, option, pluginCommand, tf, z } from '@aekit/core';

// #region command
/**
 * The options of `ae {{family}}-describe`, declared once: `ae` derives the
 * flags, `--help`, the checks (one line naming the flag) and the types of
 * `run`'s options from this declaration.
 */
export const describeOptions = commandOptions({
  precision: option(integerIn({ min: 1, max: 12 }), { value: 'digits', help: 'significant digits of the numbers printed', default: 4 }),
  json: option(z.boolean(), { help: 'print one JSON object instead of a sentence' }),
});

/**
 * `ae {{family}}-describe <run>`: loads a trained `{{family}}` model and
 * prints its code size, its number of weights and their mean magnitude:
 * an example of a command a plugin adds.
 */
export const describeCommand = pluginCommand({
  name: '{{family}}-describe',
  description: 'print the code size and weight statistics of a trained {{family}} model',
  arguments: [{ name: 'run', description: 'run directory written by ae train (holding model/)', required: true }],
  options: describeOptions,
  async run([runDir], { precision, json }, io) {
    // Node-only modules are loaded when the command runs, so the main entry stays usable in browsers.
    const { join } = await import('node:path');
    const { loadAutoencoder } = await import('@aekit/core/node');
    const autoencoder = await loadAutoencoder(join(runDir, 'model'));
    try {
      const weights = autoencoder.model.getWeights();
      const count = weights.reduce((n, w) => n + w.size, 0);
      const meanAbs = tf.tidy(() => weights.reduce((sum, w) => sum + tf.sum(tf.abs(w)).dataSync()[0], 0)) / count;
      const facts = { family: autoencoder.family, code: autoencoder.latentShape, weights: count, meanAbsWeight: Number(meanAbs.toPrecision(precision)) };
      io.log(json ? JSON.stringify(facts) : `${facts.family}: code of ${facts.code.join('x')}, ${count} weights, mean |w| ${facts.meanAbsWeight}`);
    } finally {
      autoencoder.dispose();
    }
  },
});
// #endregion command
