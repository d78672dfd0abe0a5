// password_bench — the measurements of scripts/bench password, interleaved so that a
// neighbour's load or a frequency change on a shared machine weighs on the baseline and the
// daemon alike instead of on whichever ran during it.
//
//   password_bench latency PATH ROUNDS M_KIB T P KNOWN_HEX WRONG_HEX UNKNOWN_HEX
//
// Each round takes four samples: one Argon2id hash with libargon2 in this process (the same
// library and parameters postern-password uses, one thread: the baseline) and one round trip
// of each framed Authenticate request (known user and right password, wrong password,
// unknown user) on one connection to the daemon at PATH, in an order that rotates each round.
// Prints, in microseconds, then the medians over rounds of one round's unknown-user time over
// its wrong-password time and of its known-user time over its raw hash (each pair taken
// moments apart, so drift between rounds cancels):
//
//   raw_median raw_fastest known_median wrong_median unknown_median unknown_over_wrong known_over_raw
//
//   password_bench throughput PATH SECONDS M_KIB T P KNOWN_HEX CONNECTIONS
//
// Alternates one-second windows: hashing with libargon2 on one thread here, then KNOWN_HEX
// calls on CONNECTIONS connections (a thread each, sequential calls), SECONDS of each in all.
// Prints the daemon's calls per second and the mean time of one raw hash in microseconds:
//
//   calls_per_second raw_hash_us
//
//   password_bench calls PATH ROUNDS HEX...
//
// On one connection, each round sends each framed request once, in an order that rotates each
// round. Prints each request's median round trip in microseconds, in the order given.
//
//   password_bench versus PATH ROUNDS M_KIB T P HEX...
//
// As calls, with one raw libargon2 hash (M_KIB, T, P) in each round's rotation too; prints the
// raw hash's median first, then each request's (scripts/bench history).
#include <argon2.h>
#include <pthread.h>

#include "bench_io.h"

enum { RAW, KNOWN, WRONG, UNKNOWN, KINDS };

static unsigned char *requests[KINDS];
static size_t request_lengths[KINDS];
static uint32_t m_kib, t_cost, parallelism;

static void raw_hash(void) {
    static const char password[] = "bench password";
    unsigned char salt[16] = "0123456789abcdef", hash[32];
    if (argon2id_hash_raw(t_cost, m_kib, parallelism, password, sizeof password - 1, salt, sizeof salt, hash,
                          sizeof hash) != ARGON2_OK) {
        fprintf(stderr, "argon2id_hash_raw failed\n");
        exit(1);
    }
}

static double sample(int kind, int fd, unsigned char *buffer) {
    double start = now_us();
    if (kind == RAW) {
        raw_hash();
    } else {
        write_all(fd, requests[kind], request_lengths[kind]);
        if (read_frame(fd, buffer)) {
            fprintf(stderr, "connection closed\n");
            exit(2);
        }
    }
    return now_us() - start;
}

static int latency(const char *path, int rounds) {
    int fd = connect_to(path);
    static unsigned char buffer[65536];
    for (int kind = 0; kind < KINDS; kind++) sample(kind, fd, buffer);  // warm-up
    double *samples[KINDS];
    for (int kind = 0; kind < KINDS; kind++) samples[kind] = malloc(sizeof(double) * (size_t)rounds);
    for (int round = 0; round < rounds; round++)
        for (int step = 0; step < KINDS; step++) {
            int kind = (round + step) % KINDS;
            samples[kind][round] = sample(kind, fd, buffer);
        }
    // Paired before `median` sorts the samples in place.
    double *unknown_over_wrong = malloc(sizeof(double) * (size_t)rounds);
    double *known_over_raw = malloc(sizeof(double) * (size_t)rounds);
    for (int round = 0; round < rounds; round++) {
        unknown_over_wrong[round] = samples[UNKNOWN][round] / samples[WRONG][round];
        known_over_raw[round] = samples[KNOWN][round] / samples[RAW][round];
    }
    double raw = median(samples[RAW], rounds);
    printf("%.1f %.1f %.1f %.1f %.1f %.4f %.4f\n", raw, samples[RAW][0], median(samples[KNOWN], rounds),
           median(samples[WRONG], rounds), median(samples[UNKNOWN], rounds), median(unknown_over_wrong, rounds),
           median(known_over_raw, rounds));
    return 0;
}

struct caller { int fd; double until; long calls; };

static void *call_until(void *argument) {
    struct caller *c = argument;
    unsigned char *buffer = malloc(65536);
    while (now_us() < c->until) {
        write_all(c->fd, requests[KNOWN], request_lengths[KNOWN]);
        if (read_frame(c->fd, buffer)) {
            fprintf(stderr, "connection closed\n");
            exit(2);
        }
        c->calls++;
    }
    free(buffer);
    return NULL;
}

