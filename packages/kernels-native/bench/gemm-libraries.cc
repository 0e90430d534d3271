// GFLOP/s of single-precision matrix products on the bench families'
// shapes, for one candidate library per build (see gemm-libraries.sh):
//   LIB_OPENBLAS  Debian's static OpenBLAS (pthreads, run-time CPU dispatch)
//   LIB_DNNL      Debian's oneDNN (shared only), dnnl_sgemm
//   LIB_EIGEN     Eigen 3.4 (header-only), split over a small thread pool by rows
//   LIB_PACKED    aekit's own packed AVX2 kernel (native/packed-gemm.h), Eigen for
//                 products narrower than its 16-column tile, as the addon runs them
// Prints one line per shape: library, shape, threads, GFLOP/s of wall-clock
// time, and GFLOP per second of the process's CPU time (steadier on a shared
// machine; equal to the first on one idle thread).
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#if defined(LIB_OPENBLAS)
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#elif defined(LIB_DNNL)
#include <dnnl.h>
#include <omp.h>
#elif defined(LIB_EIGEN)
#include <Eigen/Core>
#elif defined(LIB_PACKED)
#include <immintrin.h>
#include <algorithm>
#include <Eigen/Core>
#include "../native/packed-gemm.h"
#endif

struct Shape {
  const char *name;
  bool ta, tb;
  int m, n, k;
};

// Row-major C[m,n] = op(A) op(B); op(A) is m x k, op(B) is k x n.
static const Shape SHAPES[] = {
    {"dense enc fwd      256x784 @ 784x32", false, false, 256, 32, 784},
    {"dense dec fwd      256x32 @ 32x784", false, false, 256, 784, 32},
    {"dense dec dW       (256x32)^T @ 256x784", true, false, 32, 784, 256},
    {"dense dec dx       256x784 @ (32x784)^T", false, true, 256, 32, 784},
    {"dense enc dW       (256x784)^T @ 256x32", true, false, 784, 32, 256},
    {"deep enc fwd       256x784 @ 784x128", false, false, 256, 128, 784},
    {"deep dec fwd       256x128 @ 128x784", false, false, 256, 784, 128},
    {"deep enc dW        (256x784)^T @ 256x128", true, false, 784, 128, 256},
    {"vae enc fwd        256x784 @ 784x512", false, false, 256, 512, 784},
    {"vae dec fwd        256x512 @ 512x784", false, false, 256, 784, 512},
    {"vae dec dx         256x784 @ (512x784)^T", false, true, 256, 512, 784},
    {"vae enc dW         (256x784)^T @ 256x512", true, false, 784, 512, 256},
    {"vae dec dW         (256x512)^T @ 256x784", true, false, 512, 784, 256},
    {"lstm x@Wx 28 steps 7168x28 @ 28x128", false, false, 7168, 128, 28},
    {"lstm h@Wh a step   256x32 @ 32x128", false, false, 256, 128, 32},
    {"lstm dec h@Wh      256x64 @ 64x256", false, false, 256, 256, 64},
    {"conv1 im2col       200704x9 @ 9x16", false, false, 200704, 16, 9},
    {"conv2 im2col       50176x144 @ 144x8", false, false, 50176, 8, 144},
    {"conv dW im2col     (200704x9)^T @ 200704x16", true, false, 9, 16, 200704},
};

#if defined(LIB_EIGEN) || defined(LIB_PACKED)
using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<Mat>;
using CMap = Eigen::Map<const Mat>;

// Rows [r0, r1) of C.
static void eigen_rows(const Shape &s, const float *a, const float *b, float *c, int r0, int r1) {
  int rows = r1 - r0;
  if (rows <= 0) return;
#if defined(LIB_PACKED)
  if (s.n >= packed_gemm::NR) {
    packed_gemm::Operand left = s.ta ? packed_gemm::Operand{a + r0, 1, s.m} : packed_gemm::Operand{a + (size_t)r0 * s.k, s.k, 1};
    packed_gemm::Operand right = s.tb ? packed_gemm::Operand{b, 1, s.k} : packed_gemm::Operand{b, s.n, 1};
    packed_gemm::gemm(rows, s.n, s.k, left, right, c + (size_t)r0 * s.n, s.n);
    return;
  }
#endif
  Map C(c + (size_t)r0 * s.n, rows, s.n);
  if (!s.ta && !s.tb) C.noalias() = CMap(a + (size_t)r0 * s.k, rows, s.k) * CMap(b, s.k, s.n);
  else if (!s.ta && s.tb) C.noalias() = CMap(a + (size_t)r0 * s.k, rows, s.k) * CMap(b, s.n, s.k).transpose();
  else if (s.ta && !s.tb) C.noalias() = CMap(a, s.k, s.m).middleCols(r0, rows).transpose() * CMap(b, s.k, s.n);
  else C.noalias() = CMap(a, s.k, s.m).middleCols(r0, rows).transpose() * CMap(b, s.n, s.k).transpose();
}

