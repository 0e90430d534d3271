// Direct convolutions for layers with few channels (every layer of the MNIST
// convolutional autoencoders: 1, 8 or 16 channels a side), included by
// kernels.cc once per instruction set. For such layers im2col + GEMM is slow:
// im2col copies each pixel fh*fw times a few floats at a time, and the
// product's inner or outer size (1 to 16) is far below the register tiles a
// GEMM is built for. Here each image is first copied once into a zero-padded
// buffer (so the loops never test bounds), then:
//
// - outputs a multiple of 8 (up to 32): a few output pixels at a time, each
//   pixel's outputs in 1 to 4 vectors of 8 held in registers, every input
//   float broadcast against the filter's vector of outputs;
// - else inputs a multiple of 8 (a decoder's last layer, one output): a dot
//   product per pixel and output, the inputs as vectors, 8 pixels at a time;
// - the filter gradient in the same two ways, summed per thread over its
//   images, then across threads;
// - the stride-1 input gradient as a forward direct convolution of `dy` with
//   the filter flipped in space and its inputs and outputs swapped.
//
// Vectors are GCC's generic 8-float vectors: one AVX register in the AVX2 and
// AVX-512 builds, two SSE registers in the SSE2 one. The multiply-adds are
// fused where the build has FMA (kernels.cc turns contraction off for the
// elementwise kernels, so it is asked for here explicitly).
#ifndef AEKIT_DIRECT_CONVOLUTION_H
#define AEKIT_DIRECT_CONVOLUTION_H

// Included inside kernels.cc's anonymous namespace (it uses `parallel` and
// the pool's scratch memory), after <immintrin.h> where the build has FMA.
namespace direct {

// The SSE2 build passes these 32-byte vectors between inlined functions only: no ABI is crossed.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float vf8 __attribute__((vector_size(32)));

inline vf8 load(const float *p) {
  vf8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float *p, vf8 v) { std::memcpy(p, &v, sizeof v); }
inline vf8 splat(float s) { return vf8{s, s, s, s, s, s, s, s}; }
inline vf8 fmadd(vf8 a, vf8 b, vf8 c) {
#if defined(__FMA__)
  return reinterpret_cast<vf8>(_mm256_fmadd_ps(reinterpret_cast<__m256>(a), reinterpret_cast<__m256>(b), reinterpret_cast<__m256>(c)));
#else
  return a * b + c;
#endif
}
inline float lanes_sum(vf8 v) { return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7])); }

/** Most output (or, for the filter gradient, `dy`) channels the vector-of-outputs paths take: 4 vectors. */
constexpr long MAX_VECTOR_OUTPUTS = 32;
/** Most input channels a direct path takes; wider layers go to im2col + GEMM, which pays there. */
constexpr long MAX_INPUTS = 64;

/**
 * A convolution as the direct loops see it: `channels`-channel images of
 * `height` x `width` read through a window of `fh` x `fw` taps moved by
 * `stride`, starting `top`/`left` pixels before the image (zero there),
 * giving `outHeight` x `outWidth` pixels of `outputs` channels.
 */
struct Geometry {
  long height, width, channels, outHeight, outWidth, fh, fw, stride, top, left, outputs;

  /** Rows and columns of the zero-padded copy: exactly what the windows read. */
  long padded_height() const { return (outHeight - 1) * stride + fh; }
  long padded_width() const { return (outWidth - 1) * stride + fw; }
  long padded_floats() const { return padded_height() * padded_width() * channels; }
  long image() const { return height * width * channels; }
  long out_image() const { return outHeight * outWidth * outputs; }

  /** Copies one image into `to` with its zero border (and without the rows and columns no window reads). */
  void pad(const float *img, float *to) const {
    long pw = padded_width(), c = channels;
    for (long r = 0; r < padded_height(); r++, to += pw * c) {
      long ih = r - top;
      if (ih < 0 || ih >= height) {
        std::memset(to, 0, pw * c * sizeof(float));
        continue;
      }
      // Columns [c0, c1) of the padded row come from the image.
      long c0 = std::min(pw, std::max(0L, left)), c1 = std::max(c0, std::min(pw, left + width));
      std::memset(to, 0, c0 * c * sizeof(float));
      std::memcpy(to + c0 * c, img + (ih * width + (c0 - left)) * c, (c1 - c0) * c * sizeof(float));
      std::memset(to + c1 * c, 0, (pw - c1) * c * sizeof(float));
    }
  }
};

// ---- forward: outputs as vectors -------------------------------------------

