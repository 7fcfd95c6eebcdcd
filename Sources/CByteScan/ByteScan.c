// Vector kernels for the text prefilter. Swift cannot yet pick an instruction
// set per function, so the AVX2 loops live here and are chosen at run time
// (cpuid), with SSE2 (every x86-64) and a portable loop behind them: one binary
// runs everywhere and uses the widest vectors the machine has.
#include "CByteScan.h"
#include <stddef.h>

/// Drops the lanes of a block whose byte pair no probe starts with.
static inline uint32_t admitted_lanes(const uint8_t *block, uint32_t lanes, const uint64_t *admitted) {
    if (!admitted) return lanes;
    uint32_t kept = lanes;
    while (lanes) {
        int lane = __builtin_ctz(lanes);
        lanes &= lanes - 1;
        unsigned key = (unsigned)block[lane] << 8 | block[lane + 1];
        if (!(admitted[key >> 6] >> (key & 63) & 1)) kept &= ~(1u << lane);
    }
    return kept;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static int64_t probe_scan_avx2(const uint8_t *base, int64_t i, int64_t end, const fl_probe_set *set, uint32_t *mask) {
    const __m256i *singles = (const __m256i *)set->singles;
    const __m256i *pairs = (const __m256i *)set->pairs;
    const int64_t ns = set->singleCount, np = set->pairCount;
    for (; i + 33 <= end; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(base + i));
        __m256i w = _mm256_loadu_si256((const __m256i *)(base + i + 1));
        __m256i acc = _mm256_setzero_si256();
        for (int64_t k = 0; k < ns; k++)
            acc = _mm256_or_si256(acc, _mm256_cmpeq_epi8(v, _mm256_load_si256(singles + k)));
        for (int64_t k = 0; k < np; k++) {
            __m256i a = _mm256_cmpeq_epi8(v, _mm256_load_si256(pairs + 2 * k));
            __m256i b = _mm256_cmpeq_epi8(w, _mm256_load_si256(pairs + 2 * k + 1));
            acc = _mm256_or_si256(acc, _mm256_and_si256(a, b));
        }
        uint32_t m = (uint32_t)_mm256_movemask_epi8(acc);
        if (m && (m = admitted_lanes(base + i, m, set->admitted))) { *mask = m; return i; }
    }
    *mask = 0;
    return i;
}

/// Nibble-bucket ("Teddy") scan: per 32 bytes, two shuffles per byte position
/// give each byte's buckets; a lane survives when its byte and the next share one.
__attribute__((target("avx2")))
static int64_t nibble_scan_avx2(const uint8_t *base, int64_t i, int64_t end, const fl_probe_set *set, uint32_t *mask) {
    const __m256i *tables = (const __m256i *)set->nibbles;
    const __m256i firstLow = _mm256_load_si256(tables), firstHigh = _mm256_load_si256(tables + 1);
    const __m256i secondLow = _mm256_load_si256(tables + 2), secondHigh = _mm256_load_si256(tables + 3);
    const __m256i low = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    for (; i + 33 <= end; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(base + i));
        __m256i w = _mm256_loadu_si256((const __m256i *)(base + i + 1));
        __m256i first = _mm256_and_si256(_mm256_shuffle_epi8(firstLow, _mm256_and_si256(v, low)),
                                         _mm256_shuffle_epi8(firstHigh, _mm256_and_si256(_mm256_srli_epi16(v, 4), low)));
        __m256i second = _mm256_and_si256(_mm256_shuffle_epi8(secondLow, _mm256_and_si256(w, low)),
                                          _mm256_shuffle_epi8(secondHigh, _mm256_and_si256(_mm256_srli_epi16(w, 4), low)));
        uint32_t m = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(first, second), zero));
        if (m && (m = admitted_lanes(base + i, m, set->admitted))) { *mask = m; return i; }
    }
    *mask = 0;
    return i;
}

