#ifndef FLEETLINT_ALLOCATOR_H
#define FLEETLINT_ALLOCATOR_H
#include <stddef.h>
/// 1 when the executable links jemalloc (Linux), else 0. Referencing it keeps this target's object, and
/// with it jemalloc's configuration, in the link.
int fleetlint_allocator_linked(void);
/// jemalloc's live heap (bytes the program holds, freed small blocks in the threads' caches included) and its resident
/// pages (those plus its own metadata and the freed pages it has not yet returned), as of this call; 1 on success, 0
/// where jemalloc is not linked (not Linux). A `malloc` put in its place at run time (LD_PRELOAD) is not seen.
int fleetlint_allocator_heap(size_t *allocated, size_t *resident);
/// Returns the pages of memory freed so far to the system now, instead of after the allocator's decay time (0.1 s):
/// for a point where a run has just let go of many small objects and is about to allocate a large block (which comes
/// from other pages). Does nothing where jemalloc is not linked.
void fleetlint_allocator_return_freed(void);
#endif
