// The weights' gradients of an LSTM sequence as sums over every step of
// every sequence: c = sum over rows k of a[k - lag]^T b[k], for `a` of
// [rows, m], `b` of [rows, n] and `c` of [m, n], the rows being
// `sequences` runs of `steps` (a sequence's first `lag` rows are skipped,
// so lag 1 pairs each step's b with the step before's a: h_{t-1}^T dz_t).
// The backend's product would first transpose a (rows is batch x steps,
// thousands) and pack b; this reads both once per block of c, in
// place: blocks of 4 x 8 of c stay in eight vector registers while a block
// of rows streams past, a's 4 values a row contiguous.
#include "../../heap/heap.h"

/** Rows taken per pass over c: a block of b (SEQUENCE_BLOCK sequences) stays in cache while every block of c uses it. */
#define SEQUENCE_BLOCK 8

/** c[i..i+ri, j..j+4cv] += the block's rows; `ri` (1-4) and `cv` (1-2) are constants where inlined. */
INLINE void add_block(const float *a, const float *b, float *c, unsigned m, unsigned n, unsigned i, unsigned j, unsigned ri, unsigned cv,
                      unsigned first, unsigned last, unsigned steps, unsigned lag) {
  v128_t acc[4][2];
  for (unsigned r = 0; r < ri; r++)
    for (unsigned v = 0; v < cv; v++) acc[r][v] = load4(c + (i + r) * n + j + 4 * v);
  for (unsigned s = first; s < last; s++) {
    for (unsigned t = lag; t < steps; t++) {
      unsigned k = s * steps + t;
      const float *ar = a + (k - lag) * m + i;
      const float *br = b + k * n + j;
      v128_t bv[2];
      for (unsigned v = 0; v < cv; v++) bv[v] = load4(br + 4 * v);
      for (unsigned r = 0; r < ri; r++) {
        v128_t av = wasm_v128_load32_splat(ar + r);
        for (unsigned v = 0; v < cv; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(av, bv[v]));
      }
    }
  }
  for (unsigned r = 0; r < ri; r++)
    for (unsigned v = 0; v < cv; v++) store4(c + (i + r) * n + j + 4 * v, acc[r][v]);
}

/** One block of sequences over all of c, in blocks of 4 rows (then single rows) by 8 columns (then 4). */
INLINE void add_sequences(const float *a, const float *b, float *c, unsigned m, unsigned n, unsigned first, unsigned last, unsigned steps,
                          unsigned lag) {
  unsigned j = 0;
  for (; j + 8 <= n; j += 8) {
    unsigned i = 0;
    for (; i + 4 <= m; i += 4) add_block(a, b, c, m, n, i, j, 4, 2, first, last, steps, lag);
    for (; i < m; i++) add_block(a, b, c, m, n, i, j, 1, 2, first, last, steps, lag);
  }
  if (j < n) {
    unsigned i = 0;
    for (; i + 4 <= m; i += 4) add_block(a, b, c, m, n, i, j, 4, 1, first, last, steps, lag);
    for (; i < m; i++) add_block(a, b, c, m, n, i, j, 1, 1, first, last, steps, lag);
  }
}

EXPORT("transposedProduct")
void transposed_product(const float *a, const float *b, float *c, unsigned sequences, unsigned steps, unsigned m, unsigned n, unsigned lag) {
  for (unsigned e = 0; e < m * n; e++) c[e] = 0.0f;
  for (unsigned first = 0; first < sequences; first += SEQUENCE_BLOCK) {
    unsigned last = first + SEQUENCE_BLOCK < sequences ? first + SEQUENCE_BLOCK : sequences;
    add_sequences(a, b, c, m, n, first, last, steps, lag);
  }
}
