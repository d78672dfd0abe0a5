// Argon2 fills its whole memory with reads at data-dependent addresses, so with 4 KiB pages
// nearly every reference block costs a TLB miss; on 2 MiB pages the same hash ran 6–10%
// faster here (docs/benchmarks.md). glibc's malloc neither asks for huge pages nor keeps a
// 19 MiB block between calls, so libargon2 gets its memory from here instead.
#define _GNU_SOURCE
#include "CArgon2Memory.h"

#include <pthread.h>
#include <sys/mman.h>

static const size_t huge_page = (size_t)2 << 20;

struct kept_block {
    uint8_t *start;
    size_t size;
};

static _Thread_local struct kept_block kept;
static pthread_key_t release_key;
static pthread_once_t release_key_once = PTHREAD_ONCE_INIT;

/// An anonymous mapping of size (a multiple of huge_page) aligned to huge_page, so the kernel
/// can back all of it with huge pages.
static uint8_t *map_aligned(size_t size) {
    uint8_t *raw = mmap(NULL, size + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    uint8_t *start = (uint8_t *)(((uintptr_t)raw + huge_page - 1) & ~(uintptr_t)(huge_page - 1));
    if (start > raw) munmap(raw, (size_t)(start - raw));
    size_t tail = (size_t)(raw + size + huge_page - (start + size));
    if (tail) munmap(start + size, tail);
    madvise(start, size, MADV_HUGEPAGE);  // advice: without THP support it changes nothing
    return start;
}

static void release_kept(void *unused) {
    (void)unused;
    if (kept.start) munmap(kept.start, kept.size);
    kept = (struct kept_block){NULL, 0};
}

static void make_release_key(void) { pthread_key_create(&release_key, release_kept); }

static size_t rounded(size_t bytes) { return (bytes + huge_page - 1) & ~(huge_page - 1); }

int postern_argon2_allocate(uint8_t **memory, size_t bytes) {
    *memory = NULL;
    if (bytes == 0 || bytes > SIZE_MAX - 2 * huge_page) return -1;
    if (bytes <= kept.size) {
        *memory = kept.start;
        return 0;
    }
    size_t size = rounded(bytes);
    uint8_t *block = map_aligned(size);
    if (!block) return -1;
    if (size <= POSTERN_ARGON2_KEPT_BYTES_MAX) {
        pthread_once(&release_key_once, make_release_key);
        if (kept.start) munmap(kept.start, kept.size);
        kept = (struct kept_block){block, size};
        pthread_setspecific(release_key, &kept);  // non-NULL, so the key's destructor runs at thread exit
    }
    *memory = block;
    return 0;
}

void postern_argon2_free(uint8_t *memory, size_t bytes) {
    if (!memory || memory == kept.start) return;
    munmap(memory, rounded(bytes));
}

size_t postern_argon2_kept_bytes(void) { return kept.size; }
