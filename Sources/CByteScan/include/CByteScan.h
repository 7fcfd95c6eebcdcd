#ifndef FAULTLINE_CBYTESCAN_H
#define FAULTLINE_CBYTESCAN_H

#include <stdint.h>
#include "ThreadPriority.h"

/// The probes of a literal-line prefilter, each splatted to a 32-byte vector:
/// `singles[k]` is one byte repeated, `pairs[2k]` and `pairs[2k+1]` the first
/// and second byte of an adjacent pair. Built once by the Swift side.
typedef struct {
    const uint8_t *singles;  // singleCount * 32 bytes, 32-byte aligned
    int64_t singleCount;
    const uint8_t *pairs;    // pairCount * 64 bytes, 32-byte aligned
    int64_t pairCount;
    /// The same probes grouped into 8 nibble buckets: four 32-byte shuffle
    /// tables (first byte's low and high nibble, second byte's low and high),
    /// 32-byte aligned. Used where the CPU has AVX2.
    const uint8_t *nibbles;
    /// 0: the best kernel this CPU has; 1: AVX2 probe by probe; 2: SSE2 (tests pin one to check each).
    int64_t kernel;
    /// One bit per byte pair (first << 8 | second) that some probe starts with (1024 words), or
    /// NULL: a lane whose pair is not admitted is dropped before the block is returned.
    const uint64_t *admitted;
} fl_probe_set;

/// Looks at `base[position ..< end]` 32 bytes at a time (a block needs one byte
/// more than its 32, for the pairs' second byte) and stops at the first block
/// where some probe matches: returns that block's offset and sets `*mask` to its
/// matching lanes (bit k = byte position + k). Returns the offset where fewer
/// than 33 bytes remain (and `*mask` = 0) when no block matches. With AVX2 the
/// lanes come from the nibble buckets and are a superset of the probes' hits:
/// the caller verifies every lane that `admitted` lets through.
int64_t fl_probe_scan(const uint8_t *base, int64_t position, int64_t end,
                      const fl_probe_set *set, uint32_t *mask);

/// The number of `\n` bytes in `base[start ..< end]`.
int64_t fl_count_newlines(const uint8_t *base, int64_t start, int64_t end);

/// Asks the CPU to bring the cache line at `address` in for writing, without waiting for it:
/// a hash table's slot, a few lookups before it is used.
static inline void fl_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }

/// Which vector kernel this CPU runs: "avx2", "sse2" or "scalar".
const char *fl_scan_kernel(void);

#endif
