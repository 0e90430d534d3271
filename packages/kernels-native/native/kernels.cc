// The native kernels, compiled once per instruction set by
// scripts/build-native.mjs with -DAEKIT_TABLE=aekit_kernels_<isa>,
// -DAEKIT_ISA="<isa>" and -DEigen=Eigen_<isa>: the last renames Eigen's
// namespace in each build, so that the linker never merges an AVX-512
// instantiation of an Eigen template into the SSE2 build (or the other way
// round). Everything else here has internal linkage for the same reason, and
// the build checks that the builds share no weak symbol.
//
// Matrix products are Eigen's (its blocked, packed GEMM with the widest
// vectors the build allows), split over the pool's threads by rows or
// columns of the result; the bias and activation are applied to each block
// while it is still in cache. Convolutions are im2col + the same products.
// The elementwise loops are plain C++ that the compiler vectorises; floating
// point is not contracted (-ffp-contract=off), so the Adam step is bit for
// bit tfjs' and the loss's gradients are the wasm heap kernels' to the last
// bit. The logarithm and exponential alone use fused multiply-adds, written
// out (madd), where the build has FMA: the loss is within 2 ulp of the wasm
// kernel's, the sigmoid within 2e-7 of tfjs'.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#define EIGEN_DONT_PARALLELIZE
#define EIGEN_NO_DEBUG
#include <Eigen/Core>
#if defined(__FMA__)
#include <immintrin.h>
#endif

#include "kernels.h"
#include "pool.h"

#if !defined(AEKIT_TABLE) || !defined(AEKIT_ISA)
#error "build with -DAEKIT_TABLE=... -DAEKIT_ISA=... (scripts/build-native.mjs)"
#endif

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strided = Eigen::OuterStride<>;
using ConstView = Eigen::Map<const RowMatrix, 0, Strided>;
using View = Eigen::Map<RowMatrix, 0, Strided>;

/** Below this many multiply-adds a product runs on one thread: waking the others costs more. */
constexpr double PARALLEL_MACS = 1 << 17;
/** Elementwise loops split over threads from this many elements. */
constexpr long ELEMENTWISE_GRAIN = 1 << 15;

/** Runs `body(begin, end, thread)` over [0, n) on the pool. */
template <typename Body>
void parallel(long n, long grain, const Body &body) {
  aekit_parallel_for(
      n, grain, [](void *context, long begin, long end, int thread) { (*static_cast<const Body *>(context))(begin, end, thread); },
      const_cast<Body *>(&body));
}

// The pool's scratch slots (per thread; pool.h): a kernel's working rows (im2col, pooling maxima; thread 0's
// also a filter transposed before a parallel loop), the partial sums of reductions (filter gradients, column
// sums), a zero-padded image, and a filter rearranged for the input gradient.
constexpr int WORK = 0, PARTIAL_SUMS = 1, PADDED_IMAGE = 2, FILTER_COPY = 3;

/** Zeroes every thread's `size` partial sums; each thread then adds its share of the work into its own. */
inline void clear_partial_sums(long size) {
  for (int t = 0; t < aekit_threads(); t++) std::memset(aekit_scratch(t, PARTIAL_SUMS, size), 0, size * sizeof(float));
}

/** The threads' partial sums added into `to`. */
inline void add_partial_sums(float *to, long size) {
  std::memcpy(to, aekit_scratch(0, PARTIAL_SUMS, size), size * sizeof(float));
  for (int t = 1; t < aekit_threads(); t++) {
    const float *partial = aekit_scratch(t, PARTIAL_SUMS, size);
    for (long i = 0; i < size; i++) to[i] += partial[i];
  }
}

// ---- activations -----------------------------------------------------------

/**
 * a * b + c, fused where the build has FMA (the AVX2 and AVX-512 tables): the
 * approximations below are written with it, one rounding fewer and about a
 * third fewer instructions. The SSE2 table rounds the product first, so its
 * floats can differ from the others' in the last bit.
 */
