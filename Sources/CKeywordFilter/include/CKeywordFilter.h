#ifndef FLEETLINT_CKEYWORDFILTER_H
#define FLEETLINT_CKEYWORDFILTER_H
#include <stddef.h>
#include <stdint.h>

/// A compiled set of keywords for the SIMD keyword search (keyword_filter.c says how it works). Opaque.
typedef struct fl_keyword_filter fl_keyword_filter;

/// 1 when this CPU runs the SIMD search (x86-64 with AVX2), else 0 (callers then use their scalar matcher).
int fl_keyword_filter_supported(void);

/// Builds a filter over `count` keywords (`words[k]`, `lengths[k]` bytes; keyword id = k). Keywords are
/// matched ASCII case-insensitively against lowercase input; pass them lowercased. An empty keyword, or one
/// containing a line break (CR or LF), never matches. Returns NULL when out of memory.
fl_keyword_filter *fl_keyword_filter_create(const uint8_t *const *words, const size_t *lengths, size_t count);
void fl_keyword_filter_destroy(fl_keyword_filter *filter);

/// The most hits one position can produce (the `capacity` `fl_keyword_filter_scan` needs at least).
size_t fl_keyword_filter_max_hits_per_position(const fl_keyword_filter *filter);

/// Finds keyword occurrences starting at offsets `*position ..< n` of `bytes`, appending each as
/// `endOffset << 16 | keywordId` to `out` (at most `capacity` entries), in order of their start, the ids of
/// one start ascending. Returns how many it wrote; sets `*position` to where to resume (`n` when done).
/// Call only when `fl_keyword_filter_supported()`.
size_t fl_keyword_filter_scan(const fl_keyword_filter *filter, const uint8_t *bytes, size_t n, size_t *position,
                              int64_t *out, size_t capacity);

/// The bucket (0..<16) each keyword id was put in, -1 for one that never matches (for tests).
int fl_keyword_filter_bucket(const fl_keyword_filter *filter, size_t keyword);

/// How many bytes of `bytes[0..<n]` equal `byte` (AVX2 where the CPU has it).
size_t fl_count_byte(const uint8_t *bytes, size_t n, uint8_t byte);

/// The offset of the last byte of `bytes[0..<n]` that equals `byte`, -1 when none (glibc's memrchr).
ptrdiff_t fl_last_byte(const uint8_t *bytes, size_t n, uint8_t byte);
#endif
