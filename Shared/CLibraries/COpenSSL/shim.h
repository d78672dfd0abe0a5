// libcrypto (OpenSSL 3): PBKDF2, scrypt, SHA-256, HMAC, AES-GCM, constant-time comparison,
// random bytes.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
