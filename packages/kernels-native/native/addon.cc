// The Node-API face of the native kernels: one function per heap contract,
// called as `name(heap, ...byteOffsets, ...sizes, ...floats)` where `heap`
// is the wasm backend's memory buffer (an ArrayBuffer, re-read by the caller
// on every call since growing the memory replaces it) and the offsets were
// bounds-checked against each tensor by the caller (src/heap-call.ts). Here
// each offset is checked once more against the buffer itself, so that a
// caller's mistake can never reach outside the heap.
//
// The kernel table is chosen once, at load, from the CPU's features
// (AVX-512, else AVX2 with FMA, else SSE2); AEKIT_NATIVE_ISA=avx2|sse2 picks
// a narrower one (tests use it to run every table the machine can).
#include <node_api.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "byte-rows.h"
#include "kernels.h"

extern "C" void aekit_set_threads(int threads);
extern "C" int aekit_threads(void);

namespace {

const aekit_kernel_table *table = nullptr;

/**
 * One kernel at a time in the process: Node's worker threads (aekit's
 * `--workers`) share the one thread pool, so their kernels take turns, each
 * on every core, while the rest of their steps (on wasm) overlap.
 */
std::mutex kernel_mutex;

bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512bw");
}

bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

const aekit_kernel_table *choose_table() {
  __builtin_cpu_init();
  const char *wanted = std::getenv("AEKIT_NATIVE_ISA");
  bool any = wanted == nullptr || *wanted == 0;
  auto allowed = [&](const char *isa) { return any || std::strcmp(wanted, isa) == 0; };
  if (allowed("avx512") && has_avx512()) return &aekit_kernels_avx512;
  if (allowed("avx2") && has_avx2()) return &aekit_kernels_avx2;
  return &aekit_kernels_sse2;
}

/** The arguments of one call, read and checked. */
struct Args {
  napi_env env;
  napi_value values[24];
  size_t count = 24;
  uint8_t *heap = nullptr;
  size_t heapBytes = 0;
  bool failed = false;

  Args(napi_env e, napi_callback_info info, size_t expected) : env(e) {
    napi_get_cb_info(env, info, &count, values, nullptr, nullptr);
    if (count != expected) {
      fail("wrong number of arguments");
      return;
    }
    void *data = nullptr;
    bool isBuffer = false;
    napi_is_arraybuffer(env, values[0], &isBuffer);
    if (!isBuffer) {
      fail("the first argument must be the wasm heap's ArrayBuffer");
      return;
    }
    napi_get_arraybuffer_info(env, values[0], &data, &heapBytes);
    heap = static_cast<uint8_t *>(data);
  }

  void fail(const char *message) {
    if (!failed) napi_throw_range_error(env, nullptr, message);
    failed = true;
  }

  /** Argument i as a float pointer on the heap; -1 gives null where `optional`. */
  float *pointer(size_t i, bool optional = false) {
    int64_t offset = 0;
    if (failed || napi_get_value_int64(env, values[i], &offset) != napi_ok) return fail("pointers must be numbers"), nullptr;
    if (offset == -1 && optional) return nullptr;
    if (offset < 0 || static_cast<uint64_t>(offset) > heapBytes || offset % 4 != 0) return fail("a pointer lies outside the heap"), nullptr;
    return reinterpret_cast<float *>(heap + offset);
  }

  int integer(size_t i) {
    int32_t value = 0;
    if (failed || napi_get_value_int32(env, values[i], &value) != napi_ok || value < 0) return fail("sizes must be non-negative int32s"), 0;
    return value;
  }

  float real(size_t i) {
    double value = 0;
    if (failed || napi_get_value_double(env, values[i], &value) != napi_ok) return fail("floats must be numbers"), 0.f;
    return static_cast<float>(value);
  }

  /** Fails unless `elements` floats from `p` lie inside the heap (an absent optional pointer, null, spans nothing). */
  void within(const float *p, int64_t elements) {
    if (failed || p == nullptr) return;
    int64_t end = reinterpret_cast<const uint8_t *>(p) - heap + 4 * elements;
    if (elements < 0 || end > static_cast<int64_t>(heapBytes)) fail("a region reaches past the heap");
  }

