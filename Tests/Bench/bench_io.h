// bench_io.h — what the C load generators of scripts/bench share: Postern's framing (4-byte
// big-endian length, then the body) over a blocking Unix socket, a clock and a sort order.
#ifndef POSTERN_BENCH_IO_H
#define POSTERN_BENCH_IO_H
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static unsigned char *hex_decode(const char *hex, size_t *length) {
    size_t n = strlen(hex) / 2;
    unsigned char *out = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
    *length = n;
    return out;
}

static int read_exactly(int fd, unsigned char *buffer, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buffer + got, n - got);
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    return 0;
}

static int write_all(int fd, const unsigned char *buffer, size_t n) {
    size_t sent = 0;
    while (sent < n) {
        ssize_t w = write(fd, buffer + sent, n - sent);
        if (w <= 0) return -1;
        sent += (size_t)w;
    }
    return 0;
}

/// Reads one frame into buffer (capacity 65536); -1 at end or on a frame too large.
static int read_frame(int fd, unsigned char *buffer) {
    uint32_t length;
    if (read_exactly(fd, (unsigned char *)&length, 4)) return -1;
    length = ntohl(length);
    if (length > 65536) return -1;
    return read_exactly(fd, buffer, length);
}

static int connect_to(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, path, sizeof address.sun_path - 1);
    if (connect(fd, (struct sockaddr *)&address, sizeof address)) { perror("connect"); exit(2); }
    return fd;
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/// The median of `n` samples (sorts them in place).
static inline double median(double *samples, int n) {
    qsort(samples, (size_t)n, sizeof(double), compare);
    return samples[n / 2];
}

/// One round trip of the framed request on `fd`, in microseconds; exits if the daemon hangs up.
static inline double round_trip(int fd, const unsigned char *request, size_t length, unsigned char *buffer) {
    double start = now_us();
    write_all(fd, request, length);
    if (read_frame(fd, buffer)) {
        fprintf(stderr, "connection closed\n");
        exit(2);
    }
    return now_us() - start;
}

#endif
