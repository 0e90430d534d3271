import type { DenseActivation } from '@aekit/core/kernels';
import { reluGradientInJavaScript } from '../relu-grad/wasm.js';
import { sigmoidGradientInJavaScript } from '../sigmoid-grad/wasm.js';

/**
 * `dz = dy * act'(z)` from the activation's output `y`, in place into `dz`
 * (tanh and elu on wasm, every activation where the heap kernels cannot
 * run): relu `y > 0` (NaN kept), sigmoid `y (1 - y)`, tanh `1 - y²`, elu 1
 * where `y > 0` else `y + 1`.
 * @internal
 */
export function activationGradientInJavaScript(activation: DenseActivation, y: Float32Array, dy: Float32Array, dz: Float32Array): void {
  const n = dz.length;
  switch (activation) {
    // The ReLU's and the sigmoid's gradient kernels' own loops (y > 0 exactly where the input was).
    case 'relu':
      reluGradientInJavaScript(y, dy, dz, n);
      break;
    case 'sigmoid':
      sigmoidGradientInJavaScript(y, dy, dz, n);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) dz[i] = dy[i]! * (1 - y[i]! * y[i]!);
      break;
    case 'elu':
      for (let i = 0; i < n; i++) dz[i] = y[i]! > 0 ? dy[i]! : dy[i]! * (y[i]! + 1);
      break;
    default:
      dz.set(dy);
  }
}