/**
 * P output pixels (of V*8 outputs each) from the padded image at `src`, the
 * first pixel's window corner; `w` is [fh, fw, channels, V*8].
 */
template <int V, int P>
inline void pixels_of_vectors(const Geometry &g, const float *src, const float *w, const float *bias, float *out) {
  long c = g.channels, row = g.padded_width() * c, step = g.stride * c;
  vf8 acc[P][V];
  for (int v = 0; v < V; v++) {
    vf8 b = bias ? load(bias + 8 * v) : splat(0.f);
    for (int p = 0; p < P; p++) acc[p][v] = b;
  }
  // A filter row's taps and channels are fw * c consecutive floats of the padded row: one loop over them.
  long span = g.fw * c;
  for (long kh = 0; kh < g.fh; kh++) {
    const float *s = src + kh * row;
    const float *wk = w + kh * span * V * 8;
    for (long j = 0; j < span; j++, wk += V * 8) {
      vf8 wv[V];
      for (int v = 0; v < V; v++) wv[v] = load(wk + 8 * v);
      for (int p = 0; p < P; p++) {
        vf8 x = splat(s[p * step + j]);
        for (int v = 0; v < V; v++) acc[p][v] = fmadd(x, wv[v], acc[p][v]);
      }
    }
  }
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) store(out + p * V * 8 + 8 * v, acc[p][v]);
}

/** One padded image's output rows, P pixels at a time, then one at a time. */
template <int V>
void image_of_vectors(const Geometry &g, const float *padded, const float *w, const float *bias, float *out) {
  constexpr int P = V == 1 ? 8 : V == 2 ? 4 : 2;
  long c = g.channels, row = g.padded_width() * c;
  for (long oh = 0; oh < g.outHeight; oh++) {
    const float *src = padded + oh * g.stride * row;
    float *o = out + oh * g.outWidth * V * 8;
    long ow = 0;
    for (; ow + P <= g.outWidth; ow += P) pixels_of_vectors<V, P>(g, src + ow * g.stride * c, w, bias, o + ow * V * 8);
    for (; ow < g.outWidth; ow++) pixels_of_vectors<V, 1>(g, src + ow * g.stride * c, w, bias, o + ow * V * 8);
  }
}

// ---- forward: inputs as vectors --------------------------------------------

/** P pixels' output `o` as dot products over the taps, the inputs as vectors; `wt` is [outputs, fh, fw, channels]. */
template <int P>
inline void pixels_of_dots(const Geometry &g, const float *src, const float *wt, float bias, float *out) {
  long c = g.channels, row = g.padded_width() * c, step = g.stride * c;
  vf8 acc[P];
  for (int p = 0; p < P; p++) acc[p] = splat(0.f);
  long span = g.fw * c;
  for (long kh = 0; kh < g.fh; kh++) {
    const float *s = src + kh * row;
    const float *wk = wt + kh * span;
    for (long j = 0; j < span; j += 8) {
      vf8 wv = load(wk + j);
      for (int p = 0; p < P; p++) acc[p] = fmadd(load(s + p * step + j), wv, acc[p]);
    }
  }
  for (int p = 0; p < P; p++) out[p * g.outputs] = lanes_sum(acc[p]) + bias;
}

void image_of_dots(const Geometry &g, const float *padded, const float *wt, const float *bias, float *out) {
  constexpr int P = 8;
  long c = g.channels, row = g.padded_width() * c, filter = g.fh * g.fw * c;
  for (long o = 0; o < g.outputs; o++) {
    float b = bias ? bias[o] : 0.f;
    for (long oh = 0; oh < g.outHeight; oh++) {
      const float *src = padded + oh * g.stride * row;
      float *y = out + oh * g.outWidth * g.outputs + o;
      long ow = 0;
      for (; ow + P <= g.outWidth; ow += P) pixels_of_dots<P>(g, src + ow * g.stride * c, wt + o * filter, b, y + ow * g.outputs);
      for (; ow < g.outWidth; ow++) pixels_of_dots<1>(g, src + ow * g.stride * c, wt + o * filter, b, y + ow * g.outputs);
    }
  }
}

/** Whether the direct forward loops take this geometry. */
inline bool forward_fits(const Geometry &g) {
  if (g.channels > MAX_INPUTS) return false;
  return (g.outputs % 8 == 0 && g.outputs <= MAX_VECTOR_OUTPUTS) || g.channels % 8 == 0;
}

