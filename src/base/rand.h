/*
 * Random tokens and hashing from libsodium: session tokens, CSRF tokens, request ids, and the
 * SHA-256 used by token storage and the audit chain.
 */
#ifndef HANNA_RAND_H
#define HANNA_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Initialises libsodium; call once at start. Returns 0 or HERR_INTERNAL. */
int rand_init(void);
/* Writes 2*nbytes lowercase hex characters and a NUL into out (size 2*nbytes+1). */
void rand_hex(char *out, size_t nbytes);
/* A uniformly random integer in [0, bound). */
uint32_t rand_below(uint32_t bound);
/* SHA-256 of data as 64 lowercase hex characters and a NUL into out[65]. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
