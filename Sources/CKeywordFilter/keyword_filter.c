// The SIMD keyword search behind `KeywordAutomaton.hits` (Sources/FleetLintRules/Secrets/KeywordAutomaton.swift).
//
// "Teddy", the packed-compare prefilter of Intel's Hyperscan (Geoff Langdale's design, also in BurntSushi's
// aho-corasick crate, src/packed/teddy): keywords are put in buckets (at most FL_SETS * 8, one bit each);
// for each of the first FL_M byte positions of a keyword, two 16-entry tables (by the input byte's low
// and high nibble; past the first FL_HI_POSITIONS, by the low nibble only) hold the buckets that accept
// the byte there. `pshufb` looks up 32 input bytes in a
// table at once, so AND-ing the lookups of positions 0..FL_M-1 (input shifted by 0..FL_M-1) leaves, for
// each of 32 start offsets, the buckets whose first FL_M bytes may start there. Only those few offsets are
// then verified against the bucket's keywords, byte by byte; so the filter may over-report (nibble
// tables alias bytes) but never misses an occurrence. Case-insensitivity is in the tables (both cases of a
// letter accept); keywords shorter than FL_M accept any byte at the positions past their end.
//
// Buckets are chosen at build time to keep the filter sharp: a bucket's false-positive rate is estimated
// from typical source-tree byte frequencies (kByteFrequency) as the product over positions of the share of
// bytes its nibble tables accept, and keywords are assigned greedily, then improved by single moves. The
// choice affects speed only, never which keywords are found.
//
// Swift has no portable byte shuffle (SIMD16<UInt8> swizzles compile to one lane at a time, and x86-64's
// baseline, SSE2, has no pshufb), hence this small C file: the AVX2 kernel is compiled for AVX2 only
// (target attribute) and used only when the CPU reports it; otherwise the Swift DFA runs.
#define _GNU_SOURCE  // memrchr
#include "CKeywordFilter.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(FL_NO_AVX2)
#include <immintrin.h>
#define FL_HAVE_AVX2_KERNEL 1
#else
#define FL_HAVE_AVX2_KERNEL 0
#endif

#ifndef FL_M
#define FL_M 4
#endif
#ifndef FL_SETS
#define FL_SETS 2
#endif
#define FL_BUCKETS (FL_SETS * 8)
/// Positions below this are looked up by both nibbles; later ones by the low nibble only (four fewer
/// shuffles per block: measured on a real tree, fewer instructions in all than the extra candidates cost).
#ifndef FL_HI_POSITIONS
#define FL_HI_POSITIONS 2
#endif

