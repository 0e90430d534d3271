// A Dense layer's weight gradients in one call (AekitDenseGrad): included by
// kernels.cc inside its anonymous namespace, after the products and the
// elementwise helpers it uses; kept in a file of its own so that it merges
// apart from the rest of kernels.cc.
//
//   dz = dy * act'(y)   (from the activation's output y; one vectorised pass)
//   dW = x^T dz,  db = column sums of dz
//
// The input's gradient dz W^T is left to a product of its own (matMul), run
// only where tfjs' tape asks for it: never for a model's first layer.

/** The activation code of tanh, which the products do not fuse (kernels.h numbers the others). */
constexpr int DENSE_TANH = 6;

void dense_tanh_gradient_range(const float *__restrict y, const float *__restrict dy, float *__restrict dz, long begin, long end) {
  for (long i = begin; i < end; i++) dz[i] = dy[i] * (1.f - y[i] * y[i]);
}

void dense_elu_gradient_range(const float *__restrict y, const float *__restrict dy, float *__restrict dz, long begin, long end) {
  for (long i = begin; i < end; i++) dz[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + 1.f);
}

/** Whether `activation` is one dense_gradient takes. */
inline bool dense_gradient_activation(int activation) {
  return activation == AEKIT_LINEAR || activation == AEKIT_RELU || activation == AEKIT_ELU || activation == AEKIT_SIGMOID ||
         activation == DENSE_TANH;
}

void dense_gradient(const float *x, const float *y, const float *dy, float *dz, float *dw, float *db, int n, int features, int units,
                    int activation) {
  long size = static_cast<long>(n) * units;
  elementwise(size, [&](long begin, long end) {
    switch (activation) {
      // The ReLU gradient kernel's loop: y > 0 exactly where the input was, and a NaN output stays NaN.
      case AEKIT_RELU: relu_gradient_range(y, dy, dz, begin, end); break;
      case AEKIT_SIGMOID: sigmoid_gradient_range(y, dy, dz, begin, end); break;
      case DENSE_TANH: dense_tanh_gradient_range(y, dy, dz, begin, end); break;
      case AEKIT_ELU: dense_elu_gradient_range(y, dy, dz, begin, end); break;
      default: std::memcpy(dz + begin, dy + begin, (end - begin) * sizeof(float)); break;
    }
  });
  // dW [features, units] = x^T [features, n] dz [n, units].
  Product{x, dz, nullptr, dw, features, units, n, true, false, AEKIT_LINEAR, 0}.run();
  if (db) sum_rows(dz, db, n, units);
}
