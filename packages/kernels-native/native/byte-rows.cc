// unitFloatsFromBytes(heap, outOffset, bytes, rows, rowLength): for each i,
// the floats of row rows[i] of `bytes` (rowLength bytes a row) at
// heap[outOffset + 4 * i * rowLength], each byte as byte / 255.0f: the
// correctly rounded float32 quotient, which is what JavaScript's
// Math.fround(byte / 255) gives too (a double quotient of two floats rounds
// to the float32 one). Everything is checked here before a byte is written:
// the heap is an ArrayBuffer, the output region lies inside it, `bytes` is a
// Uint8Array, `rows` an Int32Array, and every row lies inside `bytes`; a bad
// row index throws a RangeError naming it. One thread: the work is a pass
// over memory, shorter than waking the pool.
#include "byte-rows.h"

#include <cstdint>
#include <cstdio>

namespace {

napi_value fail(napi_env env, const char *message) {
  napi_throw_range_error(env, nullptr, message);
  return nullptr;
}

/** The elements of typed array `value` if it is of `type`, else null. */
void *typedArray(napi_env env, napi_value value, napi_typedarray_type type, size_t *length) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return nullptr;
  napi_typedarray_type actual;
  void *data = nullptr;
  if (napi_get_typedarray_info(env, value, &actual, length, &data, nullptr, nullptr) != napi_ok || actual != type) return nullptr;
  // An empty typed array may have no data pointer: any non-null one will do, nothing is read.
  return data != nullptr ? data : value;
}

void convertRow(const uint8_t *src, float *dst, int64_t n) {
  // Vectorised by the compiler (widen, convert, divide); no reassociation or
  // reciprocal is allowed by the flags, so each float is the exact quotient rounded.
  for (int64_t p = 0; p < n; p++) dst[p] = static_cast<float>(src[p]) / 255.0f;
}

napi_value UnitFloatsFromBytes(napi_env env, napi_callback_info info) {
  size_t count = 5;
  napi_value v[5];
  napi_get_cb_info(env, info, &count, v, nullptr, nullptr);
  if (count != 5) return fail(env, "unitFloatsFromBytes takes heap, outOffset, bytes, rows, rowLength");
  bool isBuffer = false;
  void *heapData = nullptr;
  size_t heapBytes = 0;
  if (napi_is_arraybuffer(env, v[0], &isBuffer) != napi_ok || !isBuffer) return fail(env, "the first argument must be the wasm heap's ArrayBuffer");
  napi_get_arraybuffer_info(env, v[0], &heapData, &heapBytes);
  int64_t outOffset = 0;
  int32_t rowLength = 0;
  if (napi_get_value_int64(env, v[1], &outOffset) != napi_ok) return fail(env, "outOffset must be a number");
  if (napi_get_value_int32(env, v[4], &rowLength) != napi_ok || rowLength < 0) return fail(env, "rowLength must be a non-negative int32");
  size_t byteCount = 0, rowCount = 0;
  auto *bytes = static_cast<const uint8_t *>(typedArray(env, v[2], napi_uint8_array, &byteCount));
  if (bytes == nullptr) return fail(env, "bytes must be a Uint8Array");
  auto *rows = static_cast<const int32_t *>(typedArray(env, v[3], napi_int32_array, &rowCount));
  if (rows == nullptr) return fail(env, "rows must be an Int32Array");
  const int64_t floats = static_cast<int64_t>(rowCount) * rowLength;
  if (outOffset < 0 || outOffset % 4 != 0 || static_cast<uint64_t>(outOffset) + static_cast<uint64_t>(floats) * 4 > heapBytes) {
    return fail(env, "the output region lies outside the heap");
  }
  const int64_t stored = rowLength == 0 ? INT64_MAX : static_cast<int64_t>(byteCount) / rowLength;
  for (size_t i = 0; i < rowCount; i++) {
    if (rows[i] < 0 || rows[i] >= stored) {
      char message[160];
      std::snprintf(message, sizeof message, "row index %d is outside 0..%lld (rows of %d bytes in %zu)", rows[i], static_cast<long long>(stored - 1), rowLength, byteCount);
      return fail(env, message);
    }
  }
  auto *out = reinterpret_cast<float *>(static_cast<uint8_t *>(heapData) + outOffset);
  for (size_t i = 0; i < rowCount; i++) convertRow(bytes + static_cast<int64_t>(rows[i]) * rowLength, out + static_cast<int64_t>(i) * rowLength, rowLength);
  return nullptr;
}

}  // namespace

void aekit_define_byte_rows(napi_env env, napi_value exports) {
  napi_property_descriptor function = {"unitFloatsFromBytes", nullptr, UnitFloatsFromBytes, nullptr, nullptr, nullptr, napi_default, nullptr};
  napi_define_properties(env, exports, 1, &function);
}
