import { contractivePenalty, sigmoidJacobianFrobeniusSquared, type ModelFamily } from '@aekit/core';
import { kernelOf } from '../mlp.js';
import { buildMlpAutoencoder } from '../mlp-autoencoder.js';
import { OUTPUT_BY_DATA, outputForData } from '../schema.js';
import { codeImageShape } from '../shapes.js';
import { TUTORIAL_TRAINING } from '../training.js';
import { contractiveConfigSchema } from './config.js';

/**
 * The tutorial's settings with a tenfold learning rate (Adam, 1e-2). A
 * sigmoid code is bounded, so the decoder needs large weights to draw sharp
 * digits; at 1e-3 the model was still at the average digit after 10 MNIST
 * epochs, at 1e-2 it had left it after 2 (see the README's results).
 */
const CONTRACTIVE_TRAINING = Object.freeze({ ...TUTORIAL_TRAINING, learningRate: 1e-2 });

/**
 * `contractive`: a one-layer sigmoid encoder `h = sigmoid(x W + b)` and a
 * sigmoid decoder, trained with binary cross-entropy plus
 * `lambda * ||J(x)||_F^2`, the squared Frobenius norm of the encoder's
 * Jacobian dh/dx averaged over the batch (Rifai et al. 2011). The penalty
 * makes the code insensitive to small changes of the input that the data
 * does not contain, so nearby inputs get nearby codes.
 *
 * The norm is the exact closed form `sum_j (h_j (1 - h_j))^2 sum_i W_ij^2`,
 * computed from the live kernel variable so that its gradient reaches `W`
 * both through `h` and through the column norms.
 *
 * The decoder reads the code centred, `h - 0.5`. That changes nothing the
 * model can express (the decoder's bias absorbs the shift), but without it
 * training on MNIST pushes every code unit to 1 while the decoder learns the
 * average digit, and the saturated sigmoids then stop the encoder learning.
 */
export const contractiveFamily: ModelFamily<typeof contractiveConfigSchema> = {
  name: 'contractive',
  description: `contractive autoencoder: sigmoid code, penalty lambda * ||dh/dx||_F^2 (exact); ${OUTPUT_BY_DATA}`,
  configSchema: contractiveConfigSchema,
  configFor: outputForData('contractive'),
  training: CONTRACTIVE_TRAINING,
  create(config, context) {
    return buildMlpAutoencoder({
      family: 'contractive',
      config,
      dataShape: context.dataShape,
      activation: 'sigmoid',
      centerCode: true,
      penalties: (codeLayer) => [
        contractivePenalty(config.lambda, (pass) => sigmoidJacobianFrobeniusSquared(pass.code, kernelOf(codeLayer))),
      ],
    });
  },
  codeImageShape,
};
