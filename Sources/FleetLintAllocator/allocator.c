// fleetlint's memory allocator on Linux is jemalloc (Debian's libjemalloc2, linked as a shared library; see
// Package.swift), as ruff uses it: a cold check allocates and frees about 700 small objects per Python
// file (syntax tree nodes), and glibc's allocator spent 15 % of a run's instructions on them
// (malloc_consolidate between files). See docs/ARCHITECTURE.md, "Memory allocator".
//
// jemalloc reads its options from this symbol at start-up (MALLOC_CONF in the environment still wins).
// - dirty_decay_ms:100, muzzy_decay_ms:0: freed pages go back to the system a tenth of a second after they
//   were last used, and are not kept as "muzzy" pages after that (the default of 10 s kept the 16x synthetic
//   tree's cold run at 162 MiB of peak RSS). With 500 ms the project rules' phase (~0.4 s on the 16x tree)
//   ended with ~45 MiB of freed pages still resident beside its ~52 MiB live; 100 ms, 16x tree, no cache, 8
//   interleaved runs each: peak RSS median 122.9 -> 116.2 MiB, CPU median 5.09 -> 4.73 s (noise: no cost
//   seen); nba 0.98 -> 0.93 s CPU, 1x 0.31 -> 0.30 s. 50 ms: 117-119 MiB with more system time.
// - oversize_threshold:1 MiB (default 8 MiB): blocks of 1 MiB and more (file contents, the findings and
//   facts arrays as they grow) come from jemalloc's dedicated arena, whose freed pages are returned at once:
//   the 16x cold peak went from 144-151 to 140-142 MiB at the same speed (nba 0.51 s either way).
// - tcache_nslots_small_max:512 (default 200): a thread's cache keeps up to 512 freed blocks of a small size
//   class instead of 200. A file's syntax tree is freed in one burst of same-sized blocks; with 200 slots the
//   cache overflowed into the arena (a flush) and the next file's parse refilled it from there. Callgrind, 1x
//   synthetic tree, no cache: 2,542 M -> 2,497 M instructions (-1.75 %), jemalloc's flush and refill calls
//   about a third as many; 16x cold peak RSS unchanged within noise (147-151 MiB either way).
#include "FleetLintAllocator.h"

#if defined(__linux__)
#include <stdint.h>
// jemalloc's control interface (declared here: Debian's jemalloc.h is not needed for one function).
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

const char *malloc_conf = "dirty_decay_ms:100,muzzy_decay_ms:0,oversize_threshold:1048576,tcache_nslots_small_max:512";
#endif

int fleetlint_allocator_linked(void) {
#if defined(__linux__)
    return 1;
#else
    return 0;
#endif
}

void fleetlint_allocator_return_freed(void) {
#if defined(__linux__)
    // 4096 is MALLCTL_ARENAS_ALL: every arena's unused dirty pages go back now, not after dirty_decay_ms.
    mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
#endif
}

int fleetlint_allocator_heap(size_t *allocated, size_t *resident) {
#if defined(__linux__)
    // Statistics are a snapshot, refreshed by writing the epoch.
    uint64_t epoch = 1;
    size_t epochLength = sizeof(epoch);
    if (mallctl("epoch", &epoch, &epochLength, &epoch, epochLength) != 0) return 0;
    size_t length = sizeof(size_t);
    if (mallctl("stats.allocated", allocated, &length, NULL, 0) != 0) return 0;
    length = sizeof(size_t);
    if (mallctl("stats.resident", resident, &length, NULL, 0) != 0) return 0;
    return 1;
#else
    (void)allocated;
    (void)resident;
    return 0;
#endif
}
