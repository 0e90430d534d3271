// Shared by every heap kernel's C source: the SIMD intrinsics, and how a
// function becomes one of the module's exports.
//
// The module imports tfjs' wasm memory and owns none: kernels read and write
// tensors where tfjs keeps them. So a kernel must never use the C stack in
// linear memory (no arrays or address-taken locals) nor static data; the
// build (scripts/build-wasm.mjs) refuses a module with a data segment or a
// stack pointer. Pointers are byte offsets into tfjs' heap; sizes and
// strides count 4-byte elements.
#ifndef AEKIT_HEAP_H
#define AEKIT_HEAP_H

#include <wasm_simd128.h>

/** Exports the function under `name`, the name heap-kernels.ts binds. */
#define EXPORT(name) __attribute__((export_name(name), visibility("default")))

/** Four floats from `p`, which needs no alignment. */
static inline v128_t load4(const float *p) { return wasm_v128_load(p); }

/** Four floats to `p`. */
static inline void store4(float *p, v128_t v) { wasm_v128_store(p, v); }

/** A vector's lanes added pairwise, (0 + 1) + (2 + 3), in that order. */
static inline float sum_lanes(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

/** Forces inlining: helpers that take arrays of vectors must be inlined for them to stay in locals. */
#define INLINE static inline __attribute__((always_inline))

/** `f` on four elements of `a` and `b` at a time, into `out`; the tail one lane at a time (splat, lane 0). */
INLINE void map2(v128_t (*f)(v128_t, v128_t), const float *a, const float *b, float *out, unsigned n) {
  unsigned i = 0;
  for (; i < (n & ~3u); i += 4) store4(out + i, f(load4(a + i), load4(b + i)));
  for (; i < n; i++) out[i] = wasm_f32x4_extract_lane(f(wasm_v128_load32_splat(a + i), wasm_v128_load32_splat(b + i)), 0);
}

/** {@link map2} for three inputs. */
INLINE void map3(v128_t (*f)(v128_t, v128_t, v128_t), const float *a, const float *b, const float *c, float *out, unsigned n) {
  unsigned i = 0;
  for (; i < (n & ~3u); i += 4) store4(out + i, f(load4(a + i), load4(b + i), load4(c + i)));
  for (; i < n; i++) {
    v128_t lanes = f(wasm_v128_load32_splat(a + i), wasm_v128_load32_splat(b + i), wasm_v128_load32_splat(c + i));
    out[i] = wasm_f32x4_extract_lane(lanes, 0);
  }
}

/** The first filter column inside the image, for a patch that starts at input column `iw`. */
INLINE int first_tap(int iw) { return iw < 0 ? -iw : 0; }

/** One past the last filter column inside an image `inWidth` wide, for a patch starting at `iw`. */
INLINE int end_tap(int iw, int inWidth, int filterWidth) { return inWidth - iw < filterWidth ? inWidth - iw : filterWidth; }

/** Whether input row `ih` lies in the image (unsigned: also rejects rows above it). */
INLINE int row_inside(int ih, int inHeight) { return (unsigned)ih < (unsigned)inHeight; }

#endif
