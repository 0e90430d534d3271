// The LSTM sequence's heap functions, native twins of the wasm kernels'
// (packages/kernels-wasm/src/kernels/lstm-sequence/*.c): one step forward
// after its products (lstmStep), one step of the gradient before its
// products (lstmStepGradient), and the weights' gradients summed over every
// step (transposedProduct). Included by kernels.cc inside its anonymous
// namespace, once per instruction set: it uses the pool (`parallel`), the
// exponential and the products defined there.
//
// The gate arithmetic is gates.h's, operation for operation (the same
// exponential, clamped at the same bounds, no contraction into FMA), so a
// step gives the wasm kernels' floats to the last bit; each row's loop is a
// function of its own with `__restrict` pointers, so that GCC vectorises it
// with the build's widest vectors, and the batch's rows are split over the
// pool.
#ifndef AEKIT_LSTM_H
#define AEKIT_LSTM_H

/** Batch rows a thread takes at least: rows x units of about this many floats are worth waking a thread for. */
constexpr long LSTM_GRAIN_FLOATS = 2048;

inline long lstm_grain(long units) { return std::max(1L, LSTM_GRAIN_FLOATS / std::max(1L, units)); }

/**
 * gates.h's exp4, operation for operation: clamped to [-87.3365, 88.7228], each product rounded before its sum
 * (the wasm kernel has no fused multiply-add), so that the steps give the wasm kernels' floats.
 */
inline float lstm_exp(float x) { return cephes_exp<mul_then_add>(x, -87.3365f, 88.7228f); }

/** The logistic sigmoid, 1 / (1 + e^-x), as gates.h's sigmoid4; a NaN stays a NaN. */
inline float lstm_sigmoid(float x) { return 1.0f / (1.0f + lstm_exp(-x)) + (x - x); }

/** tanh x = sign(x) (1 - t) / (1 + t) with t = e^-2|x|, as gates.h's tanh4; a NaN stays a NaN. */
inline float lstm_tanh(float x) {
  float t = lstm_exp(std::fabs(x) * -2.0f);
  return std::copysign((1.0f - t) / (1.0f + t), x) + (x - x);
}

/** tfjs' hardSigmoid, clip(0.2 x + 0.5, 0, 1), as wasm's pmax then pmin compute it: a NaN passes through. */
inline float lstm_hard_sigmoid(float x) {
  float y = x * 0.2f + 0.5f;
  y = y < 0.0f ? 0.0f : y;
  return 1.0f < y ? 1.0f : y;
}

/** A gate's activation: hardSigmoid or the sigmoid. */
template <bool HARD>
inline float lstm_gate(float z) {
  return HARD ? lstm_hard_sigmoid(z) : lstm_sigmoid(z);
}

/** d gate / dz at `z` with activation `a`: 0.2 inside hardSigmoid's clip (its bounds included), else 0; a (1 - a) for the sigmoid. */
template <bool HARD>
inline float lstm_gate_slope(float z, float a) {
  if (!HARD) return a * (1.0f - a);
  float y = z * 0.2f + 0.5f;
  return (y >= 0.0f && y <= 1.0f) ? 0.2f : 0.0f;
}

/** The four gates' segments of one row of `4 units` floats (input, forget, cell, output). */
template <typename T>
struct Gates {
  T *i, *f, *g, *o;
  Gates(T *row, long units) : i(row), f(row + units), g(row + 2 * units), o(row + 3 * units) {}
};

/** Which of a step's optional terms a row loop has, as template flags: one loop each, each vectorised without branches. */
template <typename Rows, size_t N, typename... Flags>
inline Rows pick(const Rows (&loops)[N], Flags... flags) {
  static_assert(N == size_t{1} << sizeof...(Flags), "one loop for every combination of the flags");
  size_t index = 0;
  ((index = 2 * index + (flags ? 1 : 0)), ...);
  return loops[index];
}

/**
 * One batch row of a step (lstm-step.c): z += recurrent where ADD, then
 * c = f c_prev + i g (c = i g without PREV, at step 0) and h = o tanh(c).
 */
