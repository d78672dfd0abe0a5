// What Swift cannot call in libkrb5 directly (variadic functions, a profile vtable), for
// postern-password's Kerberos sources.
//
// A libkrb5 profile held in memory: what a Kerberos source's krb5.conf would say (its realm,
// KDCs, kpasswd server, libdefaults), without a file. libkrb5's own profile keeps relations
// added in memory out of the copy each context makes, so this one is a profile vtable.
#ifndef POSTERN_KRB5_SUPPORT_H
#define POSTERN_KRB5_SUPPORT_H
#include <stddef.h>
#include <krb5/krb5.h>

struct _profile_t;

/// A profile whose relations are `count` pairs: `paths[i]` names the relation as its
/// section and names joined by '/' ("libdefaults/default_realm", "realms/EXAMPLE.COM/kdc"),
/// `values[i]` its value; a path may be given several times for several values. The strings
/// are copied. Returns 0, or an errno value. Release with profile_release().
long postern_krb5_memory_profile(const char *const *paths, const char *const *values, size_t count,
                                 struct _profile_t **profile);

/// krb5_build_principal (variadic) with one component: `component` is the whole first name,
/// whatever characters it holds ('@' and '/' included).
krb5_error_code postern_krb5_build_principal(krb5_context context, krb5_principal *principal, unsigned int realm_length,
                                             const char *realm, const char *component);
#endif
