#ifndef FLEETLINT_ALLOCATOR_H
#define FLEETLINT_ALLOCATOR_H
/// 1 when the executable links jemalloc (Linux), else 0. Referencing it keeps this target's object, and
/// with it jemalloc's configuration, in the link.
int fleetlint_allocator_linked(void);
#endif
