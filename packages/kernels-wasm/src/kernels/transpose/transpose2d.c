// Strided 2-D transpose, dst[c * ds + r] = src[r * ss + c], in 32x32 tiles
// (8 KB in, 8 KB out: both stay in the L1 cache) made of 4x4 SIMD blocks.
#include "../../heap/heap.h"

/** Four rows of `s` (stride `ss` elements) become four rows of `d` (stride `ds`). */
static inline void block4x4(const float *s, unsigned ss, float *d, unsigned ds) {
  v128_t r0 = load4(s), r1 = load4(s + ss), r2 = load4(s + 2 * ss), r3 = load4(s + 3 * ss);
  // a0 b0 a1 b1 | c0 d0 c1 d1 | a2 b2 a3 b3 | c2 d2 c3 d3
  v128_t lo01 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
  v128_t lo23 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t hi01 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  v128_t hi23 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  store4(d, wasm_i64x2_shuffle(lo01, lo23, 0, 2));
  store4(d + ds, wasm_i64x2_shuffle(lo01, lo23, 1, 3));
  store4(d + 2 * ds, wasm_i64x2_shuffle(hi01, hi23, 0, 2));
  store4(d + 3 * ds, wasm_i64x2_shuffle(hi01, hi23, 1, 3));
}

/** The same for rows [r0, r1) and columns [c0, c1), one element at a time. */
static void transpose_scalar(const float *src, float *dst, unsigned r0, unsigned r1, unsigned c0, unsigned c1,
                             unsigned ss, unsigned ds) {
  // Only a tile's ragged edge comes here: a few elements, not worth vectorizing.
#pragma clang loop vectorize(disable) unroll(disable)
  for (unsigned r = r0; r < r1; r++)
#pragma clang loop vectorize(disable) unroll(disable)
    for (unsigned c = c0; c < c1; c++) dst[c * ds + r] = src[r * ss + c];
}

EXPORT("transpose2d")
void transpose2d(const float *src, float *dst, unsigned rows, unsigned cols, unsigned ss, unsigned ds) {
  for (unsigned tr = 0; tr < rows; tr += 32) {
    unsigned trEnd = tr + 32 < rows ? tr + 32 : rows;
    for (unsigned tc = 0; tc < cols; tc += 32) {
      unsigned tcEnd = tc + 32 < cols ? tc + 32 : cols;
      unsigned r = tr;
      for (; r + 4 <= trEnd; r += 4) {
        unsigned c = tc;
#pragma clang loop unroll(disable)
        for (; c + 4 <= tcEnd; c += 4) block4x4(src + r * ss + c, ss, dst + c * ds + r, ds);
        // Columns left over at the tile's right edge.
        transpose_scalar(src, dst, r, r + 4, c, tcEnd, ss, ds);
      }
      // Rows left over at the tile's bottom edge.
      transpose_scalar(src, dst, r, trEnd, tc, tcEnd, ss, ds);
    }
  }
}
