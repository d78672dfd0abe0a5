// MIT libkrb5 (Debian's libkrb5-dev): initial credentials with a password, verified against a
// keytab, and password changes, for postern-password's Kerberos sources. The profile API builds
// each source's configuration in memory.
#include <krb5/krb5.h>
#include <profile.h>
