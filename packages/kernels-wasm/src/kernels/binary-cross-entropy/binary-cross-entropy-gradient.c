// The binary cross-entropy's gradient for the outputs, times the incoming
// gradient: dp[i] = dy (p - t) / (p (1 - p)) for n elements, p clipped as
// the loss clips it.
#include "probability.h"

EXPORT("binaryCrossEntropyGradient")
void binary_cross_entropy_gradient(const float *p, const float *t, const float *dy, float *dp, unsigned n) {
  map3(cross_entropy_gradient4, p, t, dy, dp, n);
}
