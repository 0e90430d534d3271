// The thread pool every kernel splits its work over, and per-thread scratch
// memory. Compiled once for the baseline CPU (pool.cc); the kernels, compiled
// once per instruction set, reach it only through these plain C functions,
// so that no C++ template is instantiated both in the pool and in a kernel
// build (see kernels.cc).
#ifndef AEKIT_POOL_H
#define AEKIT_POOL_H

#include <stddef.h>

extern "C" {

/** Work on the items [begin, end), run by thread `thread` (0 is the calling one). */
typedef void (*aekit_task)(void *context, long begin, long end, int thread);

/**
 * Runs `task` over [0, n) split into at most `aekit_threads()` contiguous
 * ranges of at least `grain` items, the calling thread taking the first;
 * returns when every range is done. One range runs inline, without waking
 * any thread.
 */
void aekit_parallel_for(long n, long grain, aekit_task task, void *context);

/** Threads the kernels use, the calling one included. */
int aekit_threads(void);

/** A buffer of at least `floats` floats for thread `thread`, kept between calls (grown as needed; 64-byte aligned). */
float *aekit_scratch(int thread, int slot, size_t floats);
}

#endif
