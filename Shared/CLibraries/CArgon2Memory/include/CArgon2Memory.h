// Argon2 working memory for libargon2's allocate_cbk/free_cbk: one block per thread, kept
// between hashes and backed by transparent huge pages where the kernel allows
// (Shared/Crypto/Argon2.swift, docs/hashing.md).
#ifndef POSTERN_ARGON2_MEMORY_H
#define POSTERN_ARGON2_MEMORY_H
#include <stddef.h>
#include <stdint.h>

/// Blocks up to this size are kept by the thread that hashed with them; larger ones (an
/// imported hash with a big m) are unmapped after the hash.
#define POSTERN_ARGON2_KEPT_BYTES_MAX ((size_t)64 << 20)

/// libargon2's allocate_fptr: sets *memory to a block of at least bytes, or NULL.
int postern_argon2_allocate(uint8_t **memory, size_t bytes);

/// libargon2's deallocate_fptr. libargon2 has already wiped the block.
void postern_argon2_free(uint8_t *memory, size_t bytes);

/// The bytes the calling thread keeps between hashes (for tests).
size_t postern_argon2_kept_bytes(void);

#endif
