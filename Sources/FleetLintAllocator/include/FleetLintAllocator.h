#ifndef FLEETLINT_ALLOCATOR_H
#define FLEETLINT_ALLOCATOR_H
/// 1 when the executable links jemalloc (Linux), else 0. Referencing it keeps this target's object, and
/// with it jemalloc's configuration, in the link.
int fleetlint_allocator_linked(void);
#include <stddef.h>
/// The allocator's live heap (bytes the program holds) and its resident pages (those plus its own metadata and the
/// freed pages it has not yet returned), as of this call; 1 on success, 0 where the allocator is not jemalloc.
int fleetlint_allocator_heap(size_t *allocated, size_t *resident);
#endif
