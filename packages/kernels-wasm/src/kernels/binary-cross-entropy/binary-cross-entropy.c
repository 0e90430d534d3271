// Elementwise binary cross-entropy, out[i] = -(t log p + (1 - t) log(1 - p))
// for n outputs p against targets t, p clipped to [1e-7, 1 - 1e-7]: one
// pass instead of the seven kernels tfjs composes it from.
#include "probability.h"

EXPORT("binaryCrossEntropy")
void binary_cross_entropy(const float *p, const float *t, float *out, unsigned n) {
  map2(cross_entropy4, p, t, out, n);
}