template <bool HARD, bool ADD, bool PREV>
void lstm_step_row(float *__restrict zi, float *__restrict zf, float *__restrict zg, float *__restrict zo, const float *__restrict ri,
                   const float *__restrict rf, const float *__restrict rg, const float *__restrict ro, const float *__restrict cPrev,
                   float *__restrict c, float *__restrict h, float *__restrict hStep, long units) {
  for (long u = 0; u < units; u++) {
    if (ADD) {
      zi[u] = zi[u] + ri[u];
      zf[u] = zf[u] + rf[u];
      zg[u] = zg[u] + rg[u];
      zo[u] = zo[u] + ro[u];
    }
    float i = lstm_gate<HARD>(zi[u]), f = lstm_gate<HARD>(zf[u]), g = lstm_tanh(zg[u]), o = lstm_gate<HARD>(zo[u]);
    float ig = i * g;
    float cn = PREV ? f * cPrev[u] + ig : ig;
    float hn = o * lstm_tanh(cn);
    c[u] = cn;
    h[u] = hn;
    hStep[u] = hn;
  }
}

using StepRows = void (*)(float *z, const float *recurrent, float *c, float *h, float *hStep, long batch, long steps, long units, long step);

template <bool HARD, bool ADD, bool PREV>
void lstm_step_rows(float *z, const float *recurrent, float *c, float *h, float *hStep, long batch, long steps, long units, long step) {
  long gates = 4 * units;
  parallel(batch, lstm_grain(units), [&](long begin, long end, int) {
    for (long b = begin; b < end; b++) {
      long row = b * steps + step;
      Gates<float> zr(z + row * gates, units);
      // Pointers a loop does not read point at any row of their length: never past a tensor.
      Gates<const float> rr(ADD ? recurrent + b * gates : z, units);
      const float *cPrev = PREV ? c + (row - 1) * units : c;
      lstm_step_row<HARD, ADD, PREV>(zr.i, zr.f, zr.g, zr.o, rr.i, rr.f, rr.g, rr.o, cPrev, c + row * units, h + row * units, hStep + b * units,
                                     units);
    }
  });
}

/**
 * One LSTM step after its products: `recurrent` (h_{t-1} R, [batch, 4
 * units]; null at step 0) added to this step of `z` ([batch, steps, 4
 * units]), then this step of `c` and `h` ([batch, steps, units]) and `hStep`
 * ([batch, units]) written.
 */
void lstm_step(float *z, const float *recurrent, float *c, float *h, float *hStep, int batch, int steps, int units, int step, int hard) {
  static const StepRows loops[] = {
      lstm_step_rows<false, false, false>, lstm_step_rows<false, false, true>, lstm_step_rows<false, true, false>, lstm_step_rows<false, true, true>,
      lstm_step_rows<true, false, false>,  lstm_step_rows<true, false, true>,  lstm_step_rows<true, true, false>,  lstm_step_rows<true, true, true>,
  };
  pick(loops, hard != 0, recurrent != nullptr, step > 0)(z, recurrent, c, h, hStep, batch, steps, units, step);
}

/**
 * One batch row of a step's gradient (lstm-step-gradient.c): REC adds
 * `dhRecurrent` (absent at the last step), CARRY adds the cell's gradient
 * from the step after (not at the last step); `cPrev` is the cell before
 * (a row of zeros at step 0: the same floats as the wasm kernel's constant 0).
 */
template <bool HARD, bool REC, bool CARRY>
void lstm_step_gradient_row(const float *__restrict zi, const float *__restrict zf, const float *__restrict zg, const float *__restrict zo,
                            const float *__restrict c, const float *__restrict cPrev, const float *__restrict dh,
                            const float *__restrict dhRecurrent, float *__restrict dcNext, float *__restrict dzi, float *__restrict dzf,
                            float *__restrict dzg, float *__restrict dzo, float *__restrict si, float *__restrict sf, float *__restrict sg,
                            float *__restrict so, long units) {
  for (long u = 0; u < units; u++) {
    float i = lstm_gate<HARD>(zi[u]), f = lstm_gate<HARD>(zf[u]), g = lstm_tanh(zg[u]), o = lstm_gate<HARD>(zo[u]);
    float tc = lstm_tanh(c[u]);
    float dht = REC ? dh[u] + dhRecurrent[u] : dh[u];
    // dc = dc_{t+1} f_{t+1} + dh o (1 - tanh^2 c)
    float dc = (dht * o) * (1.0f - tc * tc);
    if (CARRY) dc = dc + dcNext[u];
    float di = (dc * g) * lstm_gate_slope<HARD>(zi[u], i);
    float df = (dc * cPrev[u]) * lstm_gate_slope<HARD>(zf[u], f);
    float dg = (dc * i) * (1.0f - g * g);
    float dout = (dht * tc) * lstm_gate_slope<HARD>(zo[u], o);
    dzi[u] = di;
    dzf[u] = df;
    dzg[u] = dg;
    dzo[u] = dout;
    si[u] = di;
    sf[u] = df;
    sg[u] = dg;
    so[u] = dout;
    dcNext[u] = dc * f;
  }
}

