#ifndef BRECQ_CCRYPTO_SHIM_H
#define BRECQ_CCRYPTO_SHIM_H
// SHA-256 from OpenSSL's libcrypto (Debian's libssl-dev) through one function:
// EVP_sha256() and friends are fine to import, but a single call keeps the
// Swift side free of OpenSSL's types and of its deprecated low-level API.
#include <stddef.h>
#include <openssl/evp.h>

/// Writes the 32-byte SHA-256 of `count` bytes at `data` to `digest`; returns 1 on success.
static inline int brecq_sha256(const void *data, size_t count, unsigned char digest[32]) {
    unsigned int length = 0;
    return EVP_Digest(data, count, digest, &length, EVP_sha256(), NULL) == 1 && length == 32;
}

#endif
