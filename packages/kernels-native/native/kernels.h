// The native kernels, one table of plain C functions per instruction set
// (kernels.cc, compiled once per set); addon.cc picks the table the CPU runs
// and binds its functions to the heap contracts of the same names. Pointers
// are into tfjs' wasm heap; sizes count floats.
#ifndef AEKIT_KERNELS_H
#define AEKIT_KERNELS_H

extern "C" {

/** A sliding window over NHWC images, as the heap contracts' WINDOW sizes list it. */
struct aekit_window {
  int batch, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth,
      top, left;
};

/** The activations a product or convolution can end with (tfjs' fused activations but prelu). */
enum aekit_activation { AEKIT_LINEAR = 0, AEKIT_RELU = 1, AEKIT_RELU6 = 2, AEKIT_ELU = 3, AEKIT_SIGMOID = 4, AEKIT_LEAKYRELU = 5 };

struct aekit_kernel_table {
  /** The instruction set the table was compiled for: avx512, avx2 or sse2. */
  const char *isa;
  /** c[b] = act(op(a[b]) op(b[b]) + bias): a is [batchA, m, k] ([.., k, m] transposed), b [batchB, k, n] ([.., n, k]); a batch of 1 broadcasts; bias [n] or null. */
  void (*matMul)(const float *a, const float *b, const float *bias, float *c, int batchA, int batchB, int m, int n, int k,
                 int transposeA, int transposeB, int activation, float alpha);
  /** y = act(conv(x, w) + bias), NHWC, w [fh, fw, channels, outChannels], no dilation. */
  void (*conv2d)(const float *x, const float *w, const float *bias, float *y, const aekit_window *s, int outChannels,
                 int activation, float alpha);
  /** dx of conv2d (linear) from dy [batch, outHeight, outWidth, outChannels]. */
  void (*conv2dBackpropInput)(const float *dy, const float *w, float *dx, const aekit_window *s, int outChannels);
  /** dw [fh, fw, channels, outChannels] of conv2d from x and dy. */
  void (*conv2dBackpropFilter)(const float *x, const float *dy, float *dw, const aekit_window *s, int outChannels);
  /** Max-pooling gradient for windows that do not overlap: each window's dy goes to its first maximum, row by row. */
  void (*maxPoolGradient)(const float *x, const float *dy, float *dx, const aekit_window *s);
  void (*upsampleNearest)(const float *src, float *dst, int batch, int height, int width, int channels, int sh, int sw);
  void (*upsampleNearestGradient)(const float *dy, float *dx, int batch, int height, int width, int channels, int sh, int sw);
  void (*binaryCrossEntropy)(const float *p, const float *t, float *out, int n);
  void (*binaryCrossEntropyGradient)(const float *p, const float *t, const float *dy, float *dp, int n);
  /** floats: beta1, 1 - beta1, beta2, 1 - beta2, c1, c2, epsilon, -learningRate. */
  void (*adamUpdate)(const float *value, const float *m, const float *v, const float *g, float *newValue, float *newM,
                     float *newV, int n, const float *floats);
  void (*reluGradient)(const float *x, const float *dy, float *dx, int n);
  /** dx = dy * (y * (1 - y)) from the sigmoid's output y: tfjs' operations in its order. */
  void (*sigmoidGradient)(const float *y, const float *dy, float *dx, int n);
  void (*addToRows)(const float *src, const float *vector, float *dst, int rows, int cols);
  void (*sumRows)(const float *src, float *dst, int rows, int cols);
  /** y = 1 / (1 + e^-x), a NaN kept as it is. */
  void (*sigmoid)(const float *x, float *y, int n);
  /** out[0] = scale * sum(bce(p, t)) over n elements, in blocks of 1024 summed in double and added in order (any thread count, one float). */
  void (*binaryCrossEntropySum)(const float *p, const float *t, float *out, int n, float scale);
  /** dp = (dy[0] * scale) (p - t) / (p (1 - p)), p clipped: the summed loss's gradient from its scalar dy. */
  void (*binaryCrossEntropySumGradient)(const float *p, const float *t, const float *dy, float *dp, int n, float scale);
  /**
   * A Dense layer's weight gradients from its input x [n, features], output y and dy [n, units]: dz = dy act'(y)
   * [n, units], dw = x^T dz [features, units] and db [units] (null: no bias). activation: linear, relu, elu,
   * sigmoid as numbered above, or 6 for tanh.
   */
  void (*denseGradient)(const float *x, const float *y, const float *dy, float *dz, float *dw, float *db, int n, int features,
                        int units, int activation);
  /** One LSTM step after its products (lstm.h): z += recurrent (null at step 0), then this step of c, h and hStep. */
  void (*lstmStep)(float *z, const float *recurrent, float *c, float *h, float *hStep, int batch, int steps, int units, int step, int hard);
  /** One LSTM step of the gradient before its products (lstm.h): dz, dzStep and dcNext; dhRecurrent null at the last step. */
  void (*lstmStepGradient)(const float *z, const float *c, const float *dh, const float *dhRecurrent, float *dcNext, float *dz, float *dzStep,
                           int batch, int steps, int units, int step, int hard);
  /** c [m, n] = sum over rows k of a[k - lag]^T b[k], each of `sequences` runs of `steps` rows skipping its first `lag`. */
  void (*transposedProduct)(const float *a, const float *b, float *c, int sequences, int steps, int m, int n, int lag);
};

extern const aekit_kernel_table aekit_kernels_avx512;
extern const aekit_kernel_table aekit_kernels_avx2;
extern const aekit_kernel_table aekit_kernels_sse2;
}

#endif
