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

#endif