/// Byte frequencies (per 100,000 bytes, at least 1) of the text files of a real Python monorepo: used only
/// to estimate how often a bucket's tables accept an input byte.
static const uint32_t kByteFrequency[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 40, 2755, 1, 1, 2, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    17503, 10, 1617, 474, 46, 87, 10, 502, 557, 558, 944, 49, 872, 1890, 1034, 340,
    1710, 1034, 1100, 624, 546, 579, 544, 429, 417, 439, 987, 19, 30, 1035, 61, 14,
    12, 483, 174, 429, 360, 580, 193, 144, 134, 361, 42, 44, 302, 253, 438, 329,
    351, 45, 423, 526, 581, 193, 98, 118, 23, 87, 20, 133, 68, 132, 2, 1535,
    522, 4219, 716, 2133, 2038, 6346, 1070, 1182, 1020, 3379, 94, 441, 2388, 1475, 3001, 3445,
    1666, 141, 3656, 3846, 4261, 1498, 489, 384, 240, 902, 48, 150, 397, 150, 18, 1,
    197, 15, 23, 1, 1, 50, 26, 1, 3, 4, 2, 1, 10, 1, 3, 12,
    15, 1, 23, 11, 257, 12, 5, 3, 2, 1, 9, 1, 60, 9, 1, 21,
    6, 2, 2, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2,
    1, 1, 1, 2, 2, 1, 1, 1, 8, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 369, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8,
    19, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/// One keyword of a bucket, as verification reads it.
struct member {
    uint32_t prefix, prefix_mask, length, id;
    const uint8_t *word;
};

struct fl_keyword_filter {
    /// [position][set][nibble] → bucket bits (bucket `set * 8 + bit`).
    uint8_t lo[FL_M][FL_SETS][16];
    uint8_t hi[FL_M][FL_SETS][16];
    size_t count;
    size_t max_hits;
    uint32_t bucket_start[FL_BUCKETS + 1];
    uint32_t *members;      // keyword ids, by bucket
    struct member *entries; // the same, with what verification reads, in one place
    /// The entries again in rows of 8 (a bucket's members fill whole rows; unused lanes never match), with
    /// their prefixes and masks side by side: the AVX2 search compares a position's first 4 bytes against a
    /// row in one instruction.
    uint32_t row_start[FL_BUCKETS + 1];
    /// A bitmap of the (hashed, lowercased) first three bytes of every keyword of three bytes or more: a
    /// candidate whose first three bytes miss it can only be a shorter keyword (`short_buckets`). The nibble
    /// tables over-report (their bytes alias); this rejects most of that for a multiply and a load.
    uint64_t trigram[1024];
    uint32_t short_buckets;
    uint32_t (*row_prefix)[8];
    uint32_t (*row_mask)[8];
    struct member (*row_member)[8];
    uint32_t *prefix;       // the keyword's first min(4, length) bytes, little-endian
    uint32_t *prefix_mask;
    uint32_t *length;
    uint32_t *offset;       // into `bytes`
    uint8_t *bytes;         // the keywords, lowercased, concatenated
    int *bucket_of;
};

static inline uint8_t lower(uint8_t b) { return (b >= 0x41 && b <= 0x5A) ? (uint8_t)(b | 0x20) : b; }

/// ASCII-lowercases four bytes at once (A–Z gain 0x20; every other byte, non-ASCII included, is unchanged).
static inline uint32_t fold4(uint32_t x) {
    uint32_t h = x & 0x7f7f7f7fu;
    uint32_t at_least_a = h + 0x3f3f3f3fu;      // bit 7 set where the byte's low 7 bits are >= 0x41
    uint32_t past_z = h + 0x25252525u;          // ... >= 0x5B
    uint32_t upper = at_least_a & ~past_z & ~x & 0x80808080u;
    return x | (upper >> 2);
}

/// The bit of `trigram` for the first three bytes of a folded head.
static inline uint32_t trigram_bit(uint32_t head) {
    return ((head & 0xFFFFFFu) * 0x9E3779B1u) >> 16;
}

static inline uint32_t load4(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

int fl_keyword_filter_supported(void) {
#if FL_HAVE_AVX2_KERNEL
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

// MARK: Building

/// What one bucket's tables accept at each position.
typedef struct {
    uint16_t lo[FL_M], hi[FL_M];    // nibble sets
    int wild[FL_M];                 // some keyword of the bucket ends before this position
    int used;
} bucket_shape;

static void shape_add(bucket_shape *s, const uint8_t *word, size_t length) {
    s->used = 1;
    for (size_t j = 0; j < FL_M; j++) {
        if (j >= length) { s->wild[j] = 1; continue; }
        uint8_t c = lower(word[j]);
        s->lo[j] |= (uint16_t)(1u << (c & 15));
        s->hi[j] |= (uint16_t)(1u << (c >> 4));
        if (c >= 0x61 && c <= 0x7A) {
            uint8_t u = (uint8_t)(c - 0x20);
            s->lo[j] |= (uint16_t)(1u << (u & 15));
            s->hi[j] |= (uint16_t)(1u << (u >> 4));
        }
    }
}

/// Estimated share of start offsets the bucket accepts (0 for an empty bucket).
static double shape_cost(const bucket_shape *s) {
    if (!s->used) return 0;
    double p = 1;
    for (size_t j = 0; j < FL_M; j++) {
        if (s->wild[j]) continue;
        uint32_t sum = 0;
        if (j < FL_HI_POSITIONS) {
            for (uint32_t h = s->hi[j]; h; h &= h - 1) {
                unsigned x = (unsigned)__builtin_ctz(h);
                for (uint32_t l = s->lo[j]; l; l &= l - 1) sum += kByteFrequency[x << 4 | (unsigned)__builtin_ctz(l)];
            }
        } else {
            for (uint32_t l = s->lo[j]; l; l &= l - 1) {
                unsigned x = (unsigned)__builtin_ctz(l);
                for (unsigned h = 0; h < 16; h++) sum += kByteFrequency[h << 4 | x];
            }
        }
        p *= sum / 100000.0;
    }
    return p;
}

/// Keywords with the same (lowercased) first FL_M bytes and the same length below FL_M have the same
/// fingerprint: they always share a bucket.
typedef struct {
    size_t first;       // the group's first keyword (its fingerprint)
    int bucket;
    double cost_alone;
    bucket_shape shape; // what its keywords accept
} group_info;

static int same_fingerprint(const uint8_t *a, size_t la, const uint8_t *b, size_t lb) {
    size_t ma = la < FL_M ? la : FL_M, mb = lb < FL_M ? lb : FL_M;
    if (ma != mb) return 0;
    for (size_t j = 0; j < ma; j++) if (lower(a[j]) != lower(b[j])) return 0;
    return 1;
}

static void shape_union(bucket_shape *into, const bucket_shape *s) {
    if (!s->used) return;
    into->used = 1;
    for (size_t j = 0; j < FL_M; j++) {
        into->lo[j] |= s->lo[j];
        into->hi[j] |= s->hi[j];
        into->wild[j] |= s->wild[j];
    }
}

/// The shape of bucket `bucket` without group `skip`.
static bucket_shape bucket_shape_without(const group_info *groups, size_t group_count, int bucket, size_t skip) {
    bucket_shape s;
    memset(&s, 0, sizeof s);
    for (size_t g = 0; g < group_count; g++) {
        if (groups[g].bucket == bucket && g != skip) shape_union(&s, &groups[g].shape);
    }
    return s;
}

fl_keyword_filter *fl_keyword_filter_create(const uint8_t *const *words, const size_t *lengths, size_t count) {
    fl_keyword_filter *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->count = count;
    size_t total = 0;
    for (size_t k = 0; k < count; k++) total += lengths[k];
    f->members = calloc(count + 1, sizeof(uint32_t));
    f->prefix = calloc(count + 1, sizeof(uint32_t));
    f->prefix_mask = calloc(count + 1, sizeof(uint32_t));
    f->length = calloc(count + 1, sizeof(uint32_t));
    f->offset = calloc(count + 1, sizeof(uint32_t));
    f->bytes = calloc(total + 1, 1);
    f->bucket_of = calloc(count + 1, sizeof(int));
    size_t *group_of = calloc(count + 1, sizeof(size_t));
    group_info *groups = calloc(count + 1, sizeof(group_info));
    if (!f->members || !f->prefix || !f->prefix_mask || !f->length || !f->offset || !f->bytes || !f->bucket_of || !group_of || !groups) {
        free(group_of);
        free(groups);
        fl_keyword_filter_destroy(f);
        return NULL;
    }
    size_t at = 0, matchable = 0;
    for (size_t k = 0; k < count; k++) {
        f->offset[k] = (uint32_t)at;
        f->length[k] = (uint32_t)lengths[k];
        for (size_t j = 0; j < lengths[k]; j++) f->bytes[at + j] = lower(words[k][j]);
        uint32_t prefix = 0, mask = 0;
        for (size_t j = 0; j < 4 && j < lengths[k]; j++) {
            prefix |= (uint32_t)f->bytes[at + j] << (8 * j);
            mask |= 0xFFu << (8 * j);
        }
        f->prefix[k] = prefix;
        f->prefix_mask[k] = mask;
        int ok = lengths[k] > 0;
        for (size_t j = 0; j < lengths[k]; j++) if (words[k][j] == 0x0A || words[k][j] == 0x0D) ok = 0;
        at += lengths[k];
        if (ok) matchable++;
        group_of[k] = ok ? k : (size_t)-1;
    }
    f->max_hits = matchable;

    // Groups: each keyword joins the first earlier keyword with its fingerprint.
    size_t group_count = 0;
    for (size_t k = 0; k < count; k++) {
        if (group_of[k] == (size_t)-1) continue;
        size_t g = (size_t)-1;
        for (size_t q = 0; q < group_count; q++) {
            size_t r = groups[q].first;
            if (same_fingerprint(f->bytes + f->offset[r], f->length[r], f->bytes + f->offset[k], f->length[k])) { g = q; break; }
        }
        if (g == (size_t)-1) {
            g = group_count++;
            groups[g].first = k;
            groups[g].bucket = -1;
        }
        group_of[k] = g;
    }
    for (size_t k = 0; k < count; k++) {
        if (group_of[k] != (size_t)-1) shape_add(&groups[group_of[k]].shape, f->bytes + f->offset[k], f->length[k]);
    }
    for (size_t g = 0; g < group_count; g++) groups[g].cost_alone = shape_cost(&groups[g].shape);
    // Greedy: the costliest groups first, each into the bucket it adds least to (ties: the lower bucket).
    size_t *order = calloc(group_count + 1, sizeof(size_t));
    if (!order) {
        free(group_of);
        free(groups);
        fl_keyword_filter_destroy(f);
        return NULL;
    }
    for (size_t g = 0; g < group_count; g++) order[g] = g;
    for (size_t a = 1; a < group_count; a++) {  // insertion sort, stable: descending cost
        size_t v = order[a], b = a;
        while (b > 0 && groups[order[b - 1]].cost_alone < groups[v].cost_alone) { order[b] = order[b - 1]; b--; }
        order[b] = v;
    }
    double cost[FL_BUCKETS] = {0};
    bucket_shape shapes[FL_BUCKETS];
    memset(shapes, 0, sizeof shapes);
    for (size_t a = 0; a < group_count; a++) {
        size_t g = order[a];
        int best = 0;
        double best_delta = 0, best_cost = 0;
        for (int b = 0; b < FL_BUCKETS; b++) {
            bucket_shape s = shapes[b];
            shape_union(&s, &groups[g].shape);
            double c = shape_cost(&s), delta = c - cost[b];
            if (b == 0 || delta < best_delta) { best = b; best_delta = delta; best_cost = c; }
        }
        groups[g].bucket = best;
        cost[best] = best_cost;
        shape_union(&shapes[best], &groups[g].shape);
    }
    // Single moves while one lowers the total (a few rounds at most).
    for (int round = 0; round < 4; round++) {
        int moved = 0;
        for (size_t g = 0; g < group_count; g++) {
            int from = groups[g].bucket;
            bucket_shape without = bucket_shape_without(groups, group_count, from, g);
            double from_cost = shape_cost(&without);
            int best = from;
            double best_delta = -1e-12, best_cost = 0;
            for (int b = 0; b < FL_BUCKETS; b++) {
                if (b == from) continue;
                bucket_shape s = shapes[b];
                shape_union(&s, &groups[g].shape);
                double c = shape_cost(&s), delta = (from_cost + c) - (cost[from] + cost[b]);
                if (delta < best_delta) { best = b; best_delta = delta; best_cost = c; }
            }
            if (best != from) {
                groups[g].bucket = best;
                cost[from] = from_cost;
                cost[best] = best_cost;
                shapes[from] = without;
                shape_union(&shapes[best], &groups[g].shape);
                moved = 1;
            }
        }
        if (!moved) break;
    }
    free(order);

    // Tables and bucket member lists.
    uint32_t counts[FL_BUCKETS] = {0};
    for (size_t k = 0; k < count; k++) {
        if (group_of[k] == (size_t)-1) { f->bucket_of[k] = -1; continue; }
        int b = groups[group_of[k]].bucket;
        f->bucket_of[k] = b;
        counts[b]++;
    }
    f->bucket_start[0] = 0;
    for (int b = 0; b < FL_BUCKETS; b++) f->bucket_start[b + 1] = f->bucket_start[b] + counts[b];
    uint32_t fill[FL_BUCKETS];
    for (int b = 0; b < FL_BUCKETS; b++) fill[b] = f->bucket_start[b];
    for (size_t k = 0; k < count; k++) {
        int b = f->bucket_of[k];
        if (b < 0) continue;
        f->members[fill[b]++] = (uint32_t)k;
    }
    f->entries = calloc(f->bucket_start[FL_BUCKETS] + 1, sizeof(struct member));
    if (!f->entries) {
        free(group_of);
        free(groups);
        fl_keyword_filter_destroy(f);
        return NULL;
    }
    for (uint32_t m = 0; m < f->bucket_start[FL_BUCKETS]; m++) {
        uint32_t k = f->members[m];
        f->entries[m] = (struct member){f->prefix[k], f->prefix_mask[k], f->length[k], k, f->bytes + f->offset[k]};
    }
    f->row_start[0] = 0;
    for (int b = 0; b < FL_BUCKETS; b++) f->row_start[b + 1] = f->row_start[b] + (counts[b] + 7) / 8;
    uint32_t rows = f->row_start[FL_BUCKETS];
    f->row_prefix = calloc(rows + 1, sizeof *f->row_prefix);
    f->row_mask = calloc(rows + 1, sizeof *f->row_mask);
    f->row_member = calloc(rows + 1, sizeof *f->row_member);
    if (!f->row_prefix || !f->row_mask || !f->row_member) {
        free(group_of);
        free(groups);
        fl_keyword_filter_destroy(f);
        return NULL;
    }
    for (int b = 0; b < FL_BUCKETS; b++) {
        for (uint32_t r = f->row_start[b]; r < f->row_start[b + 1]; r++) {
            for (int lane = 0; lane < 8; lane++) {
                uint32_t m = f->bucket_start[b] + (r - f->row_start[b]) * 8 + (uint32_t)lane;
                if (m < f->bucket_start[b + 1]) {
                    f->row_member[r][lane] = f->entries[m];
                    f->row_prefix[r][lane] = f->entries[m].prefix;
                    f->row_mask[r][lane] = f->entries[m].prefix_mask;
                } else {
                    f->row_prefix[r][lane] = 1;  // (head & 0) is never 1
                    f->row_mask[r][lane] = 0;
                }
            }
        }
    }
    for (size_t k = 0; k < count; k++) {
        if (f->bucket_of[k] < 0) continue;
        if (f->length[k] < 3) {
            f->short_buckets |= 1u << f->bucket_of[k];
        } else {
            uint32_t bit = trigram_bit(f->prefix[k]);
            f->trigram[bit >> 6] |= 1ull << (bit & 63);
        }
    }
    for (int b = 0; b < FL_BUCKETS; b++) {
        bucket_shape s;
        memset(&s, 0, sizeof s);
        for (uint32_t m = f->bucket_start[b]; m < f->bucket_start[b + 1]; m++) {
            uint32_t k = f->members[m];
            shape_add(&s, f->bytes + f->offset[k], f->length[k]);
        }
        if (!s.used) continue;
        uint8_t bit = (uint8_t)(1u << (b & 7));
        int set = b >> 3;
        for (size_t j = 0; j < FL_M; j++) {
            for (unsigned x = 0; x < 16; x++) {
                if (s.wild[j] || (s.lo[j] >> x & 1)) f->lo[j][set][x] |= bit;
                if (s.wild[j] || (s.hi[j] >> x & 1)) f->hi[j][set][x] |= bit;
            }
        }
    }
    free(group_of);
    free(groups);
    return f;
}

void fl_keyword_filter_destroy(fl_keyword_filter *f) {
    if (!f) return;
    free(f->members);
    free(f->entries);
    free(f->row_prefix);
    free(f->row_mask);
    free(f->row_member);
    free(f->prefix);
    free(f->prefix_mask);
    free(f->length);
    free(f->offset);
    free(f->bytes);
    free(f->bucket_of);
    free(f);
}

size_t fl_keyword_filter_max_hits_per_position(const fl_keyword_filter *f) { return f->max_hits; }

int fl_keyword_filter_bucket(const fl_keyword_filter *f, size_t keyword) {
    return keyword < f->count ? f->bucket_of[keyword] : -1;
}

// MARK: Scanning

#if !FL_HAVE_AVX2_KERNEL
/// Appends the keywords of the buckets in `bits` that occur at `i`; returns how many.
__attribute__((always_inline)) static inline size_t verify(const fl_keyword_filter *f, const uint8_t *p, size_t n, size_t i, uint32_t bits, int64_t *out) {
    size_t w = 0, left = n - i;
    uint32_t head = 0;
    if (left >= 4) {
        head = fold4(load4(p + i));
    } else {
        for (size_t j = 0; j < left; j++) head |= (uint32_t)lower(p[i + j]) << (8 * j);
    }
    while (bits) {
        unsigned b = (unsigned)__builtin_ctz(bits);
        bits &= bits - 1;
        const struct member *e = f->entries + f->bucket_start[b], *end = f->entries + f->bucket_start[b + 1];
        for (; e < end; e++) {
            if ((head & e->prefix_mask) != e->prefix || e->length > left) continue;
            uint32_t j = 4, length = e->length;
            while (j < length && lower(p[i + j]) == e->word[j]) j++;
            if (j < length) continue;
            out[w++] = (int64_t)(((uint64_t)(i + length - 1) << 16) | e->id);
        }
    }
    return w;
}

#endif

/// The buckets that may start at `i`, one position at a time (for the last bytes of a buffer); a position
/// past the end accepts every bucket (verification then checks the length).
static uint32_t buckets_at(const fl_keyword_filter *f, const uint8_t *p, size_t n, size_t i) {
    uint32_t bits = (1u << FL_BUCKETS) - 1;
    for (size_t j = 0; j < FL_M && i + j < n; j++) {
        uint8_t c = p[i + j];
        uint32_t here = 0;
        for (int set = 0; set < FL_SETS; set++) {
            uint8_t b = f->lo[j][set][c & 15];
            if (j < FL_HI_POSITIONS) b &= f->hi[j][set][c >> 4];
            here |= (uint32_t)b << (8 * set);
        }
        bits &= here;
    }
    return bits;
}

#if FL_HAVE_AVX2_KERNEL
/// `verify` comparing a position's first four bytes with eight keywords at a time.
__attribute__((target("avx2"), always_inline))
static inline size_t verify_avx2(const fl_keyword_filter *f, const uint8_t *p, size_t n, size_t i, uint32_t bits, int64_t *out) {
    size_t w = 0, left = n - i;
    uint32_t head = 0;
    if (left >= 4) {
        head = fold4(load4(p + i));
        uint32_t bit = trigram_bit(head);
        if (!(f->trigram[bit >> 6] >> (bit & 63) & 1)) {
            bits &= f->short_buckets;
            if (!bits) return 0;
        }
    } else {
        for (size_t j = 0; j < left; j++) head |= (uint32_t)lower(p[i + j]) << (8 * j);
    }
    const __m256i h = _mm256_set1_epi32((int)head);
    while (bits) {
        unsigned b = (unsigned)__builtin_ctz(bits);
        bits &= bits - 1;
        for (uint32_t r = f->row_start[b]; r < f->row_start[b + 1]; r++) {
            __m256i masked = _mm256_and_si256(h, _mm256_loadu_si256((const __m256i *)f->row_mask[r]));
            __m256i eq = _mm256_cmpeq_epi32(masked, _mm256_loadu_si256((const __m256i *)f->row_prefix[r]));
            unsigned lanes = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(eq));
            while (lanes) {
                const struct member *e = &f->row_member[r][__builtin_ctz(lanes)];
                lanes &= lanes - 1;
                uint32_t length = e->length;
                if (length > left) continue;
                uint32_t j = 4;
                while (j < length && lower(p[i + j]) == e->word[j]) j++;
                if (j < length) continue;
                out[w++] = (int64_t)(((uint64_t)(i + length - 1) << 16) | e->id);
            }
        }
    }
    return w;
}

/// The buckets (one byte per set) that may start at each of the 32 offsets from `q`.
__attribute__((target("avx2"), always_inline))
static inline void block_avx2(const uint8_t *q, const __m256i lo[FL_M][FL_SETS], const __m256i hi[FL_M][FL_SETS], __m256i acc[FL_SETS]) {
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    for (int j = 0; j < FL_M; j++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(q + j));
        __m256i vl = _mm256_and_si256(v, nibble);
        __m256i vh = j < FL_HI_POSITIONS ? _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble) : vl;
        for (int s = 0; s < FL_SETS; s++) {
            __m256i t = _mm256_shuffle_epi8(lo[j][s], vl);
            if (j < FL_HI_POSITIONS) t = _mm256_and_si256(t, _mm256_shuffle_epi8(hi[j][s], vh));
            acc[s] = j == 0 ? t : _mm256_and_si256(acc[s], t);
        }
    }
}