  aekit_window window(size_t i) {
    int v[12];
    for (int j = 0; j < 12; j++) v[j] = integer(i + j);
    return aekit_window{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  }
};

#define KERNEL(name, arguments, ...)                       \
  napi_value name(napi_env env, napi_callback_info info) { \
    Args a(env, info, arguments);                          \
    if (a.failed) return nullptr;                          \
    __VA_ARGS__;                                           \
    return nullptr;                                        \
  }
// Every kernel reads its arguments first and runs only if all were valid.
#define RUN(call)                                 \
  if (!a.failed) {                                \
    std::lock_guard<std::mutex> guard(kernel_mutex); \
    call;                                         \
  }

// matMul(heap, a, b, bias, c, batchA, batchB, m, n, k, transposeA, transposeB, activation, alpha)
KERNEL(MatMul, 14, {
  float *x = a.pointer(1), *y = a.pointer(2), *bias = a.pointer(3, true), *c = a.pointer(4);
  int batchA = a.integer(5), batchB = a.integer(6), m = a.integer(7), n = a.integer(8), k = a.integer(9);
  int ta = a.integer(10), tb = a.integer(11), act = a.integer(12);
  float alpha = a.real(13);
  RUN(table->matMul(x, y, bias, c, batchA, batchB, m, n, k, ta, tb, act, alpha));
})

// conv2d(heap, x, w, bias, y, ...WINDOW, outChannels, activation, alpha)
KERNEL(Conv2d, 20, {
  float *x = a.pointer(1), *w = a.pointer(2), *bias = a.pointer(3, true), *y = a.pointer(4);
  aekit_window s = a.window(5);
  int out = a.integer(17), act = a.integer(18);
  float alpha = a.real(19);
  RUN(table->conv2d(x, w, bias, y, &s, out, act, alpha));
})

// conv2dBackpropInput(heap, dy, w, dx, ...WINDOW, outChannels)
KERNEL(Conv2dBackpropInput, 17, {
  float *dy = a.pointer(1), *w = a.pointer(2), *dx = a.pointer(3);
  aekit_window s = a.window(4);
  int out = a.integer(16);
  RUN(table->conv2dBackpropInput(dy, w, dx, &s, out));
})

// conv2dBackpropFilter(heap, x, dy, dw, ...WINDOW, outChannels)
KERNEL(Conv2dBackpropFilter, 17, {
  float *x = a.pointer(1), *dy = a.pointer(2), *dw = a.pointer(3);
  aekit_window s = a.window(4);
  int out = a.integer(16);
  RUN(table->conv2dBackpropFilter(x, dy, dw, &s, out));
})

// maxPoolGradient(heap, x, dy, dx, ...WINDOW)
KERNEL(MaxPoolGradient, 16, {
  float *x = a.pointer(1), *dy = a.pointer(2), *dx = a.pointer(3);
  aekit_window s = a.window(4);
  RUN(table->maxPoolGradient(x, dy, dx, &s));
})

// upsampleNearest(heap, src, dst, batch, height, width, channels, sh, sw)
KERNEL(UpsampleNearest, 9, {
  float *src = a.pointer(1), *dst = a.pointer(2);
  int v[6];
  for (int j = 0; j < 6; j++) v[j] = a.integer(3 + j);
  RUN(table->upsampleNearest(src, dst, v[0], v[1], v[2], v[3], v[4], v[5]));
})

// upsampleNearestGradient(heap, dy, dx, batch, height, width, channels, sh, sw)
KERNEL(UpsampleNearestGradient, 9, {
  float *dy = a.pointer(1), *dx = a.pointer(2);
  int v[6];
  for (int j = 0; j < 6; j++) v[j] = a.integer(3 + j);
  RUN(table->upsampleNearestGradient(dy, dx, v[0], v[1], v[2], v[3], v[4], v[5]));
})

// binaryCrossEntropy(heap, p, t, out, n)
KERNEL(BinaryCrossEntropy, 5, {
  float *p = a.pointer(1), *t = a.pointer(2), *out = a.pointer(3);
  int n = a.integer(4);
  RUN(table->binaryCrossEntropy(p, t, out, n));
})

// binaryCrossEntropyGradient(heap, p, t, dy, dp, n)
KERNEL(BinaryCrossEntropyGradient, 6, {
  float *p = a.pointer(1), *t = a.pointer(2), *dy = a.pointer(3), *dp = a.pointer(4);
  int n = a.integer(5);
  RUN(table->binaryCrossEntropyGradient(p, t, dy, dp, n));
})

// adamUpdate(heap, value, m, v, g, newValue, newM, newV, n, ...8 floats)
KERNEL(AdamUpdate, 17, {
  float *ptr[7];
  for (int j = 0; j < 7; j++) ptr[j] = a.pointer(1 + j);
  int n = a.integer(8);
  float f[8];
  for (int j = 0; j < 8; j++) f[j] = a.real(9 + j);
  RUN(table->adamUpdate(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], ptr[5], ptr[6], n, f));
})