inline float madd(float a, float b, float c) {
#if defined(__FMA__)
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

/** a * b + c with the product rounded first, as the wasm kernels compute it (this build never contracts the two). */
inline float mul_then_add(float a, float b, float c) { return a * b + c; }

/**
 * e^x within about 2 ulp: Cephes' expf polynomial, x clamped to [low, high] first, branch-free so that loops
 * vectorise. `MulAdd` is each step's multiply-add: `madd` (fused where the CPU can) for exp_approx, or
 * `mul_then_add` where a kernel must give the wasm kernels' floats (lstm.h).
 */
template <float (*MulAdd)(float, float, float)>
inline float cephes_exp(float x, float low, float high) {
  // Comparisons, not std::fmin/fmax: GCC calls those as library functions and leaves the loop scalar.
  x = x < low ? low : x;
  x = x > high ? high : x;
  float n = std::nearbyint(x * 1.44269504088896341f);
  float r = MulAdd(n, -0.693359375f, x);
  r = MulAdd(n, 2.12194440e-4f, r);
  float p = MulAdd(1.9875691500e-4f, r, 1.3981999507e-3f);
  p = MulAdd(p, r, 8.3334519073e-3f);
  p = MulAdd(p, r, 4.1665795894e-2f);
  p = MulAdd(p, r, 1.6666665459e-1f);
  p = MulAdd(p, r, 5.0000001201e-1f);
  p = MulAdd(p, r * r, r) + 1.0f;
  int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  return p * scale;
}

/** e^x for x in about [-87, 88], in multiply-adds fused where the CPU can (the sigmoid, ELU and the losses). */
inline float exp_approx(float x) { return cephes_exp<madd>(x, -87.3f, 88.7f); }

/** Applies the activation to `count` floats at `y`. */
inline void activate(float *y, long count, int activation, float alpha) {
  switch (activation) {
    case AEKIT_RELU:
      for (long i = 0; i < count; i++) y[i] = y[i] > 0 ? y[i] : 0;
      break;
    case AEKIT_RELU6:
      for (long i = 0; i < count; i++) y[i] = std::fmin(std::fmax(y[i], 0.f), 6.f);
      break;
    case AEKIT_LEAKYRELU:
      for (long i = 0; i < count; i++) y[i] = y[i] < 0 ? alpha * y[i] : y[i];
      break;
    case AEKIT_ELU:
      for (long i = 0; i < count; i++) y[i] = y[i] > 0 ? y[i] : exp_approx(y[i]) - 1.f;
      break;
    case AEKIT_SIGMOID:
      for (long i = 0; i < count; i++) y[i] = 1.f / (1.f + exp_approx(-y[i]));
      break;
    default:
      break;
  }
}

/** Adds `bias` (`cols` floats; may be null) to each of `rows` rows `stride` apart, then the activation. */
inline void finish_rows(float *c, long rows, long cols, long stride, const float *bias, int activation, float alpha) {
  for (long r = 0; r < rows; r++) {
    float *row = c + r * stride;
    if (bias)
      for (long j = 0; j < cols; j++) row[j] += bias[j];
    activate(row, cols, activation, alpha);
  }
}

// ---- matrix products -------------------------------------------------------

// The AVX2 build's products run on the packed kernel of packed-gemm.h; the
// AVX-512 build keeps Eigen's 512-bit kernels (not measured against it: this
// machine has no AVX-512), the SSE2 build Eigen's.
#if defined(__AVX2__) && defined(__FMA__) && !defined(__AVX512F__)
#define AEKIT_PACKED_GEMM 1
#include "packed-gemm.h"
#else
#define AEKIT_PACKED_GEMM 0
#endif

struct Product {
  const float *a, *b, *bias;
  float *c;
  long m, n, k;
  bool transposeA, transposeB;
  int activation;
  float alpha;

  /** op(A) rows [r0, r0 + rows) times op(B) columns [c0, c0 + cols) into C, then bias and activation. */
  void block(long r0, long rows, long c0, long cols) const {
    if (rows <= 0 || cols <= 0) return;
    View out(c + r0 * n + c0, rows, cols, Strided(n));
    if (k == 0) {
      out.setZero();
#if AEKIT_PACKED_GEMM
    } else if (cols >= packed_gemm::NR) {
      // op(A) rows from r0 and op(B) columns from c0, as (row, column) strides of the stored matrices.
      packed_gemm::Operand left = transposeA ? packed_gemm::Operand{a + r0, 1, m} : packed_gemm::Operand{a + r0 * k, k, 1};
      packed_gemm::Operand right = transposeB ? packed_gemm::Operand{b + c0 * k, 1, k} : packed_gemm::Operand{b + c0, n, 1};
      packed_gemm::gemm(rows, cols, k, left, right, c + r0 * n + c0, n);
#endif
    } else {
      // A is [m, k] (or [k, m] transposed), B [k, n] (or [n, k]), all row-major.
      auto left = [&](auto &&right) {
        if (transposeA) out.noalias() = ConstView(a, k, m, Strided(m)).middleCols(r0, rows).transpose() * right;
        else out.noalias() = ConstView(a + r0 * k, rows, k, Strided(k)) * right;
      };
      if (transposeB) left(ConstView(b, n, k, Strided(k)).middleRows(c0, cols).transpose());
      else left(ConstView(b, k, n, Strided(n)).middleCols(c0, cols));
    }
    if (bias || activation != AEKIT_LINEAR) finish_rows(c + r0 * n + c0, rows, cols, n, bias ? bias + c0 : nullptr, activation, alpha);
  }

  /** The whole product, split over the pool by rows or columns of C, whichever is longer. */
  void run() const {
    double macs = static_cast<double>(m) * n * k;
    if (macs < PARALLEL_MACS || aekit_threads() == 1) {
      block(0, m, 0, n);
      return;
    }
    // Blocks of whole register tiles: Eigen's float kernels are 3 vectors tall and 4 wide at most.
    constexpr long TILE = 16;
    if (m >= n) {
      long tiles = (m + TILE - 1) / TILE;
      parallel(tiles, 1, [&](long begin, long end, int) { block(begin * TILE, std::min(end * TILE, m) - begin * TILE, 0, n); });
    } else {
      long tiles = (n + TILE - 1) / TILE;
      parallel(tiles, 1, [&](long begin, long end, int) { block(0, m, begin * TILE, std::min(end * TILE, n) - begin * TILE); });
    }
  }
};

void mat_mul(const float *a, const float *b, const float *bias, float *c, int batchA, int batchB, int m, int n, int k,
             int transposeA, int transposeB, int activation, float alpha) {
  int batch = batchA > batchB ? batchA : batchB;
  long aSize = static_cast<long>(m) * k, bSize = static_cast<long>(k) * n, cSize = static_cast<long>(m) * n;
  auto product = [&](long i) {
    return Product{a + (batchA == 1 ? 0 : i * aSize), b + (batchB == 1 ? 0 : i * bSize), bias, c + i * cSize,
                   m, n, k, transposeA != 0, transposeB != 0, activation, alpha};
  };
  // Many small products: one per thread at a time; a few large ones: each split.
  if (batch >= 2 * aekit_threads() && static_cast<double>(m) * n * k < 4 * PARALLEL_MACS) {
    parallel(batch, 1, [&](long begin, long end, int) {
      for (long i = begin; i < end; i++) product(i).block(0, m, 0, n);
    });
  } else {
    for (long i = 0; i < batch; i++) product(i).run();
  }
}

// ---- convolutions ----------------------------------------------------------

#include "direct-convolution.h"

/** The window as the direct loops take it, or false where they do not (unequal strides). */
bool direct_geometry(const aekit_window &s, int outChannels, direct::Geometry *g) {
  if (s.strideHeight != s.strideWidth) return false;
  *g = direct::Geometry{s.inHeight, s.inWidth, s.channels, s.outHeight, s.outWidth, s.filterHeight, s.filterWidth, s.strideHeight, s.top, s.left,
                        outChannels};
  return true;
}

/** Floats of im2col rows one sub-block of images may use: about 1 MB, to stay in L2. */
constexpr long IM2COL_FLOATS = 1 << 18;

struct Window {
  const aekit_window &s;
  long taps() const { return static_cast<long>(s.filterHeight) * s.filterWidth * s.channels; }
  long pixels() const { return static_cast<long>(s.outHeight) * s.outWidth; }
  long image() const { return static_cast<long>(s.inHeight) * s.inWidth * s.channels; }
  /** Images per im2col block. */
  long images_per_block() const {
    long per = IM2COL_FLOATS / std::max(1L, pixels() * taps());
    return std::max(1L, per);
  }
  /**
   * Runs `body(first image, count, im2col buffer, thread)` over blocks of
   * images small enough for the buffer to stay in L2, the images split
   * over the pool.
   */
  template <typename Body>
  void for_image_blocks(const Body &body) const {
    long per = images_per_block(), floats = per * pixels() * taps();
    parallel(s.batch, 1, [&](long begin, long end, int thread) {
      float *col = aekit_scratch(thread, WORK, floats);
      for (long n = begin; n < end; n += per) body(n, std::min(per, end - n), col, thread);
    });
  }

  /** True where the convolution reads each input pixel once, in order: a 1x1 filter with stride 1 and no padding. */
  bool pointwise() const {
    return s.filterHeight == 1 && s.filterWidth == 1 && s.strideHeight == 1 && s.strideWidth == 1 && s.top == 0 && s.left == 0 &&
           s.outHeight == s.inHeight && s.outWidth == s.inWidth;
  }

  /** The patches of `count` images from `x` as rows [kh, kw, channel], zero outside the image. */
  void im2col(const float *x, long count, float *col) const {
    long c = s.channels, taps = this->taps();
    for (long n = 0; n < count; n++) {
      const float *img = x + n * image();
      for (long oh = 0; oh < s.outHeight; oh++) {
        for (long ow = 0; ow < s.outWidth; ow++, col += taps) {
          float *at = col;
          for (long kh = 0; kh < s.filterHeight; kh++) {
            long ih = oh * s.strideHeight - s.top + kh;
            for (long kw = 0; kw < s.filterWidth; kw++, at += c) {
              long iw = ow * s.strideWidth - s.left + kw;
              if (ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth) std::memset(at, 0, c * sizeof(float));
              else std::memcpy(at, img + (ih * s.inWidth + iw) * c, c * sizeof(float));
            }
          }
        }
      }
    }
  }

  /** Adds rows of patch gradients back onto `count` images at `dx` (which this zeroes first). */
  void col2im(const float *col, long count, float *dx) const {
    long c = s.channels, taps = this->taps();
    std::memset(dx, 0, count * image() * sizeof(float));
    for (long n = 0; n < count; n++) {
      float *img = dx + n * image();
      for (long oh = 0; oh < s.outHeight; oh++) {
        for (long ow = 0; ow < s.outWidth; ow++, col += taps) {
          const float *at = col;
          for (long kh = 0; kh < s.filterHeight; kh++) {
            long ih = oh * s.strideHeight - s.top + kh;
            for (long kw = 0; kw < s.filterWidth; kw++, at += c) {
              long iw = ow * s.strideWidth - s.left + kw;
              if (ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth) continue;
              float *to = img + (ih * s.inWidth + iw) * c;
              for (long i = 0; i < c; i++) to[i] += at[i];
            }
          }
        }
      }
    }
  }
};

void conv2d(const float *x, const float *w, const float *bias, float *y, const aekit_window *sizes, int outChannels, int activation,
            float alpha) {
  Window win{*sizes};
  long taps = win.taps(), pixels = win.pixels();
  if (win.pointwise()) {
    mat_mul(x, w, bias, y, 1, 1, sizes->batch * pixels, outChannels, sizes->channels, 0, 0, activation, alpha);
    return;
  }
  direct::Geometry g;
  if (direct_geometry(*sizes, outChannels, &g) && direct::forward_fits(g)) {
    float *transposed = aekit_scratch(0, WORK, taps * outChannels);
    direct::forward(g, sizes->batch, x, w, bias, y, transposed, [&](float *out, long count) { activate(out, count, activation, alpha); });
    return;
  }
  win.for_image_blocks([&](long n, long count, float *col, int) {
    win.im2col(x + n * win.image(), count, col);
    Product{col, w, bias, y + n * pixels * outChannels, count * pixels, outChannels, taps, false, false, activation, alpha}.block(
        0, count * pixels, 0, outChannels);
  });
}

void conv2d_backprop_input(const float *dy, const float *w, float *dx, const aekit_window *sizes, int outChannels) {
  Window win{*sizes};
  long taps = win.taps(), pixels = win.pixels();
  if (win.pointwise()) {
    mat_mul(dy, w, nullptr, dx, 1, 1, sizes->batch * pixels, sizes->channels, outChannels, 0, 1, AEKIT_LINEAR, 0);
    return;
  }
  direct::Geometry g;
  if (direct_geometry(*sizes, outChannels, &g) && g.stride == 1 && direct::forward_fits(direct::input_gradient_geometry(g))) {
    float *flipped = aekit_scratch(0, FILTER_COPY, taps * outChannels), *transposed = aekit_scratch(0, WORK, taps * outChannels);
    direct::flip_filter(g, w, flipped);
    direct::forward(direct::input_gradient_geometry(g), sizes->batch, dy, flipped, nullptr, dx, transposed, [](float *, long) {});
    return;
  }
  win.for_image_blocks([&](long n, long count, float *col, int) {
    // Patch gradients: dy [pixels, out] times w^T [out, taps].
    Product{dy + n * pixels * outChannels, w, nullptr, col, count * pixels, taps, outChannels, false, true, AEKIT_LINEAR, 0}.block(
        0, count * pixels, 0, taps);
    win.col2im(col, count, dx + n * win.image());
  });
}

void conv2d_backprop_filter(const float *x, const float *dy, float *dw, const aekit_window *sizes, int outChannels) {
  Window win{*sizes};
  long taps = win.taps(), pixels = win.pixels(), size = taps * outChannels;
  if (win.pointwise()) {
    mat_mul(x, dy, nullptr, dw, 1, 1, sizes->channels, outChannels, sizes->batch * pixels, 1, 0, AEKIT_LINEAR, 0);
    return;
  }
  direct::Geometry g;
  if (direct_geometry(*sizes, outChannels, &g) && direct::filter_fits(g)) {
    direct::filter_gradient(g, sizes->batch, x, dy, dw);
    return;
  }
  // Each thread sums its images' products into its own [taps, out] buffer; the buffers are added at the end.
  clear_partial_sums(size);
  win.for_image_blocks([&](long n, long count, float *col, int thread) {
    View sum(aekit_scratch(thread, PARTIAL_SUMS, size), taps, outChannels, Strided(outChannels));
    win.im2col(x + n * win.image(), count, col);
    sum.noalias() += ConstView(col, count * pixels, taps, Strided(taps)).transpose() *
                     ConstView(dy + n * pixels * outChannels, count * pixels, outChannels, Strided(outChannels));
  });
  add_partial_sums(dw, size);
}

// ---- pooling and up-sampling ----------------------------------------------

void max_pool_gradient(const float *x, const float *dy, float *dx, const aekit_window *sizes) {
  const aekit_window &s = *sizes;
  long c = s.channels, rowSize = c * s.inWidth, image = rowSize * s.inHeight;
  bool tiles = s.strideHeight == s.filterHeight && s.strideWidth == s.filterWidth && (s.top | s.left) == 0 &&
               s.outHeight * s.strideHeight == s.inHeight && s.outWidth * s.strideWidth == s.inWidth;
  parallel(s.batch, 1, [&](long begin, long end, int thread) {
    float *best = aekit_scratch(thread, WORK, 2 * c);
    int32_t *where = reinterpret_cast<int32_t *>(best + c);
    if (!tiles) std::memset(dx + begin * image, 0, (end - begin) * image * sizeof(float));
    for (long n = begin; n < end; n++) {
      const float *img = x + n * image;
      const float *gradient = dy + n * s.outHeight * s.outWidth * c;
      float *out = dx + n * image;
      for (long oh = 0; oh < s.outHeight; oh++) {
        long y0 = std::max(0L, oh * s.strideHeight - s.top), y1 = std::min<long>(s.inHeight, oh * s.strideHeight - s.top + s.filterHeight);
        for (long ow = 0; ow < s.outWidth; ow++, gradient += c) {
          long x0 = std::max(0L, ow * s.strideWidth - s.left), x1 = std::min<long>(s.inWidth, ow * s.strideWidth - s.left + s.filterWidth);
          for (long i = 0; i < c; i++) best[i] = -INFINITY, where[i] = -1;
          int32_t j = 0;
          for (long yy = y0; yy < y1; yy++)
            for (long xx = x0; xx < x1; xx++, j++) {
              const float *v = img + yy * rowSize + xx * c;
              for (long i = 0; i < c; i++) {
                bool greater = v[i] > best[i];
                best[i] = greater ? v[i] : best[i];
                where[i] = greater ? j : where[i];
              }
            }
          j = 0;
          for (long yy = y0; yy < y1; yy++)
            for (long xx = x0; xx < x1; xx++, j++) {
              float *d = out + yy * rowSize + xx * c;
              for (long i = 0; i < c; i++) d[i] = where[i] == j ? gradient[i] : 0.f;
            }
        }
      }
    }
  });
}

void upsample_nearest(const float *src, float *dst, int batch, int height, int width, int channels, int sh, int sw) {
  long rowSize = static_cast<long>(channels) * width * sw;
  parallel(static_cast<long>(batch) * height, 64, [&](long begin, long end, int) {
    for (long row = begin; row < end; row++) {
      const float *in = src + row * width * channels;
      float *out = dst + row * sh * rowSize;
      float *at = out;
      for (long x = 0; x < width; x++, in += channels)
        for (long r = 0; r < sw; r++, at += channels) std::memcpy(at, in, channels * sizeof(float));
      for (long r = 1; r < sh; r++) std::memcpy(out + r * rowSize, out, rowSize * sizeof(float));
    }
  });
}

void upsample_nearest_gradient(const float *dy, float *dx, int batch, int height, int width, int channels, int sh, int sw) {
  long outRowSize = static_cast<long>(channels) * width * sw;
  parallel(static_cast<long>(batch) * height, 64, [&](long begin, long end, int) {
    for (long row = begin; row < end; row++) {
      float *out = dx + row * width * channels;
      for (long x = 0; x < width; x++, out += channels) {
        const float *block = dy + row * sh * outRowSize + x * sw * channels;
        for (long c = 0; c < channels; c++) out[c] = 0;
        for (long i = 0; i < sh; i++)
          for (long j = 0; j < sw; j++) {
            const float *at = block + i * outRowSize + j * channels;
            for (long c = 0; c < channels; c++) out[c] += at[c];
          }
      }
    }
  });
}

// ---- the loss --------------------------------------------------------------

/** p clipped to [1e-7, 1 - 1e-7] as wasm's pmax then pmin do it: a NaN passes through. */
inline float clip_probability(float p) {
  float low = p < 1e-7f ? 1e-7f : p;
  return 0.9999999f < low ? 0.9999999f : low;
}

/**
 * ln a for positive a within about an ulp of the exact logarithm: the wasm
 * heap kernels' log4 (probability.h), Cephes' logf polynomial by Estrin's
 * scheme, but in multiply-adds, and with the mantissa brought into
 * [sqrt(1/2), sqrt(2)) by integer arithmetic alone (subtracting the bits of
 * sqrt(1/2) lets the exponent's borrow do the halving, as musl's logf does)
 * instead of a comparison and two selects. About 40% fewer instructions a
 * vector; not the wasm kernel's floats to the last bit (tests allow 2 ulp).
 */
inline float log_approx(float a) {
  constexpr int32_t SQRT_HALF_BITS = 0x3f3504f3;
  int32_t bits;
  std::memcpy(&bits, &a, 4);
  int32_t shifted = bits - SQRT_HALF_BITS;
  int32_t mantissa = (shifted & 0x007fffff) + SQRT_HALF_BITS;
  float m;
  std::memcpy(&m, &mantissa, 4);
  float ef = static_cast<float>(shifted >> 23);
  m = m - 1.0f;
  float z = m * m;
  float z4 = z * z;
  float low = madd(z, madd(m, -1.6668057665e-1f, 2.0000714765e-1f), madd(m, -2.4999993993e-1f, 3.3333331174e-1f));
  float high = madd(z4, 7.0376836292e-2f, madd(z, madd(m, -1.1514610310e-1f, 1.1676998740e-1f), madd(m, -1.2420140846e-1f, 1.4249322787e-1f)));
  float y = (madd(z4, high, low) * m) * z;
  y = madd(ef, -2.12194440e-4f, y);
  y = madd(z, -0.5f, y);
  y = madd(ef, 0.693359375f, m + y);
  // NaN in, NaN out: a - a is 0 for every finite a.
  return y + (a - a);
}

template <typename Body>
void elementwise(long n, const Body &body) {
  parallel(n, ELEMENTWISE_GRAIN, [&](long begin, long end, int) { body(begin, end); });
}

// Each elementwise loop is a function of its own whose pointers are
// `__restrict` parameters (GCC honours the qualifier on parameters, not on
// locals): otherwise the compiler must assume that a store through an output
// may change an input and leaves the loop scalar, and Adam's step then ran
// slower than the wasm SIMD kernel. Outputs are fresh tensors, never an
// input; inputs may alias each other, which `__restrict` allows for
// pointers that are only read.

void cross_entropy_range(const float *__restrict p, const float *__restrict t, float *__restrict out, long begin, long end) {
  for (long i = begin; i < end; i++) {
    float clipped = clip_probability(p[i]);
    float logP = log_approx(clipped), log1mP = log_approx(1.0f - clipped);
    out[i] = -(log1mP + t[i] * (logP - log1mP));
  }
}

void binary_cross_entropy(const float *p, const float *t, float *out, int n) {
  elementwise(n, [&](long begin, long end) { cross_entropy_range(p, t, out, begin, end); });
}

void cross_entropy_gradient_range(const float *__restrict p, const float *__restrict t, const float *__restrict dy, float *__restrict dp,
                                  long begin, long end) {
  for (long i = begin; i < end; i++) {
    float clipped = clip_probability(p[i]);
    dp[i] = (dy[i] * (clipped - t[i])) / (clipped * (1.0f - clipped));
  }
}

void binary_cross_entropy_gradient(const float *p, const float *t, const float *dy, float *dp, int n) {
  elementwise(n, [&](long begin, long end) { cross_entropy_gradient_range(p, t, dy, dp, begin, end); });
}

// ---- the loss summed to one float (AekitBinaryCrossEntropySum) ------------

/** Elements of one partial sum: core's BINARY_CROSS_ENTROPY_SUM_BLOCK, and binary-cross-entropy-sum.c's BLOCK. */
constexpr long BCE_SUM_BLOCK = 1024;

/**
 * One block's sum in the wasm kernel's order: the elementwise loss into
 * `scratch` (the vectorised loop above), then element i into double lane
 * i mod 4, the lanes added (0 + 1) + (2 + 3), then the tail one by one.
 */
double cross_entropy_block_sum(const float *p, const float *t, float *__restrict scratch, long begin, long end) {
  cross_entropy_range(p + begin, t + begin, scratch, 0, end - begin);
  long count = end - begin, whole = count & ~3L;
  double lanes[4] = {0, 0, 0, 0};
  for (long i = 0; i < whole; i += 4)
    for (int j = 0; j < 4; j++) lanes[j] += scratch[i + j];
  double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (long i = whole; i < count; i++) sum += scratch[i];
  return sum;
}

/**
 * out[0] = scale * sum(bce(p, t)): blocks of BCE_SUM_BLOCK split over the
 * threads, each block's double sum kept apart, then added in block order by
 * the calling thread, so the float is the same on any number of threads.
 */
void binary_cross_entropy_sum(const float *p, const float *t, float *out, int n, float scale) {
  long blocks = (static_cast<long>(n) + BCE_SUM_BLOCK - 1) / BCE_SUM_BLOCK;
  // Thread 0's partial-sum slot, taken before the loop (taking it may grow it): one double a block.
  double *sums = reinterpret_cast<double *>(aekit_scratch(0, PARTIAL_SUMS, 2 * std::max(1L, blocks)));
  parallel(blocks, std::max(1L, ELEMENTWISE_GRAIN / BCE_SUM_BLOCK), [&](long first, long last, int thread) {
    float *scratch = aekit_scratch(thread, WORK, BCE_SUM_BLOCK);
    for (long b = first; b < last; b++) sums[b] = cross_entropy_block_sum(p, t, scratch, b * BCE_SUM_BLOCK, std::min<long>(n, (b + 1) * BCE_SUM_BLOCK));
  });
  double total = 0;
  for (long b = 0; b < blocks; b++) total += sums[b];
  out[0] = static_cast<float>(total * scale);
}

void cross_entropy_scaled_gradient_range(const float *__restrict p, const float *__restrict t, float g, float *__restrict dp, long begin,
                                         long end) {
  for (long i = begin; i < end; i++) {
    float clipped = clip_probability(p[i]);
    dp[i] = (g * (clipped - t[i])) / (clipped * (1.0f - clipped));
  }
}

/** dp = (dy[0] scale) (p - t) / (p (1 - p)), p clipped: the summed loss's gradient from its scalar dy. */
void binary_cross_entropy_sum_gradient(const float *p, const float *t, const float *dy, float *dp, int n, float scale) {
  const float g = dy[0] * scale;
  elementwise(n, [&](long begin, long end) { cross_entropy_scaled_gradient_range(p, t, g, dp, begin, end); });
}

// ---- the optimizer and small pieces of a layer's gradient ------------------

struct AdamFactors {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, c1, c2, epsilon, rate;
};

void adam_range(const float *__restrict value, const float *__restrict m, const float *__restrict v, const float *__restrict g,
                float *__restrict newValue, float *__restrict newM, float *__restrict newV, long begin, long end, const AdamFactors k) {
  for (long i = begin; i < end; i++) {
    float mv = m[i] * k.beta1 + g[i] * k.oneMinusBeta1;
    float vv = v[i] * k.beta2 + g[i] * g[i] * k.oneMinusBeta2;
    newM[i] = mv;
    newV[i] = vv;
    newValue[i] = (mv / k.c1) / (std::sqrt(vv / k.c2) + k.epsilon) * k.rate + value[i];
  }
}

void adam_update(const float *value, const float *m, const float *v, const float *g, float *newValue, float *newM, float *newV, int n,
                 const float *f) {
  const AdamFactors k{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]};
  elementwise(n, [&](long begin, long end) { adam_range(value, m, v, g, newValue, newM, newV, begin, end, k); });
}