__attribute__((target("avx2"), always_inline))
static inline uint32_t nonzero_avx2(const __m256i acc[FL_SETS]) {
    __m256i any = acc[0];
    for (int s = 1; s < FL_SETS; s++) any = _mm256_or_si256(any, acc[s]);
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(any, _mm256_setzero_si256()));
}

__attribute__((target("avx2")))
static size_t scan_avx2(const fl_keyword_filter *f, const uint8_t *p, size_t n, size_t *position, int64_t *out, size_t capacity) {
    size_t i = *position, w = 0;
    __m256i lo[FL_M][FL_SETS], hi[FL_M][FL_SETS];
    for (int j = 0; j < FL_M; j++) {
        for (int s = 0; s < FL_SETS; s++) {
            lo[j][s] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)f->lo[j][s]));
            hi[j][s] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)f->hi[j][s]));
        }
    }
    // 64 bytes a round (two blocks: the tables, partly spilled, are reloaded half as often), then 32.
    while (i + 64 + (FL_M - 1) <= n) {
        __m256i a[FL_SETS], b[FL_SETS];
        block_avx2(p + i, lo, hi, a);
        block_avx2(p + i + 32, lo, hi, b);
        uint64_t mask = (uint64_t)nonzero_avx2(a) | (uint64_t)nonzero_avx2(b) << 32;
        if (mask) {
            uint8_t bits[FL_SETS][64];
            for (int s = 0; s < FL_SETS; s++) {
                _mm256_storeu_si256((__m256i *)bits[s], a[s]);
                _mm256_storeu_si256((__m256i *)(bits[s] + 32), b[s]);
            }
            while (mask) {
                unsigned k = (unsigned)__builtin_ctzll(mask);
                mask &= mask - 1;
                if (capacity - w < f->max_hits) { *position = i + k; return w; }
                uint32_t m = 0;
                for (int s = 0; s < FL_SETS; s++) m |= (uint32_t)bits[s][k] << (8 * s);
                w += verify_avx2(f, p, n, i + k, m, out + w);
            }
        }
        i += 64;
    }
    while (i + 32 + (FL_M - 1) <= n) {
        __m256i a[FL_SETS];
        block_avx2(p + i, lo, hi, a);
        uint32_t mask = nonzero_avx2(a);
        if (mask) {
            uint8_t bits[FL_SETS][32];
            for (int s = 0; s < FL_SETS; s++) _mm256_storeu_si256((__m256i *)bits[s], a[s]);
            while (mask) {
                unsigned k = (unsigned)__builtin_ctz(mask);
                mask &= mask - 1;
                if (capacity - w < f->max_hits) { *position = i + k; return w; }
                uint32_t m = 0;
                for (int s = 0; s < FL_SETS; s++) m |= (uint32_t)bits[s][k] << (8 * s);
                w += verify_avx2(f, p, n, i + k, m, out + w);
            }
        }
        i += 32;
    }
    for (; i < n; i++) {
        uint32_t m = buckets_at(f, p, n, i);
        if (!m) continue;
        if (capacity - w < f->max_hits) { *position = i; return w; }
        w += verify_avx2(f, p, n, i, m, out + w);
    }
    *position = n;
    return w;
}
#endif

