// libcrypto (OpenSSL 3): PBKDF2, scrypt, SHA-256, constant-time comparison, random bytes.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
