import { tf } from '@aekit/core';
import { lstmSequence, lstmSequenceAvailable, type LstmSequenceAttrs } from '@aekit/core/kernels';

type LstmLayer = ReturnType<typeof tf.layers.lstm>;
type LstmLayerArgs = Parameters<typeof tf.layers.lstm>[0];
/** What tfjs-layers passes to an LSTM layer's `call` besides its inputs. */
export type CallKwargs = { mask?: tf.Tensor | null; training?: boolean; initialState?: tf.Tensor[] | null };

/** The variables and activations of tfjs' LSTMCell, which its typings keep to the class. */
interface LstmCellParts {
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  dropout: number;
  recurrentDropout: number;
}

/** tfjs' own LSTM layer class, as its serialization registry holds it (the namespace exports only the factory). */
const TfjsLstm = tf.serialization.SerializationMap.getMap().classNameMap.LSTM![0] as unknown as new (args: LstmLayerArgs) => LstmLayer;

/** tfjs' activation class names, by the gate activations the fused kernel runs. */
const GATE_ACTIVATIONS: Record<string, LstmSequenceAttrs['recurrentActivation']> = { hardSigmoid: 'hardSigmoid', sigmoid: 'sigmoid' };

/**
 * tfjs' LSTM layer, whose whole sequence runs as one kernel, forward and
 * gradient, where the backend in use has it (`AekitLstmSequence`, which
 * `@aekit/kernels-wasm` registers for wasm) instead of tfjs-layers' graph of
 * about fifteen small kernels a step. The weights, the config and the
 * class name (`LSTM`) are tfjs', so a saved model is the same tfjs layers
 * file and exports to ONNX's `LSTM` as before. Calls the kernel does not
 * cover (a mask, initial or kept states, dropout while training, an
 * activation other than tanh with hardSigmoid or sigmoid gates) and other
 * backends run tfjs' own LSTM, as do both directions of a `Bidirectional`
 * wrapper (which rebuilds its layers from their config).
 */
export class FusedLstm extends TfjsLstm {
  /**
   * @param args - The layer's settings, as `tf.layers.lstm` takes them (`units`, `returnSequences`, `recurrentActivation`, …).
   */
  constructor(args: LstmLayerArgs) {
    super(args);
  }

  /**
   * Runs the layer: the fused kernel where it applies, tfjs' LSTM elsewhere.
   *
   * @param inputs - `[batch, steps, features]`.
   * @param kwargs - tfjs' call arguments (`mask`, `training`, `initialState`).
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    const gates = this.fusedGates(inputs, kwargs);
    if (!gates) return super.call(inputs, kwargs as tf.serialization.ConfigDict);
    return tf.tidy(() => {
      const cell = this.cell as unknown as LstmCellParts;
      let x = Array.isArray(inputs) ? inputs[0]! : inputs;
      // tfjs' goBackwards reads the steps in reverse and returns them in that order.
      if (this.goBackwards) x = tf.reverse(x, 1);
      const kernel = cell.kernel.read();
      const recurrentKernel = cell.recurrentKernel.read();
      const bias = cell.bias ? cell.bias.read() : tf.zeros([kernel.shape[1]!]);
      const h = lstmSequence(x, kernel, recurrentKernel, bias, gates);
      if (this.returnSequences) return h;
      const [batch, steps, units] = h.shape as [number, number, number];
      return tf.reshape(tf.slice(h, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
    });
  }

  /** The gate activation to run the fused kernel with, or undefined where tfjs' own LSTM must run. */
  private fusedGates(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): LstmSequenceAttrs['recurrentActivation'] | undefined {
    const x = Array.isArray(inputs) ? inputs : [inputs];
    const cell = this.cell as unknown as LstmCellParts;
    const training = kwargs?.training === true;
    const plainCall =
      x.length === 1 &&
      x[0]!.rank === 3 &&
      x[0]!.dtype === 'float32' &&
      x[0]!.shape[1]! > 0 &&
      kwargs?.mask == null &&
      kwargs?.initialState == null &&
      !this.stateful &&
      !this.returnState &&
      !(training && (cell.dropout > 0 || cell.recurrentDropout > 0)) &&
      cell.activation.getClassName() === 'tanh';
    return plainCall && lstmSequenceAvailable() ? GATE_ACTIVATIONS[cell.recurrentActivation.getClassName()] : undefined;
  }
}
