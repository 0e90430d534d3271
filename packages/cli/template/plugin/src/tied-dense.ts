import { tf } from '@aekit/core';

/** Activations the tied decoder layer can end in. */
export const OUTPUT_ACTIVATIONS = ['sigmoid', 'linear'] as const;

/** Activation of the tied decoder layer; see {@link OUTPUT_ACTIVATIONS}. */
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];

/** What a {@link TiedDense} layer is built from. */
export interface TiedDenseArgs {
  /** The dense layer whose kernel this layer reuses, transposed. It must be applied first. */
  source: tf.layers.Layer;
  /** Output units: the number of inputs of `source`. */
  units: number;
  /** Activation of the output; `sigmoid` for pixel probabilities. */
  activation: OutputActivation;
  /** Layer name. */
  name?: string;
}

// #region layer
/**
 * A dense layer that owns only its bias and multiplies by the transpose of
 * another dense layer's kernel: `y = activation(x · Wᵀ + c)`. It is how a
 * tied-weights autoencoder's decoder mirrors its encoder.
 *
 * The kernel stays a weight of the source layer, so a model containing both
 * layers holds it once, saves it once, and its gradient sums both uses.
 */
export class TiedDense extends tf.layers.Layer {
  /** Name under which tfjs serializes the layer. */
  static readonly className = 'TiedDense';

  private readonly source: tf.layers.Layer;
  private readonly units: number;
  private readonly activation: OutputActivation;
  private bias?: tf.LayerVariable;

  /** @param args - The source layer, the number of units and the activation. */
  constructor(args: TiedDenseArgs) {
    super({ name: args.name });
    this.source = args.source;
    this.units = args.units;
    this.activation = args.activation;
  }

  override build(): void {
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      // Read the live variable (not a copy), so gradients reach the shared kernel.
      const kernel = sourceKernel(this.source).read();
      const y = tf.add(tf.matMul(x, kernel, false, true), this.bias!.read());
      return this.activation === 'sigmoid' ? tf.sigmoid(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, activation: this.activation, tiedTo: this.source.name };
  }
}
// #endregion layer

// Registered so that `model.save` can name the class in model.json. Loading
// goes through the family (loadAutoencoder), which re-creates the tie.
tf.serialization.registerClass(TiedDense);

/**
 * The kernel weight of a built dense layer.
 *
 * @param layer - A dense layer that has been applied, so its weights exist.
 * @throws Error when the layer has no kernel (it was not applied yet).
 */
export function sourceKernel(layer: tf.layers.Layer): tf.LayerVariable {
  const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
  if (!kernel) throw new Error(`layer ${layer.name} has no kernel yet; apply it before the tied layer`);
  return kernel;
}