void relu_gradient_range(const float *__restrict x, const float *__restrict dy, float *__restrict dx, long begin, long end) {
  for (long i = begin; i < end; i++) {
    float step = x[i] > 0 ? 1.f : 0.f;
    dx[i] = dy[i] * (x[i] != x[i] ? x[i] : step);
  }
}

void relu_gradient(const float *x, const float *dy, float *dx, int n) {
  elementwise(n, [&](long begin, long end) { relu_gradient_range(x, dy, dx, begin, end); });
}

void sigmoid_gradient_range(const float *__restrict y, const float *__restrict dy, float *__restrict dx, long begin, long end) {
  for (long i = begin; i < end; i++) dx[i] = dy[i] * (y[i] * (1.0f - y[i]));
}

void sigmoid_gradient(const float *y, const float *dy, float *dx, int n) {
  elementwise(n, [&](long begin, long end) { sigmoid_gradient_range(y, dy, dx, begin, end); });
}

void sigmoid_range(const float *__restrict x, float *__restrict y, long begin, long end) {
  for (long i = begin; i < end; i++) {
    float s = 1.f / (1.f + exp_approx(-x[i]));
    // exp_approx clamps its argument, which would turn a NaN into 0 and hide a diverged model from the loss.
    y[i] = x[i] != x[i] ? x[i] : s;
  }
}