static int throughput(const char *path, int seconds, int connections) {
    if (connections < 1 || connections > 64) return 2;
    struct caller callers[64];
    pthread_t threads[64];
    for (int i = 0; i < connections; i++) callers[i].fd = connect_to(path);
    double daemon_us = 0, raw_us = 0;
    long calls = 0, hashes = 0;
    for (int window = 0; window < seconds; window++) {
        double start = now_us();
        while (now_us() < start + 1e6) {
            raw_hash();
            hashes++;
        }
        raw_us += now_us() - start;
        start = now_us();
        for (int i = 0; i < connections; i++) {
            callers[i].until = start + 1e6;
            callers[i].calls = 0;
            pthread_create(&threads[i], NULL, call_until, &callers[i]);
        }
        for (int i = 0; i < connections; i++) {
            pthread_join(threads[i], NULL);
            calls += callers[i].calls;
        }
        daemon_us += now_us() - start;
    }
    printf("%.1f %.1f\n", calls / (daemon_us / 1e6), raw_us / (double)hashes);
    return 0;
}

/* Slot 0 is the raw hash when with_raw; the requests follow. */
static int calls(const char *path, int rounds, int count, char **hex, int with_raw) {
    if (count < 1 || count > 16) return 2;
    int slots = count + with_raw;
    unsigned char *bodies[17] = {0};
    size_t lengths[17] = {0};
    double *samples[17];
    for (int i = 0; i < slots; i++) {
        if (i >= with_raw) bodies[i] = hex_decode(hex[i - with_raw], &lengths[i]);
        samples[i] = malloc(sizeof(double) * (size_t)rounds);
    }
    int fd = connect_to(path);
    static unsigned char buffer[65536];
    int warm_rounds = with_raw ? 1 : 10;
    for (int warm = 0; warm < warm_rounds; warm++)
        for (int i = with_raw; i < slots; i++) {
            write_all(fd, bodies[i], lengths[i]);
            if (read_frame(fd, buffer)) { fprintf(stderr, "connection closed\n"); return 2; }
        }
    for (int round = 0; round < rounds; round++)
        for (int step = 0; step < slots; step++) {
            int i = (round + step) % slots;
            double start = now_us();
            if (i < with_raw) {
                raw_hash();
            } else {
                write_all(fd, bodies[i], lengths[i]);
                if (read_frame(fd, buffer)) { fprintf(stderr, "connection closed\n"); return 2; }
            }
            samples[i][round] = now_us() - start;
        }
    count = slots;
    for (int i = 0; i < count; i++) printf(i ? " %.2f" : "%.2f", median(samples[i], rounds));
    printf("\n");
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: password_bench latency PATH ROUNDS M_KIB T P KNOWN_HEX WRONG_HEX UNKNOWN_HEX\n"
                    "       password_bench throughput PATH SECONDS M_KIB T P KNOWN_HEX CONNECTIONS\n"
                    "       password_bench calls PATH ROUNDS HEX...\n"
                    "       password_bench versus PATH ROUNDS M_KIB T P HEX...\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc >= 5 && !strcmp(argv[1], "calls")) {
        int rounds = atoi(argv[3]);
        if (rounds < 1 || rounds > 1000000) return usage();
        return calls(argv[2], rounds, argc - 4, argv + 4, 0);
    }
    if (argc >= 8 && !strcmp(argv[1], "versus")) {
        int rounds = atoi(argv[3]);
        if (rounds < 1 || rounds > 1000000) return usage();
        m_kib = (uint32_t)atoi(argv[4]), t_cost = (uint32_t)atoi(argv[5]), parallelism = (uint32_t)atoi(argv[6]);
        return calls(argv[2], rounds, argc - 7, argv + 7, 1);
    }
    if (argc < 8) return usage();
    int count = atoi(argv[3]);
    if (count < 1 || count > 100000) return usage();
    m_kib = (uint32_t)atoi(argv[4]), t_cost = (uint32_t)atoi(argv[5]), parallelism = (uint32_t)atoi(argv[6]);
    if (argc == 10 && !strcmp(argv[1], "latency")) {
        for (int kind = KNOWN; kind < KINDS; kind++) requests[kind] = hex_decode(argv[6 + kind], &request_lengths[kind]);
        return latency(argv[2], count);
    }
    if (argc == 9 && !strcmp(argv[1], "throughput")) {
        requests[KNOWN] = hex_decode(argv[7], &request_lengths[KNOWN]);
        return throughput(argv[2], count, atoi(argv[8]));
    }
    return usage();
}
