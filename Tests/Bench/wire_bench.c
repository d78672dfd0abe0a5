// wire_bench.c — the load generator and the raw-C baseline for `scripts/bench wire`.
//
//   wire_bench serve PATH ANSWER_HEX        a blocking Unix-socket server, a thread per
//                                           connection: reads one frame, writes ANSWER
//   wire_bench rtt PATH REQUEST_HEX N       one connection, N sequential calls; prints
//                                           "p50_us p99_us" of the round trips
//   wire_bench throughput PATH REQUEST_HEX CONNECTIONS SECONDS
//                                           a thread per connection, sequential calls;
//                                           prints calls per second over all of them
//   wire_bench throughput-epoll PATH REQUEST_HEX CONNECTIONS SECONDS THREADS
//                                           the same calls driven by THREADS threads with
//                                           epoll, each over its share of the connections
//
// Frames are Postern's: 4-byte big-endian length, then the body. The client is the same
// for the baseline and for the daemon, so only the server differs between the two.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bench_io.h"

// ---- baseline server
static unsigned char *answer;
static size_t answer_length;

static void *serve_connection(void *argument) {
    int fd = (int)(intptr_t)argument;
    unsigned char buffer[65536];
    while (read_frame(fd, buffer) == 0)
        if (write_all(fd, answer, answer_length)) break;
    close(fd);
    return NULL;
}

static int serve(const char *path, const char *answer_hex) {
    signal(SIGPIPE, SIG_IGN);  // a client may hang up with a call in flight
    answer = hex_decode(answer_hex, &answer_length);
    unlink(path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, path, sizeof address.sun_path - 1);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 64)) {
        perror("bind/listen");
        return 2;
    }
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) continue;
        pthread_t thread;
        pthread_create(&thread, NULL, serve_connection, (void *)(intptr_t)fd);
        pthread_detach(thread);
    }
}

// ---- clients
static unsigned char *request;
static size_t request_length;

static int rtt(const char *path, long calls) {
    int fd = connect_to(path);
    unsigned char buffer[65536];
    double *samples = malloc(sizeof(double) * (size_t)calls);
    for (long i = 0; i < calls / 10; i++) {  // warm-up
        write_all(fd, request, request_length);
        if (read_frame(fd, buffer)) { fprintf(stderr, "connection closed\n"); return 2; }
    }
    for (long i = 0; i < calls; i++) {
        double start = now_us();
        write_all(fd, request, request_length);
        if (read_frame(fd, buffer)) { fprintf(stderr, "connection closed\n"); return 2; }
        samples[i] = now_us() - start;
    }
    qsort(samples, (size_t)calls, sizeof(double), compare);
    printf("%.2f %.2f\n", samples[calls / 2], samples[calls * 99 / 100]);
    return 0;
}

struct worker { const char *path; double until; long calls; };

static void *work(void *argument) {
    struct worker *w = argument;
    int fd = connect_to(w->path);
    unsigned char buffer[65536];
    while (now_us() < w->until) {
        write_all(fd, request, request_length);
        if (read_frame(fd, buffer)) break;
        w->calls++;
    }
    close(fd);
    return NULL;
}

static int throughput(const char *path, int connections, double seconds) {
    struct worker workers[256];
    pthread_t threads[256];
    if (connections > 256) connections = 256;
    double start = now_us();
    for (int i = 0; i < connections; i++) {
        workers[i] = (struct worker){path, start + seconds * 1e6, 0};
        pthread_create(&threads[i], NULL, work, &workers[i]);
    }
    long total = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        total += workers[i].calls;
    }
    printf("%.0f\n", total / ((now_us() - start) / 1e6));
    return 0;
}

struct pending { unsigned char data[65536 + 4]; size_t have; };
struct driver { const char *path; int first, count; double until; long calls; int failed; };
static struct pending buffers[256];

/// Drives connections [first, first + count) from one thread with epoll.
static void *drive(void *argument) {
    struct driver *d = argument;
    int poller = epoll_create1(0);
    int fds[256];
    for (int i = d->first; i < d->first + d->count; i++) {
        fds[i] = connect_to(d->path);
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(poller, EPOLL_CTL_ADD, fds[i], &event);
        write_all(fds[i], request, request_length);
    }
    struct epoll_event events[256];
    while (now_us() < d->until) {
        int ready = epoll_wait(poller, events, 256, 1000);
        for (int e = 0; e < ready; e++) {
            int i = (int)events[e].data.u32;
            struct pending *p = &buffers[i];
            ssize_t r = read(fds[i], p->data + p->have, sizeof p->data - p->have);
            if (r <= 0) { d->failed = 1; return NULL; }
            p->have += (size_t)r;
            for (;;) {  // every whole answer: count it, send the next call
                if (p->have < 4) break;
                uint32_t length;
                memcpy(&length, p->data, 4);
                length = ntohl(length);
                if (length > 65536) { d->failed = 1; return NULL; }
                if (p->have < 4 + length) break;
                memmove(p->data, p->data + 4 + length, p->have - 4 - length);
                p->have -= 4 + length;
                d->calls++;
                write_all(fds[i], request, request_length);
            }
        }
    }
    for (int i = d->first; i < d->first + d->count; i++) close(fds[i]);
    close(poller);
    return NULL;
}

static int throughput_epoll(const char *path, int connections, double seconds, int threads) {
    if (connections > 256) connections = 256;
    if (threads < 1) threads = 1;
    if (threads > connections) threads = connections;
    struct driver drivers[256];
    pthread_t ids[256];
    double start = now_us();
    for (int t = 0, first = 0; t < threads; t++) {
        int count = connections / threads + (t < connections % threads);
        drivers[t] = (struct driver){path, first, count, start + seconds * 1e6, 0, 0};
        first += count;
        pthread_create(&ids[t], NULL, drive, &drivers[t]);
    }
    long total = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        if (drivers[t].failed) { fprintf(stderr, "connection closed or answer too large\n"); return 2; }
        total += drivers[t].calls;
    }
    printf("%.0f\n", total / ((now_us() - start) / 1e6));
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && !strcmp(argv[1], "serve")) return serve(argv[2], argv[3]);
    if (argc >= 5) request = hex_decode(argv[3], &request_length);
    if (argc == 5 && !strcmp(argv[1], "rtt")) return rtt(argv[2], atol(argv[4]));
    if (argc == 6 && !strcmp(argv[1], "throughput")) return throughput(argv[2], atoi(argv[4]), atof(argv[5]));
    if (argc == 7 && !strcmp(argv[1], "throughput-epoll"))
        return throughput_epoll(argv[2], atoi(argv[4]), atof(argv[5]), atoi(argv[6]));
    fprintf(stderr, "usage: wire_bench serve PATH ANSWER_HEX | rtt PATH REQUEST_HEX N | "
                    "throughput PATH REQUEST_HEX CONNECTIONS SECONDS | "
                    "throughput-epoll PATH REQUEST_HEX CONNECTIONS SECONDS THREADS\n");
    return 2;
}
