// One step of an LSTM's gradient over a batch, before the products: from
// the step's pre-activations `z` and cells `c` (the forward pass's, all
// steps), the gradient `dh` of every step's output ([batch, steps, units])
// plus `dhRecurrent` ([batch, units], dz_{t+1} R^T; -1 at the last step),
// and the cell's gradient carried from the step after (`dcNext`, [batch,
// units], not read at the last step), writes this step's gate gradients
// into `dz` ([batch, steps, 4 units]) and `dzStep` ([batch, 4 units], laid
// out as the next product needs them) and the cell's gradient for the step
// before into `dcNext`.
#include "gates.h"

EXPORT("lstmStepGradient")
void lstm_step_gradient(const float *z, const float *c, const float *dh, int dhRecurrent, float *dcNext, float *dz, float *dzStep,
                        unsigned batch, unsigned steps, unsigned units, unsigned step, unsigned hard) {
  unsigned gates = 4 * units;
  const v128_t one = SPLAT(1.0f);
  for (unsigned b = 0; b < batch; b++) {
    unsigned row = b * steps + step;
    const float *zr = z + row * gates;
    const float *cr = c + row * units;
    const float *dhr = dh + row * units;
    const float *dhRec = dhRecurrent >= 0 ? (const float *)dhRecurrent + b * units : 0;
    float *dcr = dcNext + b * units;
    float *dzr = dz + row * gates;
    float *dzs = dzStep + b * gates;
    for (unsigned u = 0; u < units; u = next_at(u, units)) {
      v128_t zi = load_at(zr, u, units), zf = load_at(zr + units, u, units);
      v128_t zc = load_at(zr + 2 * units, u, units), zo = load_at(zr + 3 * units, u, units);
      v128_t i = gate4(zi, hard), f = gate4(zf, hard), g = tanh4(zc), o = gate4(zo, hard);
      v128_t tc = tanh4(load_at(cr, u, units));
      v128_t dht = load_at(dhr, u, units);
      if (dhRec) dht = wasm_f32x4_add(dht, load_at(dhRec, u, units));
      // dc = dc_{t+1} f_{t+1} + dh o (1 - tanh^2 c)
      v128_t dc = wasm_f32x4_mul(wasm_f32x4_mul(dht, o), wasm_f32x4_sub(one, wasm_f32x4_mul(tc, tc)));
      if (step + 1 < steps) dc = wasm_f32x4_add(dc, load_at(dcr, u, units));
      v128_t cPrev = step > 0 ? load_at(cr - units, u, units) : SPLAT(0.0f);
      v128_t d[4] = {
          wasm_f32x4_mul(wasm_f32x4_mul(dc, g), gate_slope4(zi, i, hard)),
          wasm_f32x4_mul(wasm_f32x4_mul(dc, cPrev), gate_slope4(zf, f, hard)),
          wasm_f32x4_mul(wasm_f32x4_mul(dc, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))),
          wasm_f32x4_mul(wasm_f32x4_mul(dht, tc), gate_slope4(zo, o, hard)),
      };
      for (int k = 0; k < 4; k++) {
        store_at(dzr + k * units, u, units, d[k]);
        store_at(dzs + k * units, u, units, d[k]);
      }
      store_at(dcr, u, units, wasm_f32x4_mul(dc, f));
    }
  }
}
