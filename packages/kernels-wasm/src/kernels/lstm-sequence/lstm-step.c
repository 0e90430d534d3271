// One step of an LSTM over a batch, after the products: the gates' pre-
// activations get the recurrent product added, then the cell and the output
// are computed. `z` ([batch, steps, 4 units]) holds x_t W + b for every step
// on entry and the full pre-activations of this step on return; `recurrent`
// ([batch, 4 units], h_{t-1} R) is -1 at step 0. Writes this step of `c` and
// `h` ([batch, steps, units]) and `hStep` ([batch, units], h_t again, laid
// out as the next step's product needs it).
#include "gates.h"

EXPORT("lstmStep")
void lstm_step(float *z, int recurrent, float *c, float *h, float *hStep, unsigned batch, unsigned steps, unsigned units,
               unsigned step, unsigned hard) {
  unsigned gates = 4 * units;
  for (unsigned b = 0; b < batch; b++) {
    unsigned row = b * steps + step;
    float *zr = z + row * gates;
    const float *pr = recurrent >= 0 ? (const float *)recurrent + b * gates : 0;
    float *cr = c + row * units;
    float *hr = h + row * units;
    float *hs = hStep + b * units;
    for (unsigned u = 0; u < units; u = next_at(u, units)) {
      v128_t zg[4];
      for (int k = 0; k < 4; k++) {
        zg[k] = load_at(zr + k * units, u, units);
        if (pr) zg[k] = wasm_f32x4_add(zg[k], load_at(pr + k * units, u, units));
        store_at(zr + k * units, u, units, zg[k]);
      }
      v128_t i = gate4(zg[0], hard), f = gate4(zg[1], hard), g = tanh4(zg[2]), o = gate4(zg[3], hard);
      // As tfjs' LSTMCell: f c_{t-1} + i g, then o tanh(c).
      v128_t ig = wasm_f32x4_mul(i, g);
      v128_t cn = step > 0 ? wasm_f32x4_add(wasm_f32x4_mul(f, load_at(cr - units, u, units)), ig) : ig;
      v128_t hn = wasm_f32x4_mul(o, tanh4(cn));
      store_at(cr, u, units, cn);
      store_at(hr, u, units, hn);
      store_at(hs, u, units, hn);
    }
  }
}
