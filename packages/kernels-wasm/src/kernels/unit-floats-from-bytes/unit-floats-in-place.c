// Bytes to floats in [0, 1] in place: the `n` floats at `out` are computed
// from `n` bytes already copied into the last quarter of the same region
// (bytes 3n..4n of it), each as byte / 255.0f, the correctly rounded float32
// quotient (JavaScript's Math.fround(byte / 255)). Front to back, sixteen at
// a time: a block loads its sixteen bytes before it stores its 64, and the
// 64 bytes it stores end before the next unread byte (4i + 64 <= 3n + i + 16
// for every block with i + 16 <= n), so no byte is overwritten before it is
// read; so too for the tail, one at a time.
#include "../../heap/heap.h"

static inline v128_t quotients4(v128_t words) {
  return wasm_f32x4_div(wasm_f32x4_convert_i32x4(words), wasm_f32x4_splat(255.0f));
}

EXPORT("unitFloatsInPlace")
void unit_floats_in_place(float *out, unsigned n) {
  const unsigned char *bytes = (const unsigned char *)out + 3 * (unsigned long)n;
  unsigned i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t b = wasm_v128_load(bytes + i);
    v128_t low = wasm_u16x8_extend_low_u8x16(b), high = wasm_u16x8_extend_high_u8x16(b);
    v128_t q0 = quotients4(wasm_u32x4_extend_low_u16x8(low)), q1 = quotients4(wasm_u32x4_extend_high_u16x8(low));
    v128_t q2 = quotients4(wasm_u32x4_extend_low_u16x8(high)), q3 = quotients4(wasm_u32x4_extend_high_u16x8(high));
    store4(out + i, q0);
    store4(out + i + 4, q1);
    store4(out + i + 8, q2);
    store4(out + i + 12, q3);
  }
  for (; i < n; i++) out[i] = (float)bytes[i] / 255.0f;
}
