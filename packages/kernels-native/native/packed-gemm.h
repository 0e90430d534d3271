// A packed single-precision matrix product for CPUs with AVX2 and FMA, in
// the way of BLIS and OpenBLAS: op(B) is packed into panels of 16 columns
// and op(A) into panels of 6 rows, each block sized for a cache level, and a
// register tile of 6 x 16 floats (12 vector accumulators) runs the inner
// loop as fused multiply-adds. On the bench families' shapes it measured
// faster than Eigen's GEMM on one thread (bench/gemm-libraries.sh, "aekit's
// own"); Eigen stays for the other builds and for products narrower than a
// tile. Included by kernels.cc inside its anonymous namespace, so that each
// instruction set's build keeps its own copy.
#pragma once
#if !defined(__AVX2__) || !defined(__FMA__)
#error "packed-gemm.h needs AVX2 and FMA"
#endif

namespace packed_gemm {

/** Register tile: 6 rows of C by 16 columns (two 8-float vectors) in 12 accumulators. */
constexpr long MR = 6, NR = 16;
/** Cache blocks: a kc x NR panel of B stays in L1, an mc x kc block of A in L2. */
constexpr long KC = 256, MC = 120, NC = 3072;

/** op(X)(i, j) = p[i * rs + j * cs]. */
struct Operand {
  const float *p;
  long rs, cs;
};

/** Per-thread packing buffers, 64-byte aligned, grown as needed. */
struct Buffers {
  float *a = nullptr, *b = nullptr;
  long aSize = 0, bSize = 0;
  static float *grow(float *old, long &size, long want) {
    if (want <= size) return old;
    std::free(old);
    size = want;
    return static_cast<float *>(std::aligned_alloc(64, ((want * sizeof(float) + 63) / 64) * 64));
  }
  ~Buffers() {
    std::free(a);
    std::free(b);
  }
};

inline void pack_a(const Operand &A, long i0, long mc, long p0, long kc, float *__restrict out) {
  for (long ir = 0; ir < mc; ir += MR, out += kc * MR) {
    long rows = std::min(MR, mc - ir);
    if (A.cs == 1 && rows == MR) {
      const float *r0 = A.p + (i0 + ir) * A.rs + p0;
      const float *r1 = r0 + A.rs, *r2 = r1 + A.rs, *r3 = r2 + A.rs, *r4 = r3 + A.rs, *r5 = r4 + A.rs;
      for (long p = 0; p < kc; p++) {
        float *o = out + p * MR;
        o[0] = r0[p]; o[1] = r1[p]; o[2] = r2[p]; o[3] = r3[p]; o[4] = r4[p]; o[5] = r5[p];
      }
    } else if (A.rs == 1 && rows == MR) {
      for (long p = 0; p < kc; p++) {
        const float *col = A.p + (p0 + p) * A.cs + i0 + ir;
        float *o = out + p * MR;
        for (long q = 0; q < MR; q++) o[q] = col[q];
      }
    } else {
      for (long p = 0; p < kc; p++)
        for (long q = 0; q < MR; q++) out[p * MR + q] = q < rows ? A.p[(i0 + ir + q) * A.rs + (p0 + p) * A.cs] : 0.f;
    }
  }
}

inline void pack_b(const Operand &B, long p0, long kc, long j0, long nc, float *__restrict out) {
  for (long jr = 0; jr < nc; jr += NR, out += kc * NR) {
    long cols = std::min(NR, nc - jr);
    if (B.cs == 1 && cols == NR) {
      for (long p = 0; p < kc; p++) {
        const float *row = B.p + (p0 + p) * B.rs + j0 + jr;
        _mm256_store_ps(out + p * NR, _mm256_loadu_ps(row));
        _mm256_store_ps(out + p * NR + 8, _mm256_loadu_ps(row + 8));
      }
    } else if (B.rs == 1) {
      for (long q = 0; q < NR; q++) {
        if (q < cols) {
          const float *col = B.p + (j0 + jr + q) * B.cs + p0;
          for (long p = 0; p < kc; p++) out[p * NR + q] = col[p];
        } else {
          for (long p = 0; p < kc; p++) out[p * NR + q] = 0.f;
        }
      }
    } else {
      for (long p = 0; p < kc; p++)
        for (long q = 0; q < NR; q++) out[p * NR + q] = q < cols ? B.p[(p0 + p) * B.rs + (j0 + jr + q) * B.cs] : 0.f;
    }
  }
}

/** C tile (rows x cols of at most MR x NR) = (or +=) a kc-long product of packed panels. */
inline void micro_kernel(long kc, const float *__restrict a, const float *__restrict b, float *c, long ldc, bool accumulate, long rows,
                         long cols) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
#pragma GCC unroll 4
  for (long p = 0; p < kc; p++) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 x = _mm256_broadcast_ss(a);
    c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    a += MR;
    b += NR;
  }
  __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (rows == MR && cols == NR) {
    for (long r = 0; r < MR; r++) {
      float *row = c + r * ldc;
      if (accumulate) {
        acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(row));
        acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(row + 8));
      }
      _mm256_storeu_ps(row, acc[r][0]);
      _mm256_storeu_ps(row + 8, acc[r][1]);
    }
    return;
  }
  alignas(32) float tile[MR * NR];
  for (long r = 0; r < MR; r++) {
    _mm256_store_ps(tile + r * NR, acc[r][0]);
    _mm256_store_ps(tile + r * NR + 8, acc[r][1]);
  }
  for (long r = 0; r < rows; r++)
    for (long j = 0; j < cols; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
}

/** C[m, n] (row stride ldc) = op(A)[m, k] op(B)[k, n]; k > 0. */
inline void gemm(long m, long n, long k, const Operand &A, const Operand &B, float *C, long ldc) {
  thread_local Buffers buffers;
  long nb = std::min(NC, ((n + NR - 1) / NR) * NR), mb = std::min(MC, ((m + MR - 1) / MR) * MR);
  buffers.b = Buffers::grow(buffers.b, buffers.bSize, KC * nb);
  buffers.a = Buffers::grow(buffers.a, buffers.aSize, KC * mb);
  for (long jc = 0; jc < n; jc += NC) {
    long nc = std::min(NC, n - jc);
    for (long pc = 0; pc < k; pc += KC) {
      long kc = std::min(KC, k - pc);
      pack_b(B, pc, kc, jc, nc, buffers.b);
      for (long ic = 0; ic < m; ic += MC) {
        long mc = std::min(MC, m - ic);
        pack_a(A, ic, mc, pc, kc, buffers.a);
        for (long jr = 0; jr < nc; jr += NR)
          for (long ir = 0; ir < mc; ir += MR)
            micro_kernel(kc, buffers.a + ir * kc, buffers.b + jr * kc, C + (ic + ir) * ldc + jc + jr, ldc, pc > 0,
                         std::min(MR, mc - ir), std::min(NR, nc - jr));
      }
    }
  }
}

}  // namespace packed_gemm