static int64_t probe_scan_sse2(const uint8_t *base, int64_t i, int64_t end, const fl_probe_set *set, uint32_t *mask) {
    const int64_t ns = set->singleCount, np = set->pairCount;
    for (; i + 33 <= end; i += 32) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(base + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(base + i + 16));
        __m128i w0 = _mm_loadu_si128((const __m128i *)(base + i + 1));
        __m128i w1 = _mm_loadu_si128((const __m128i *)(base + i + 17));
        __m128i acc0 = _mm_setzero_si128(), acc1 = _mm_setzero_si128();
        for (int64_t k = 0; k < ns; k++) {
            __m128i s = _mm_load_si128((const __m128i *)(set->singles + 32 * k));
            acc0 = _mm_or_si128(acc0, _mm_cmpeq_epi8(v0, s));
            acc1 = _mm_or_si128(acc1, _mm_cmpeq_epi8(v1, s));
        }
        for (int64_t k = 0; k < np; k++) {
            __m128i a = _mm_load_si128((const __m128i *)(set->pairs + 64 * k));
            __m128i b = _mm_load_si128((const __m128i *)(set->pairs + 64 * k + 32));
            acc0 = _mm_or_si128(acc0, _mm_and_si128(_mm_cmpeq_epi8(v0, a), _mm_cmpeq_epi8(w0, b)));
            acc1 = _mm_or_si128(acc1, _mm_and_si128(_mm_cmpeq_epi8(v1, a), _mm_cmpeq_epi8(w1, b)));
        }
        uint32_t m = (uint32_t)_mm_movemask_epi8(acc0) | ((uint32_t)_mm_movemask_epi8(acc1) << 16);
        if (m && (m = admitted_lanes(base + i, m, set->admitted))) { *mask = m; return i; }
    }
    *mask = 0;
    return i;
}

__attribute__((target("avx2")))
static int64_t count_newlines_avx2(const uint8_t *base, int64_t i, int64_t end) {
    const __m256i newline = _mm256_set1_epi8('\n');
    int64_t total = 0;
    while (i + 32 <= end) {
        __m256i acc = _mm256_setzero_si256();
        for (int rounds = 0; rounds < 255 && i + 32 <= end; rounds++, i += 32)
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(base + i)), newline));
        __m256i sums = _mm256_sad_epu8(acc, _mm256_setzero_si256());
        total += _mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1)
               + _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3);
    }
    for (; i < end; i++) total += base[i] == '\n';
    return total;
}

static int64_t count_newlines_sse2(const uint8_t *base, int64_t i, int64_t end) {
    const __m128i newline = _mm_set1_epi8('\n');
    int64_t total = 0;
    while (i + 16 <= end) {
        __m128i acc = _mm_setzero_si128();
        for (int rounds = 0; rounds < 255 && i + 16 <= end; rounds++, i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(base + i)), newline));
        __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
        total += _mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
    }
    for (; i < end; i++) total += base[i] == '\n';
    return total;
}

static int have_avx2(void) {
    static int known = -1;
    if (known < 0) known = __builtin_cpu_supports("avx2") ? 1 : 0;
    return known;
}

int64_t fl_probe_scan(const uint8_t *base, int64_t position, int64_t end, const fl_probe_set *set, uint32_t *mask) {
    if (have_avx2() && set->kernel != 2) {
        return set->nibbles && set->kernel == 0 ? nibble_scan_avx2(base, position, end, set, mask)
                                                : probe_scan_avx2(base, position, end, set, mask);
    }
    return probe_scan_sse2(base, position, end, set, mask);
}

int64_t fl_count_newlines(const uint8_t *base, int64_t start, int64_t end) {
    return have_avx2() ? count_newlines_avx2(base, start, end) : count_newlines_sse2(base, start, end);
}

const char *fl_scan_kernel(void) { return have_avx2() ? "avx2" : "sse2"; }

#else

int64_t fl_probe_scan(const uint8_t *base, int64_t i, int64_t end, const fl_probe_set *set, uint32_t *mask) {
    for (; i + 33 <= end; i += 32) {
        uint32_t m = 0;
        for (int lane = 0; lane < 32; lane++) {
            uint8_t v = base[i + lane], w = base[i + lane + 1];
            int hit = 0;
            for (int64_t k = 0; k < set->singleCount && !hit; k++) hit = v == set->singles[32 * k];
            for (int64_t k = 0; k < set->pairCount && !hit; k++)
                hit = v == set->pairs[64 * k] && w == set->pairs[64 * k + 32];
            if (hit) m |= 1u << lane;
        }
        if (m && (m = admitted_lanes(base + i, m, set->admitted))) { *mask = m; return i; }
    }
    *mask = 0;
    return i;
}

int64_t fl_count_newlines(const uint8_t *base, int64_t start, int64_t end) {
    int64_t total = 0;
    for (int64_t i = start; i < end; i++) total += base[i] == '\n';
    return total;
}

const char *fl_scan_kernel(void) { return "scalar"; }

#endif
