// libxcrypt's crypt_r: bcrypt ($2b$), sha512crypt ($6$), yescrypt ($y$).
#include <crypt.h>
