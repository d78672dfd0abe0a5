// libcrypto (OpenSSL 3): PBKDF2, scrypt, SHA-256, HMAC, AES-GCM, constant-time comparison,
// random bytes.
// SHA256_CTX and its functions are deprecated in OpenSSL 3 but still there; the keyed
// HMAC-SHA-256 of a login copies such a state by value, with no allocation (HMACSHA256.Keyed).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
