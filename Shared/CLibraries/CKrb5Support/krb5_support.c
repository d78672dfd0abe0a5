#include "krb5_support.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <profile.h>

struct memory_profile {
    size_t count;
    char **paths;
    char **values;
};

static void release(struct memory_profile *p) {
    if (!p) return;
    for (size_t i = 0; i < p->count; i++) {
        free(p->paths[i]);
        free(p->values[i]);
    }
    free(p->paths);
    free(p->values);
    free(p);
}

static struct memory_profile *make(const char *const *paths, const char *const *values, size_t count) {
    struct memory_profile *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->paths = calloc(count ? count : 1, sizeof(char *));
    p->values = calloc(count ? count : 1, sizeof(char *));
    if (!p->paths || !p->values) { release(p); return NULL; }
    for (size_t i = 0; i < count; i++) {
        p->paths[i] = strdup(paths[i]);
        p->values[i] = strdup(values[i]);
        p->count = i + 1;
        if (!p->paths[i] || !p->values[i]) { release(p); return NULL; }
    }
    return p;
}

/* names joined with '/', or NULL when out of memory. */
static char *joined(const char *const *names) {
    size_t length = 1;
    for (const char *const *n = names; *n; n++) length += strlen(*n) + 1;
    char *out = malloc(length);
    if (!out) return NULL;
    out[0] = '\0';
    for (const char *const *n = names; *n; n++) {
        if (n != names) strcat(out, "/");
        strcat(out, *n);
    }
    return out;
}

static long get_values(void *cbdata, const char *const *names, char ***ret_values) {
    struct memory_profile *p = cbdata;
    char *path = joined(names);
    if (!path) return ENOMEM;
    size_t found = 0;
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->paths[i], path)) found++;
    if (!found) {
        free(path);
        // As libkrb5's own profile answers for nothing there, section or not (its plugin
        // loader takes PROF_NO_SECTION for a failure).
        return PROF_NO_RELATION;
    }
    char **list = calloc(found + 1, sizeof(char *));
    if (!list) { free(path); return ENOMEM; }
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++) {
        if (strcmp(p->paths[i], path)) continue;
        list[n] = strdup(p->values[i]);
        if (!list[n]) {
            for (size_t j = 0; j < n; j++) free(list[j]);
            free(list);
            free(path);
            return ENOMEM;
        }
        n++;
    }
    free(path);
    *ret_values = list;
    return 0;
}

static void free_values(void *cbdata, char **values) {
    (void)cbdata;
    if (!values) return;
    for (char **v = values; *v; v++) free(*v);
    free(values);
}

static void cleanup(void *cbdata) { release(cbdata); }

static long copy(void *cbdata, void **ret_cbdata) {
    struct memory_profile *p = cbdata;
    struct memory_profile *c = make((const char *const *)p->paths, (const char *const *)p->values, p->count);
    if (!c) return ENOMEM;
    *ret_cbdata = c;
    return 0;
}

long postern_krb5_memory_profile(const char *const *paths, const char *const *values, size_t count,
                                 struct _profile_t **profile) {
    struct memory_profile *p = make(paths, values, count);
    if (!p) return ENOMEM;
    struct profile_vtable vtable = {
        .minor_ver = 1, .get_values = get_values, .free_values = free_values, .cleanup = cleanup, .copy = copy,
    };
    long rc = profile_init_vtable(&vtable, p, profile);
    if (rc) release(p);
    return rc;
}

krb5_error_code postern_krb5_build_principal(krb5_context context, krb5_principal *principal, unsigned int realm_length,
                                             const char *realm, const char *component) {
    return krb5_build_principal(context, principal, realm_length, realm, component, (char *)NULL);
}