// reluGradient(heap, x, dy, dx, n)
KERNEL(ReluGradient, 5, {
  float *x = a.pointer(1), *dy = a.pointer(2), *dx = a.pointer(3);
  int n = a.integer(4);
  RUN(table->reluGradient(x, dy, dx, n));
})

// sigmoidGradient(heap, y, dy, dx, n)
KERNEL(SigmoidGradient, 5, {
  float *y = a.pointer(1), *dy = a.pointer(2), *dx = a.pointer(3);
  int n = a.integer(4);
  RUN(table->sigmoidGradient(y, dy, dx, n));
})

// addToRows(heap, src, vector, dst, rows, cols)
KERNEL(AddToRows, 6, {
  float *src = a.pointer(1), *vector = a.pointer(2), *dst = a.pointer(3);
  int rows = a.integer(4), cols = a.integer(5);
  RUN(table->addToRows(src, vector, dst, rows, cols));
})

// sumRows(heap, src, dst, rows, cols)
KERNEL(SumRows, 5, {
  float *src = a.pointer(1), *dst = a.pointer(2);
  int rows = a.integer(3), cols = a.integer(4);
  RUN(table->sumRows(src, dst, rows, cols));
})

// sigmoid(heap, x, y, n)
KERNEL(Sigmoid, 4, {
  float *x = a.pointer(1), *y = a.pointer(2);
  int n = a.integer(3);
  RUN(table->sigmoid(x, y, n));
})

// binaryCrossEntropySum(heap, p, t, out, n, scale)
KERNEL(BinaryCrossEntropySum, 6, {
  float *p = a.pointer(1), *t = a.pointer(2), *out = a.pointer(3);
  int n = a.integer(4);
  float scale = a.real(5);
  RUN(table->binaryCrossEntropySum(p, t, out, n, scale));
})

// binaryCrossEntropySumGradient(heap, p, t, dy, dp, n, scale)
KERNEL(BinaryCrossEntropySumGradient, 7, {
  float *p = a.pointer(1), *t = a.pointer(2), *dy = a.pointer(3), *dp = a.pointer(4);
  int n = a.integer(5);
  float scale = a.real(6);
  RUN(table->binaryCrossEntropySumGradient(p, t, dy, dp, n, scale));
})

// denseGradient(heap, x, y, dy, dz, dw, db, n, features, units, activation)
KERNEL(DenseGradient, 11, {
  float *x = a.pointer(1), *y = a.pointer(2), *dy = a.pointer(3), *dz = a.pointer(4), *dw = a.pointer(5), *db = a.pointer(6, true);
  int n = a.integer(7), features = a.integer(8), units = a.integer(9), act = a.integer(10);
  if (act != 0 && act != 1 && act != 3 && act != 4 && act != 6) a.fail("unknown activation");
  RUN(table->denseGradient(x, y, dy, dz, dw, db, n, features, units, act));
})

// The LSTM's heap functions (native/lstm.h). Their regions are sized from
// the arguments, so here each is also checked to end inside the heap.