/**
 * y = conv(x, w) + bias for `batch` images, w [fh, fw, channels, outputs];
 * the activation is the caller's. Images are split over the pool; `wt`
 * must hold outputs * fh * fw * channels floats (the filter transposed,
 * for the dot-product path).
 */
template <typename Finish>
void forward(const Geometry &g, long batch, const float *x, const float *w, const float *bias, float *y, float *wt, const Finish &finish) {
  bool vectors = g.outputs % 8 == 0 && g.outputs <= MAX_VECTOR_OUTPUTS;
  long taps = g.fh * g.fw * g.channels;
  if (!vectors)
    for (long t = 0; t < taps; t++)
      for (long o = 0; o < g.outputs; o++) wt[o * taps + t] = w[t * g.outputs + o];
  parallel(batch, 1, [&](long begin, long end, int thread) {
    float *padded = aekit_scratch(thread, PADDED_IMAGE, g.padded_floats());
    for (long n = begin; n < end; n++) {
      g.pad(x + n * g.image(), padded);
      float *out = y + n * g.out_image();
      switch (vectors ? g.outputs / 8 : 0) {
        case 1: image_of_vectors<1>(g, padded, w, bias, out); break;
        case 2: image_of_vectors<2>(g, padded, w, bias, out); break;
        case 3: image_of_vectors<3>(g, padded, w, bias, out); break;
        case 4: image_of_vectors<4>(g, padded, w, bias, out); break;
        default: image_of_dots(g, padded, wt, bias, out); break;
      }
      finish(out, g.out_image());
    }
  });
}

// ---- filter gradient -------------------------------------------------------

/**
 * dw[kh, j0..j0+CB, :] += sum over the image's pixels of x * dy, where j
 * runs over filter row kh's fw * channels taps (consecutive floats of a
 * padded row), the `dy` channels (V*8) as vectors, CB taps in registers.
 */
template <int V, int CB>
inline void filter_block_of_vectors(const Geometry &g, const float *padded, const float *dy, long kh, long j0, float *dw) {
  long c = g.channels, row = g.padded_width() * c, step = g.stride * c;
  vf8 acc[CB][V];
  for (int i = 0; i < CB; i++)
    for (int v = 0; v < V; v++) acc[i][v] = splat(0.f);
  for (long oh = 0; oh < g.outHeight; oh++) {
    const float *s = padded + (oh * g.stride + kh) * row + j0;
    const float *d = dy + oh * g.outWidth * V * 8;
    for (long ow = 0; ow < g.outWidth; ow++, s += step, d += V * 8) {
      vf8 dv[V];
      for (int v = 0; v < V; v++) dv[v] = load(d + 8 * v);
      for (int i = 0; i < CB; i++) {
        vf8 xb = splat(s[i]);
        for (int v = 0; v < V; v++) acc[i][v] = fmadd(xb, dv[v], acc[i][v]);
      }
    }
  }
  float *to = dw + (kh * g.fw * c + j0) * V * 8;
  for (int i = 0; i < CB; i++)
    for (int v = 0; v < V; v++) store(to + i * V * 8 + 8 * v, load(to + i * V * 8 + 8 * v) + acc[i][v]);
}

template <int V>
void filter_image_of_vectors(const Geometry &g, const float *padded, const float *dy, float *dw) {
  constexpr int CB = V == 1 ? 8 : V == 2 ? 4 : 2;
  long span = g.fw * g.channels;
  for (long kh = 0; kh < g.fh; kh++) {
    long j = 0;
    for (; j + CB <= span; j += CB) filter_block_of_vectors<V, CB>(g, padded, dy, kh, j, dw);
    // The rest of the row in one block (fewer than CB taps).
    switch (span - j) {
      case 7: filter_block_of_vectors<V, 7>(g, padded, dy, kh, j, dw); break;
      case 6: filter_block_of_vectors<V, 6>(g, padded, dy, kh, j, dw); break;
      case 5: filter_block_of_vectors<V, 5>(g, padded, dy, kh, j, dw); break;
      case 4: filter_block_of_vectors<V, 4>(g, padded, dy, kh, j, dw); break;
      case 3: filter_block_of_vectors<V, 3>(g, padded, dy, kh, j, dw); break;
      case 2: filter_block_of_vectors<V, 2>(g, padded, dy, kh, j, dw); break;
      case 1: filter_block_of_vectors<V, 1>(g, padded, dy, kh, j, dw); break;
      default: break;
    }
  }
}

