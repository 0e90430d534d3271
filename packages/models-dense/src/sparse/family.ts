import { l1ActivityPenalty, type ModelFamily } from '@aekit/core';
import { measureCodeActivity } from '../code-activity.js';
import { buildMlpAutoencoder } from '../mlp-autoencoder.js';
import { outputForData } from '../schema.js';
import { codeImageShape } from '../shapes.js';
import { TUTORIAL_TRAINING } from '../training.js';
import { sparseConfigSchema } from './config.js';

/**
 * `sparse`: the simple autoencoder plus an L1 penalty on the code's
 * activations, `l1 * sum|code| / batch`, which drives most code units to zero
 * for each input so that each digit is described by a few active features.
 * With the same seed and `l1: 0` it is exactly `dense`.
 *
 * Its report adds `codeMeanActivation` and `codeNearZeroShare` (the share of
 * code values with |h| < 1e-3, see `NEAR_ZERO_THRESHOLD`) on the test data to
 * `metrics.json`, and draws each unit's mean activation in `code-activity.png`.
 */
export const sparseFamily: ModelFamily<typeof sparseConfigSchema> = {
  name: 'sparse',
  description: 'sparse autoencoder: dense plus an L1 activity penalty on the code (1e-5); reports code activity',
  configSchema: sparseConfigSchema,
  configFor: outputForData('sparse'),
  training: TUTORIAL_TRAINING,
  create(config, context) {
    return buildMlpAutoencoder({
      family: 'sparse',
      config,
      dataShape: context.dataShape,
      activation: config.activation,
      penalties: () => [l1ActivityPenalty(config.l1)],
    });
  },
  codeImageShape,
  async report({ autoencoder, test, figures, log }) {
    const activity = await measureCodeActivity(autoencoder, test);
    const byActivity = [...activity.unitMeans].sort((a, b) => b - a);
    await figures.lines('code-activity.png', {
      title: 'Mean activation of each code unit on the test data',
      xLabel: 'code unit (most active first)',
      yLabel: 'mean |activation|',
      series: [{ name: autoencoder.family, x: byActivity.map((_, i) => i + 1), y: byActivity }],
    });
    log(
      `code activity on ${activity.samples} test examples: mean ${activity.meanActivation.toFixed(4)}, ` +
        `${(activity.nearZeroShare * 100).toFixed(1)}% of values near zero (|h| < ${activity.threshold})`,
    );
    return { codeMeanActivation: activity.meanActivation, codeNearZeroShare: activity.nearZeroShare };
  },
};
