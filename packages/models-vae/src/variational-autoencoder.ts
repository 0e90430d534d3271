import {
  LayersAutoencoder,
  sizeOfShape,
  tf,
  type Encoder,
  type ForwardOptions,
  type ForwardPass,
  type LayersAutoencoderParts,
} from '@aekit/core';

/** A diagonal gaussian per example: the VAE encoder's q(z | x). */
export interface LatentDistribution {
  /** Means, `[batch, latentDim]`. */
  mean: tf.Tensor;
  /** Log-variances, `[batch, latentDim]`. */
  logVar: tf.Tensor;
}

/** What a {@link VariationalAutoencoder} is built from. */
export interface VariationalAutoencoderParts extends LayersAutoencoderParts {
  /**
   * Shape of one example of the data the model was built for, e.g.
   * `[28, 28, 1]`; it tells pictures their height and width even when the
   * model reads flat vectors.
   */
  dataShape: readonly number[];
}

/**
 * A variational autoencoder (Kingma and Welling, 2014): the encoder gives a
 * gaussian q(z | x) per example, training decodes a code drawn from it with
 * the reparameterisation trick `z = mean + exp(logVar / 2) * eps`, and the
 * decoder turns codes drawn from the unit gaussian prior into new examples.
 *
 * Its models come from {@link composeVae}: `encoder.model` maps an input to
 * `[mean, logVar]`, `decoder.model` maps a code to an output and `model`
 * maps an input to `[reconstruction of the mean, mean, logVar]`. The
 * methods of the `Autoencoder` interface stay single-tensor and
 * deterministic: `encode` gives the mean, `reconstruct` decodes the mean.
 * Every random draw takes a seed.
 */
export class VariationalAutoencoder extends LayersAutoencoder {
  /** The encoder half; `encode` gives the mean, `model` outputs `[mean, logVar]`. */
  override readonly encoder: Encoder;
  /** Shape of one example of the data the model was built for. */
  readonly dataShape: readonly number[];

  /** @param parts - Models from {@link composeVae}, the loss, and the data shape. */
  constructor(parts: VariationalAutoencoderParts) {
    if (parts.encoder.outputs.length !== 2) {
      throw new Error(`a VAE encoder outputs [mean, logVar]; this one has ${parts.encoder.outputs.length} outputs`);
    }
    if (parts.model.outputs.length !== 3) {
      throw new Error(`a VAE model outputs [reconstruction, mean, logVar]; this one has ${parts.model.outputs.length} outputs`);
    }
    super(parts);
    this.dataShape = [...parts.dataShape];
    this.encoder = { model: parts.encoder, encode: (x) => this.encode(x) };
  }

  /** Number of latent dimensions. */
  get latentDim(): number {
    return sizeOfShape(this.latentShape);
  }

  /**
   * One stochastic pass: encodes, draws `z ~ q(z | x)` with the
   * reparameterisation trick (seeded by `options.seed`) and decodes `z`.
   * It samples in evaluation too, because the loss it feeds is a one-sample
   * estimate of the negative ELBO; use {@link reconstruct} for a
   * deterministic reconstruction. The `mean` and `logVar` extras feed core's
   * `klDivergence` term.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   * @param options - Whether this is a training pass, and the seed of the sampled codes.
   */
  override forward(x: tf.Tensor, options: ForwardOptions): ForwardPass {
    const [mean, logVar] = this.encoder.model.apply(x, { training: options.training }) as tf.Tensor[];
    const code = reparameterize(mean, logVar, options.seed);
    const output = this.decoder.model.apply(code, { training: options.training }) as tf.Tensor;
    return { input: x, output, code, extras: { mean, logVar } };
  }

  /**
   * The means of q(z | x) for a batch, `[n, latentDim]`: the usual code of a VAE.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   */
  override encode(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.encodeDistribution(x).mean);
  }

  /**
   * The gaussian q(z | x) of each example of a batch. The caller owns (and
   * must dispose) both tensors.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   */
  encodeDistribution(x: tf.Tensor): LatentDistribution {
    return tf.tidy(() => {
      const [mean, logVar] = this.encoder.model.apply(x, { training: false }) as tf.Tensor[];
      return { mean, logVar };
    });
  }

  /**
   * Decodes the mean code of each example: the deterministic reconstruction.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   */
  override reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => (this.model.apply(x, { training: false }) as tf.Tensor[])[0]);
  }

  /**
   * Generates `n` new examples: draws codes from the unit gaussian prior and
   * decodes them. The same seed gives the same examples.
   *
   * @param n - Number of examples, a positive integer.
   * @param seed - Seed of the draw.
   * @returns A batch `[n, ...inputShape]` with values in [0, 1].
   */
  sample(n: number, seed: number): tf.Tensor {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`sample needs a positive integer count, got ${n}`);
    return tf.tidy(() => this.decode(tf.randomNormal([n, ...this.latentShape], 0, 1, 'float32', seed)));
  }

  /**
   * Decodes `steps` evenly spaced points on the straight line between the
   * mean codes of two examples, both ends included: the first output is the
   * reconstruction of `from`, the last that of `to`.
   *
   * @param from - One example, `[...inputShape]` or `[1, ...inputShape]`.
   * @param to - Another example of the same shape.
   * @param steps - Number of points, at least 2.
   * @returns A batch `[steps, ...inputShape]`.
   */
  interpolate(from: tf.Tensor, to: tf.Tensor, steps: number): tf.Tensor {
    if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`interpolate needs at least 2 steps, got ${steps}`);
    return tf.tidy(() => {
      const ends = this.encode(tf.concat([this.asBatchOfOne(from), this.asBatchOfOne(to)]));
      const [a, b] = tf.split(ends, 2);
      const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
      return this.decode(tf.add(a, tf.mul(t, tf.sub(b, a))));
    });
  }

  private asBatchOfOne(x: tf.Tensor): tf.Tensor {
    if (x.size !== sizeOfShape(this.inputShape)) {
      throw new RangeError(`expected one example of shape [${this.inputShape}], got a tensor of shape [${x.shape}]`);
    }
    return x.reshape([1, ...this.inputShape]);
  }
}

/**
 * The reparameterisation trick: `mean + exp(logVar / 2) * eps` with
 * `eps ~ N(0, I)` drawn from `seed`. The noise is a constant, so gradients
 * flow to both the mean and the log-variance.
 *
 * @param mean - `[batch, d]` means.
 * @param logVar - `[batch, d]` log-variances.
 * @param seed - Seed of `eps`.
 */
export function reparameterize(mean: tf.Tensor, logVar: tf.Tensor, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', seed);
    return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
  });
}