/** dw[tap, :, o] += sum over pixels of x (inputs as vectors) * dy[o], 4 pixels' sums apart to overlap the adds. */
void filter_image_of_dots(const Geometry &g, const float *padded, const float *dy, float *dw) {
  constexpr int P = 4;
  long c = g.channels, row = g.padded_width() * c, step = g.stride * c, vectors = c / 8;
  vf8 acc[P][MAX_INPUTS / 8];
  for (long o = 0; o < g.outputs; o++)
    for (long kh = 0; kh < g.fh; kh++)
      for (long kw = 0; kw < g.fw; kw++) {
        for (int p = 0; p < P; p++)
          for (long v = 0; v < vectors; v++) acc[p][v] = splat(0.f);
        for (long oh = 0; oh < g.outHeight; oh++) {
          const float *s = padded + (oh * g.stride + kh) * row + kw * c;
          const float *d = dy + oh * g.outWidth * g.outputs + o;
          for (long ow = 0; ow < g.outWidth; ow++, s += step, d += g.outputs) {
            vf8 db = splat(*d);
            vf8 *a = acc[ow % P];
            for (long v = 0; v < vectors; v++) a[v] = fmadd(load(s + 8 * v), db, a[v]);
          }
        }
        float *to = dw + (kh * g.fw + kw) * c * g.outputs + o;
        for (long v = 0; v < vectors; v++) {
          vf8 sum = (acc[0][v] + acc[1][v]) + (acc[2][v] + acc[3][v]);
          for (int i = 0; i < 8; i++) to[(8 * v + i) * g.outputs] += sum[i];
        }
      }
}

/** Whether the direct filter-gradient loops take this geometry. */
inline bool filter_fits(const Geometry &g) {
  if (g.channels > MAX_INPUTS) return false;
  return (g.outputs % 8 == 0 && g.outputs <= MAX_VECTOR_OUTPUTS) || g.channels % 8 == 0;
}

/** dw [fh, fw, channels, outputs] of `batch` images: per-thread partial sums over their images, then added. */
void filter_gradient(const Geometry &g, long batch, const float *x, const float *dy, float *dw) {
  bool vectors = g.outputs % 8 == 0 && g.outputs <= MAX_VECTOR_OUTPUTS;
  long size = g.fh * g.fw * g.channels * g.outputs;
  clear_partial_sums(size);
  parallel(batch, 1, [&](long begin, long end, int thread) {
    float *padded = aekit_scratch(thread, PADDED_IMAGE, g.padded_floats());
    float *sum = aekit_scratch(thread, PARTIAL_SUMS, size);
    for (long n = begin; n < end; n++) {
      g.pad(x + n * g.image(), padded);
      const float *d = dy + n * g.out_image();
      switch (vectors ? g.outputs / 8 : 0) {
        case 1: filter_image_of_vectors<1>(g, padded, d, sum); break;
        case 2: filter_image_of_vectors<2>(g, padded, d, sum); break;
        case 3: filter_image_of_vectors<3>(g, padded, d, sum); break;
        case 4: filter_image_of_vectors<4>(g, padded, d, sum); break;
        default: filter_image_of_dots(g, padded, d, sum); break;
      }
    }
  });
  add_partial_sums(dw, size);
}

// ---- input gradient ----------------------------------------------------------

/**
 * The geometry of the stride-1 input gradient as a forward convolution:
 * `dy` read through the same window size, padded by fh-1-top (fw-1-left)
 * so that each output is an input pixel of the original.
 */
inline Geometry input_gradient_geometry(const Geometry &g) {
  return Geometry{g.outHeight, g.outWidth, g.outputs, g.height, g.width, g.fh, g.fw, 1, g.fh - 1 - g.top, g.fw - 1 - g.left, g.channels};
}

/** w [fh, fw, channels, outputs] flipped in space with inputs and outputs swapped: [fh, fw, outputs, channels]. */
inline void flip_filter(const Geometry &g, const float *w, float *to) {
  for (long kh = 0; kh < g.fh; kh++)
    for (long kw = 0; kw < g.fw; kw++) {
      const float *from = w + ((g.fh - 1 - kh) * g.fw + (g.fw - 1 - kw)) * g.channels * g.outputs;
      float *tap = to + (kh * g.fw + kw) * g.outputs * g.channels;
      for (long ci = 0; ci < g.channels; ci++)
        for (long o = 0; o < g.outputs; o++) tap[o * g.channels + ci] = from[ci * g.outputs + o];
    }
}

}  // namespace direct

#endif
