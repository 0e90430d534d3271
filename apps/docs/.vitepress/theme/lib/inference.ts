import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Runtime } from './tfjs';

/**
 * Runs a model on `n` examples given back to back, shaped to the model's
 * input (flat `[784]` for dense models, `[28, 28, 1]` for convolutional
 * ones, `[2]` for a VAE decoder), and returns its output values.
 */
export async function runModel(runtime: Runtime, model: LayersModel, values: Float32Array, n: number): Promise<Float32Array> {
  const { tf } = runtime;
  const shape = model.inputs[0].shape.slice(1).map((d) => d ?? 1);
  const output = tf.tidy(() => model.predict(tf.tensor(values, [n, ...shape])) as Tensor);
  const data = (await output.data()) as Float32Array;
  output.dispose();
  return data;
}
