// ldap_bench — scripts/bench password's LDAP lines: postern-password's LDAP-backed Authenticate
// against raw libldap simple binds from C to the same slapd, interleaved so that drift weighs on
// both alike.
//
//   ldap_bench latency PATH ROUNDS URI DN PASSWORD AUTH_HEX
//
// Each round takes three samples in an order that rotates: one raw bind on a fresh connection
// (ldap_initialize, ldap_sasl_bind_s as DN with PASSWORD, ldap_unbind_ext), one raw bind on a
// connection kept from round to round (what postern-password's pool does), and one round trip of
// the framed Authenticate request AUTH_HEX on one connection to the daemon at PATH. Prints, in
// microseconds, the medians of the fresh bind and of Authenticate, the median over rounds of one
// round's Authenticate time over its fresh bind's, and the kept bind's median:
//
//   fresh_median auth_median auth_over_fresh kept_median
//
//   ldap_bench throughput PATH SECONDS URI DN PASSWORD AUTH_HEX CONNECTIONS
//
// Alternates one-second windows: CONNECTIONS threads each binding over and over on a connection
// of its own (kept and re-bound: libldap's best case), then CONNECTIONS threads each calling
// Authenticate over and over on a connection of its own to the daemon. SECONDS of each in all.
// Prints both rates:
//
//   auth_per_second raw_binds_per_second
#include <ldap.h>
#include <pthread.h>

#include "bench_io.h"

static const char *uri, *dn, *password;
static unsigned char *auth_request;
static size_t auth_length;

static LDAP *open_ldap(void) {
    LDAP *ld = NULL;
    int version = LDAP_VERSION3;
    if (ldap_initialize(&ld, uri) != LDAP_SUCCESS) { fprintf(stderr, "ldap_initialize failed\n"); exit(2); }
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    return ld;
}

static void bind_once(LDAP *ld) {
    struct berval credentials = {.bv_len = strlen(password), .bv_val = (char *)password};
    int rc = ldap_sasl_bind_s(ld, dn, NULL, &credentials, NULL, NULL, NULL);
    if (rc != LDAP_SUCCESS) { fprintf(stderr, "raw bind failed: %s\n", ldap_err2string(rc)); exit(2); }
}

static double raw_fresh_bind(void) {
    double start = now_us();
    LDAP *ld = open_ldap();
    bind_once(ld);
    ldap_unbind_ext(ld, NULL, NULL);
    return now_us() - start;
}

static double authenticate(int fd, unsigned char *buffer) { return round_trip(fd, auth_request, auth_length, buffer); }

static double raw_kept_bind(LDAP *ld) {
    double start = now_us();
    bind_once(ld);
    return now_us() - start;
}

static int latency(const char *path, int rounds) {
    int fd = connect_to(path);
    static unsigned char buffer[65536];
    LDAP *kept = open_ldap();
    raw_fresh_bind();
    raw_kept_bind(kept);
    authenticate(fd, buffer);  // warm-up: the daemon's connection to slapd is made here
    double *fresh = malloc(sizeof(double) * (size_t)rounds), *auth = malloc(sizeof(double) * (size_t)rounds);
    double *reused = malloc(sizeof(double) * (size_t)rounds), *ratio = malloc(sizeof(double) * (size_t)rounds);
    for (int round = 0; round < rounds; round++) {
        for (int step = 0; step < 3; step++) {
            switch ((round + step) % 3) {
            case 0: fresh[round] = raw_fresh_bind(); break;
            case 1: reused[round] = raw_kept_bind(kept); break;
            default: auth[round] = authenticate(fd, buffer); break;
            }
        }
        ratio[round] = auth[round] / fresh[round];
    }
    printf("%.1f %.1f %.4f %.1f\n", median(fresh, rounds), median(auth, rounds), median(ratio, rounds), median(reused, rounds));
    ldap_unbind_ext(kept, NULL, NULL);
    return 0;
}

struct worker { int fd; LDAP *ld; double until; long count; };

static void *authenticate_until(void *argument) {
    struct worker *w = argument;
    unsigned char *buffer = malloc(65536);
    while (now_us() < w->until) {
        authenticate(w->fd, buffer);
        w->count++;
    }
    free(buffer);
    return NULL;
}

static void *bind_until(void *argument) {
    struct worker *w = argument;
    while (now_us() < w->until) {
        bind_once(w->ld);
        w->count++;
    }
    return NULL;
}

static long window(struct worker *workers, int n, void *(*body)(void *)) {
    pthread_t threads[64];
    double until = now_us() + 1e6;
    long total = 0;
    for (int i = 0; i < n; i++) {
        workers[i].until = until;
        workers[i].count = 0;
        pthread_create(&threads[i], NULL, body, &workers[i]);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        total += workers[i].count;
    }
    return total;
}

static int throughput(const char *path, int seconds, int connections) {
    if (connections < 1 || connections > 64) return 2;
    struct worker workers[64];
    for (int i = 0; i < connections; i++) {
        workers[i].fd = connect_to(path);
        workers[i].ld = open_ldap();
        bind_once(workers[i].ld);
    }
    long auth = 0, raw = 0;
    double auth_us = 0, raw_us = 0;
    for (int w = 0; w < seconds; w++) {
        double start = now_us();
        raw += window(workers, connections, bind_until);
        raw_us += now_us() - start;
        start = now_us();
        auth += window(workers, connections, authenticate_until);
        auth_us += now_us() - start;
    }
    printf("%.1f %.1f\n", auth / (auth_us / 1e6), raw / (raw_us / 1e6));
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 8 && !strcmp(argv[1], "latency")) {
        uri = argv[4]; dn = argv[5]; password = argv[6];
        auth_request = hex_decode(argv[7], &auth_length);
        return latency(argv[2], atoi(argv[3]));
    }
    if (argc == 9 && !strcmp(argv[1], "throughput")) {
        uri = argv[4]; dn = argv[5]; password = argv[6];
        auth_request = hex_decode(argv[7], &auth_length);
        return throughput(argv[2], atoi(argv[3]), atoi(argv[8]));
    }
    fprintf(stderr, "usage: ldap_bench latency PATH ROUNDS URI DN PASSWORD AUTH_HEX\n"
                    "       ldap_bench throughput PATH SECONDS URI DN PASSWORD AUTH_HEX CONNECTIONS\n");
    return 2;
}