// A pool of spinning helpers: the calling thread does the first share.
struct Pool {
  std::vector<std::thread> threads;
  std::atomic<int> generation{0}, done{0};
  std::atomic<bool> stop{false};
  const Shape *shape;
  const float *a, *b;
  float *c;
  int count;
  explicit Pool(int n) : count(n) {
    for (int t = 1; t < n; t++)
      threads.emplace_back([this, t] {
        int seen = 0;
        while (!stop) {
          int g = generation.load(std::memory_order_acquire);
          if (g == seen) continue;
          seen = g;
          share(t);
          done.fetch_add(1, std::memory_order_release);
        }
      });
  }
  ~Pool() {
    stop = true;
    for (auto &t : threads) t.join();
  }
  void share(int t) {
    int per = (shape->m + count - 1) / count;
    per = (per + 7) / 8 * 8;
    int r0 = t * per, r1 = std::min(shape->m, r0 + per);
    eigen_rows(*shape, a, b, c, r0, r1);
  }
  void run(const Shape &s, const float *a_, const float *b_, float *c_) {
    shape = &s, a = a_, b = b_, c = c_;
    done = 0;
    generation.fetch_add(1, std::memory_order_release);
    share(0);
    while (done.load(std::memory_order_acquire) < count - 1) {
    }
  }
};
#endif

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  double seconds = argc > 2 ? atof(argv[2]) : 0.3;
#if defined(LIB_OPENBLAS)
  openblas_set_num_threads(threads);
  const char *lib = "openblas-static";
#elif defined(LIB_DNNL)
  omp_set_num_threads(threads);
  const char *lib = "onednn";
#elif defined(LIB_EIGEN)
  Pool pool(threads);
  const char *lib = "eigen";
#elif defined(LIB_PACKED)
  Pool pool(threads);
  const char *lib = "aekit-packed";
#endif
  for (const Shape &s : SHAPES) {
    std::vector<float> a((size_t)s.m * s.k), b((size_t)s.k * s.n), c((size_t)s.m * s.n);
    for (size_t i = 0; i < a.size(); i++) a[i] = (float)((i * 7919) % 1000) / 1000.f - 0.5f;
    for (size_t i = 0; i < b.size(); i++) b[i] = (float)((i * 104729) % 1000) / 1000.f - 0.5f;
    auto once = [&] {
#if defined(LIB_OPENBLAS)
      cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1.f, a.data(),
                  s.ta ? s.m : s.k, b.data(), s.tb ? s.k : s.n, 0.f, c.data(), s.n);
#elif defined(LIB_DNNL)
      dnnl_sgemm(s.ta ? 'T' : 'N', s.tb ? 'T' : 'N', s.m, s.n, s.k, 1.f, a.data(), s.ta ? s.m : s.k, b.data(), s.tb ? s.k : s.n, 0.f,
                 c.data(), s.n);
#elif defined(LIB_EIGEN) || defined(LIB_PACKED)
      pool.run(s, a.data(), b.data(), c.data());
#endif
    };
    for (int i = 0; i < 3; i++) once();
    long reps = 0;
    auto cpu = [] {
      timespec t;
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
      return t.tv_sec + t.tv_nsec * 1e-9;
    };
    double cpuStart = cpu();
    auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
      once();
      reps++;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    double flops = 2.0 * s.m * s.n * s.k * reps;
    printf("%s\t%s\t%d\t%.1f\t%.1f\n", lib, s.name, threads, flops / elapsed / 1e9, flops / (cpu() - cpuStart) / 1e9);
  }
}