// lstmStep(heap, z, recurrent, c, h, hStep, batch, steps, units, step, hard)
KERNEL(LstmStep, 11, {
  float *z = a.pointer(1), *recurrent = a.pointer(2, true), *c = a.pointer(3), *h = a.pointer(4), *hStep = a.pointer(5);
  int batch = a.integer(6), steps = a.integer(7), units = a.integer(8), step = a.integer(9), hard = a.integer(10);
  if (step >= steps || hard > 1) a.fail("lstmStep: step past the sequence, or hard not 0 or 1");
  int64_t all = int64_t{batch} * steps * units, one = int64_t{batch} * units;
  a.within(z, 4 * all), a.within(recurrent, 4 * one), a.within(c, all), a.within(h, all), a.within(hStep, one);
  RUN(table->lstmStep(z, recurrent, c, h, hStep, batch, steps, units, step, hard));
})

// lstmStepGradient(heap, z, c, dh, dhRecurrent, dcNext, dz, dzStep, batch, steps, units, step, hard)
KERNEL(LstmStepGradient, 13, {
  float *z = a.pointer(1), *c = a.pointer(2), *dh = a.pointer(3), *dhRecurrent = a.pointer(4, true), *dcNext = a.pointer(5);
  float *dz = a.pointer(6), *dzStep = a.pointer(7);
  int batch = a.integer(8), steps = a.integer(9), units = a.integer(10), step = a.integer(11), hard = a.integer(12);
  if (step >= steps || hard > 1) a.fail("lstmStepGradient: step past the sequence, or hard not 0 or 1");
  int64_t all = int64_t{batch} * steps * units, one = int64_t{batch} * units;
  a.within(z, 4 * all), a.within(c, all), a.within(dh, all), a.within(dhRecurrent, one), a.within(dcNext, one);
  a.within(dz, 4 * all), a.within(dzStep, 4 * one);
  RUN(table->lstmStepGradient(z, c, dh, dhRecurrent, dcNext, dz, dzStep, batch, steps, units, step, hard));
})

// transposedProduct(heap, a, b, c, sequences, steps, m, n, lag)
KERNEL(TransposedProduct, 9, {
  float *x = a.pointer(1), *y = a.pointer(2), *c = a.pointer(3);
  int sequences = a.integer(4), steps = a.integer(5), m = a.integer(6), n = a.integer(7), lag = a.integer(8);
  if (lag > 1) a.fail("transposedProduct: lag must be 0 or 1");
  int64_t rows = int64_t{sequences} * steps;
  a.within(x, rows * m), a.within(y, rows * n), a.within(c, int64_t{m} * n);
  RUN(table->transposedProduct(x, y, c, sequences, steps, m, n, lag));
})

napi_value Info(napi_env env, napi_callback_info) {
  napi_value result, isa, threads;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, table->isa, NAPI_AUTO_LENGTH, &isa);
  napi_create_int32(env, aekit_threads(), &threads);
  napi_set_named_property(env, result, "isa", isa);
  napi_set_named_property(env, result, "threads", threads);
  return result;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t count = 1;
  napi_value value;
  int32_t threads = 0;
  napi_get_cb_info(env, info, &count, &value, nullptr, nullptr);
  if (count != 1 || napi_get_value_int32(env, value, &threads) != napi_ok || threads < 1 || threads > 256) {
    napi_throw_range_error(env, nullptr, "threads must be a whole number from 1 to 256");
    return nullptr;
  }
  std::lock_guard<std::mutex> guard(kernel_mutex);
  aekit_set_threads(threads);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  table = choose_table();
  const napi_property_descriptor functions[] = {
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGradient", nullptr, MaxPoolGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"upsampleNearest", nullptr, UpsampleNearest, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"upsampleNearestGradient", nullptr, UpsampleNearestGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryCrossEntropy", nullptr, BinaryCrossEntropy, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryCrossEntropyGradient", nullptr, BinaryCrossEntropyGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGradient", nullptr, ReluGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sigmoidGradient", nullptr, SigmoidGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addToRows", nullptr, AddToRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sigmoid", nullptr, Sigmoid, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryCrossEntropySum", nullptr, BinaryCrossEntropySum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binaryCrossEntropySumGradient", nullptr, BinaryCrossEntropySumGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"denseGradient", nullptr, DenseGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmStep", nullptr, LstmStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmStepGradient", nullptr, LstmStepGradient, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transposedProduct", nullptr, TransposedProduct, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(functions) / sizeof(functions[0]), functions);
  aekit_define_byte_rows(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