void sigmoid(const float *x, float *y, int n) {
  elementwise(n, [&](long begin, long end) { sigmoid_range(x, y, begin, end); });
}

void add_to_rows(const float *src, const float *vector, float *dst, int rows, int cols) {
  parallel(rows, std::max(1L, ELEMENTWISE_GRAIN / std::max(1, cols)), [&](long begin, long end, int) {
    for (long r = begin; r < end; r++)
      for (long j = 0; j < cols; j++) dst[r * cols + j] = src[r * cols + j] + vector[j];
  });
}

void sum_rows(const float *src, float *dst, int rows, int cols) {
  if (cols >= 64 || static_cast<long>(rows) * cols < ELEMENTWISE_GRAIN) {
    // Column blocks, each summed in row order.
    parallel(cols, 64, [&](long begin, long end, int) {
      for (long j = begin; j < end; j++) dst[j] = 0;
      for (long r = 0; r < rows; r++)
        for (long j = begin; j < end; j++) dst[j] += src[r * cols + j];
    });
    return;
  }
  // Few columns, many rows (a convolution's bias gradient): row blocks into partial sums.
  clear_partial_sums(cols);
  parallel(rows, ELEMENTWISE_GRAIN / cols, [&](long begin, long end, int thread) {
    float *partial = aekit_scratch(thread, PARTIAL_SUMS, cols);
    for (long r = begin; r < end; r++)
      for (long j = 0; j < cols; j++) partial[j] += src[r * cols + j];
  });
  add_partial_sums(dst, cols);
}

#include "dense-gradient.h"
// ---- the LSTM's steps ----------------------------------------------------------

#include "lstm.h"

}  // namespace

extern "C" const aekit_kernel_table AEKIT_TABLE = {
    AEKIT_ISA,
    mat_mul,
    conv2d,
    conv2d_backprop_input,
    conv2d_backprop_filter,
    max_pool_gradient,
    upsample_nearest,
    upsample_nearest_gradient,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    adam_update,
    relu_gradient,
    sigmoid_gradient,
    add_to_rows,
    sum_rows,
    sigmoid,
    binary_cross_entropy_sum,
    binary_cross_entropy_sum_gradient,
    dense_gradient,
    lstm_step,
    lstm_step_gradient,
    transposed_product,
};
