/*
 * Randomness and hashing through libsodium; see rand.h.
 */
#include "rand.h"

#include <sodium.h>

#include "err.h"

int
rand_init(void)
{
	return sodium_init() < 0 ? HERR_INTERNAL : 0;
}

void
rand_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];
	if (nbytes > sizeof buf)
		nbytes = sizeof buf;
	randombytes_buf(buf, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

uint32_t
rand_below(uint32_t bound)
{
	return randombytes_uniform(bound);
}

void
sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}