using GradientRows = void (*)(const float *z, const float *c, const float *dh, const float *dhRecurrent, float *dcNext, float *dz, float *dzStep,
                              long batch, long steps, long units, long step);

template <bool HARD, bool REC, bool CARRY>
void lstm_step_gradient_rows(const float *z, const float *c, const float *dh, const float *dhRecurrent, float *dcNext, float *dz, float *dzStep,
                             long batch, long steps, long units, long step) {
  long gates = 4 * units;
  float *zeros = nullptr;
  if (step == 0) {
    zeros = aekit_scratch(0, WORK, std::max(1L, units));
    std::memset(zeros, 0, units * sizeof(float));
  }
  parallel(batch, lstm_grain(units), [&](long begin, long end, int) {
    for (long b = begin; b < end; b++) {
      long row = b * steps + step;
      Gates<const float> zr(z + row * gates, units);
      Gates<float> dzr(dz + row * gates, units), dzs(dzStep + b * gates, units);
      const float *rec = REC ? dhRecurrent + b * units : dh;
      const float *cPrev = step > 0 ? c + (row - 1) * units : zeros;
      lstm_step_gradient_row<HARD, REC, CARRY>(zr.i, zr.f, zr.g, zr.o, c + row * units, cPrev, dh + row * units, rec, dcNext + b * units,
                                                     dzr.i, dzr.f, dzr.g, dzr.o, dzs.i, dzs.f, dzs.g, dzs.o, units);
    }
  });
}

/**
 * One LSTM step of the gradient before its products: this step's gate
 * gradients into `dz` ([batch, steps, 4 units]) and `dzStep` ([batch, 4
 * units]), and the cell's gradient for the step before into `dcNext`
 * ([batch, units], read unless this is the last step), from `z`, `c`, `dh`
 * ([batch, steps, units]) and `dhRecurrent` (dz_{t+1} R^T, [batch, units];
 * null at the last step).
 */
void lstm_step_gradient(const float *z, const float *c, const float *dh, const float *dhRecurrent, float *dcNext, float *dz, float *dzStep,
                        int batch, int steps, int units, int step, int hard) {
  static const GradientRows loops[] = {
      lstm_step_gradient_rows<false, false, false>, lstm_step_gradient_rows<false, false, true>, lstm_step_gradient_rows<false, true, false>,
      lstm_step_gradient_rows<false, true, true>,   lstm_step_gradient_rows<true, false, false>,  lstm_step_gradient_rows<true, false, true>,
      lstm_step_gradient_rows<true, true, false>,   lstm_step_gradient_rows<true, true, true>,
  };
  pick(loops, hard != 0, dhRecurrent != nullptr, step + 1 < steps)(z, c, dh, dhRecurrent, dcNext, dz, dzStep, batch, steps, units, step);
}

/**
 * c = sum over rows k of a[k - lag]^T b[k], for `a` of [sequences x steps,
 * m], `b` of [sequences x steps, n] and `c` of [m, n], each sequence's
 * first `lag` rows skipped (transposed-product.c). One product on the pool
 * (`mat_mul` with A transposed, read in place by Eigen's packing); for lag
 * 1, over a copy of `a` shifted down a row with each sequence's first row
 * zero, so that every step meets the one before it in its own sequence.
 */
void transposed_product(const float *a, const float *b, float *c, int sequences, int steps, int m, int n, int lag) {
  long rows = static_cast<long>(sequences) * steps;
  const float *left = a;
  if (lag > 0) {
    float *shifted = aekit_scratch(0, WORK, std::max(1L, rows * m));
    parallel(sequences, std::max(1L, ELEMENTWISE_GRAIN / std::max(1L, static_cast<long>(steps) * m)), [&](long begin, long end, int) {
      for (long s = begin; s < end; s++) {
        float *to = shifted + s * steps * m;
        const float *from = a + s * steps * m;
        long kept = std::max(0L, static_cast<long>(steps) - lag);
        std::memset(to, 0, std::min<long>(lag, steps) * m * sizeof(float));
        std::memcpy(to + lag * m, from, kept * m * sizeof(float));
      }
    });
    left = shifted;
  }
  mat_mul(left, b, nullptr, c, 1, 1, m, n, static_cast<int>(rows), 1, 0, AEKIT_LINEAR, 0.0f);
}

#endif