size_t fl_keyword_filter_scan(const fl_keyword_filter *f, const uint8_t *p, size_t n, size_t *position, int64_t *out, size_t capacity) {
    if (*position >= n || capacity < f->max_hits || f->max_hits == 0) {
        if (f->max_hits == 0) *position = n;
        return 0;
    }
#if FL_HAVE_AVX2_KERNEL
    return scan_avx2(f, p, n, position, out, capacity);
#else
    // Without the kernel: the same search one position at a time (callers use their own matcher instead).
    size_t i = *position, w = 0;
    for (; i < n; i++) {
        uint32_t b = buckets_at(f, p, n, i);
        if (!b) continue;
        if (capacity - w < f->max_hits) { *position = i; return w; }
        w += verify(f, p, n, i, b, out + w);
    }
    *position = n;
    return w;
#endif
}

// MARK: Counting

#if FL_HAVE_AVX2_KERNEL
__attribute__((target("avx2,popcnt")))
static size_t count_byte_avx2(const uint8_t *p, size_t n, uint8_t byte) {
    const __m256i needle = _mm256_set1_epi8((char)byte);
    size_t i = 0, count = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        count += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, needle)));
    }
    for (; i < n; i++) count += p[i] == byte;
    return count;
}
#endif

size_t fl_count_byte(const uint8_t *p, size_t n, uint8_t byte) {
#if FL_HAVE_AVX2_KERNEL
    if (n >= 64 && fl_keyword_filter_supported()) return count_byte_avx2(p, n, byte);
#endif
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += p[i] == byte;
    return count;
}

ptrdiff_t fl_last_byte(const uint8_t *p, size_t n, uint8_t byte) {
    const uint8_t *hit = memrchr(p, byte, n);
    return hit ? hit - p : -1;
}
