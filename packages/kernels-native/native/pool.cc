// A small fork-join pool: the calling thread and `threads - 1` helpers split
// one kernel's work and meet again before it returns.
//
// Ranges are claimed, not assigned: every participant, the calling thread
// included, takes the next unclaimed range until none is left, and the
// calling thread then waits only for ranges already being worked on. On a
// busy machine a helper that is not scheduled in time simply gets nothing
// to do, instead of the kernel waiting a time slice for it. A claim names
// the job's number, so a helper that wakes late can never claim a range of
// a later job by mistake.
//
// Between kernels the helpers spin briefly (the next kernel of a training
// step usually follows within microseconds), then sleep on a futex (C++20
// atomic wait), so an idle pool costs nothing.
//
// A helper wakes for every generation after the one current when it was
// started, which start() hands it: were it to read the generation itself, a
// helper the OS had not yet scheduled when the pool was stopped (a process
// exiting right after its first kernel, setThreads twice in a row) would read
// the stop's generation as its starting point and sleep through it, and the
// join would wait for it forever.
#include "pool.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

/** Spins of `_mm_pause` before a waiting thread sleeps: some tens of microseconds. */
constexpr int SPINS = 4000;
constexpr int SLOTS = 4;

struct Job {
  aekit_task task;
  void *context;
  long n;
  long chunks;
};

struct Scratch {
  float *data[SLOTS] = {};
  size_t size[SLOTS] = {};
};

/** The claim word: the job's number (high 32 bits), the next range (16) and the number of ranges (16). */
constexpr uint64_t pack(uint32_t job, uint32_t next, uint32_t chunks) {
  return (static_cast<uint64_t>(job) << 32) | (static_cast<uint64_t>(next) << 16) | chunks;
}

class Pool {
 public:
  explicit Pool(int threads) { start(threads); }

  int threads() const { return count_; }

  void resize(int threads) {
    if (threads == count_) return;
    stop();
    start(threads);
  }

  void run(const Job &job) {
    if (job.chunks <= 1) {
      job.task(job.context, 0, job.n, 0);
      return;
    }
    job_ = job;
    done_.store(0, std::memory_order_relaxed);
    uint32_t number = ++jobs_;
    claims_.store(pack(number, 0, static_cast<uint32_t>(job.chunks)), std::memory_order_release);
    generation_.store(number, std::memory_order_release);
    generation_.notify_all();
    work(number, 0);
    for (int i = 0; i < SPINS; i++) {
      if (done_.load(std::memory_order_acquire) == job.chunks) return;
      _mm_pause();
    }
    for (long seen; (seen = done_.load(std::memory_order_acquire)) != job.chunks;) done_.wait(seen, std::memory_order_acquire);
  }

  float *scratch(int thread, int slot, size_t floats) {
    Scratch &s = scratch_[thread];
    if (s.size[slot] < floats) {
      std::free(s.data[slot]);
      size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
      s.data[slot] = static_cast<float *>(std::aligned_alloc(64, bytes));
      s.size[slot] = s.data[slot] ? floats : 0;
    }
    return s.data[slot];
  }

 private:
  /** Claims and runs ranges of job `number` until none is left; `thread` names the participant. */
  void work(uint32_t number, int thread) {
    for (;;) {
      uint64_t word = claims_.load(std::memory_order_acquire);
      uint32_t next = (word >> 16) & 0xffff, chunks = word & 0xffff;
      if ((word >> 32) != number || next >= chunks) return;
      if (!claims_.compare_exchange_weak(word, pack(number, next + 1, chunks), std::memory_order_acq_rel)) continue;
      // The job cannot finish, nor job_ change, before this claimed range is done.
      const Job job = job_;
      long begin = job.n * next / job.chunks, end = job.n * (next + 1) / job.chunks;
      if (begin < end) job.task(job.context, begin, end, thread);
      if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == job.chunks) done_.notify_one();
    }
  }

  /** Runs the jobs of every generation after `seen`, until a stop. */
  void helper(int index, uint32_t seen) {
    for (;;) {
      uint32_t now = seen;
      for (int i = 0; i < SPINS && (now = generation_.load(std::memory_order_acquire)) == seen; i++) _mm_pause();
      while (now == seen) {
        generation_.wait(seen, std::memory_order_acquire);
        now = generation_.load(std::memory_order_acquire);
      }
      seen = now;
      if (quit_.load(std::memory_order_acquire)) return;
      work(now, index);
    }
  }

  void start(int threads) {
    count_ = std::max(1, threads);
    scratch_.assign(count_, Scratch{});
    quit_ = false;
    // No job runs and no stop is under way here: this generation is the one every helper starts from.
    uint32_t current = generation_.load(std::memory_order_relaxed);
    for (int i = 1; i < count_; i++) helpers_.emplace_back([this, i, current] { helper(i, current); });
  }

  void stop() {
    quit_.store(true, std::memory_order_release);
    generation_.store(++jobs_, std::memory_order_release);
    generation_.notify_all();
    for (auto &t : helpers_) t.join();
    helpers_.clear();
    for (auto &s : scratch_)
      for (float *p : s.data) std::free(p);
    scratch_.clear();
  }

  int count_ = 1;
  Job job_{};
  uint32_t jobs_ = 0;
  std::vector<std::thread> helpers_;
  std::vector<Scratch> scratch_;
  std::atomic<uint32_t> generation_{0};
  std::atomic<uint64_t> claims_{0};
  std::atomic<long> done_{0};
  std::atomic<bool> quit_{false};
};

int initial_threads() {
  const char *env = std::getenv("AEKIT_NATIVE_THREADS");
  int n = env ? std::atoi(env) : 0;
  if (n > 0) return n;
  return std::max(1u, std::thread::hardware_concurrency());
}

/**
 * The process's pool, never destroyed: exiting must not wait for its helper
 * threads, which on a busy machine can take a time slice each to be
 * scheduled only to return, and which the exit ends wherever they are.
 */
Pool &pool() {
  static Pool *instance = new Pool(initial_threads());
  return *instance;
}

}  // namespace

extern "C" {

void aekit_parallel_for(long n, long grain, aekit_task task, void *context) {
  if (n <= 0) return;
  long chunks = std::min<long>(pool().threads(), std::max<long>(1, n / std::max<long>(1, grain)));
  pool().run(Job{task, context, n, chunks});
}

int aekit_threads(void) { return pool().threads(); }

float *aekit_scratch(int thread, int slot, size_t floats) { return pool().scratch(thread, slot, floats); }

void aekit_set_threads(int threads) { pool().resize(threads); }
}
