// libargon2 (the reference implementation, Debian's libargon2-dev).
#include <argon2.h>
