// argon2_bench N M_KIB T P: the baseline for scripts/bench password — N Argon2id hashes of a
// fixed password with libargon2 (the same library and parameters postern-password uses), one
// thread; prints the median and the fastest time per hash in microseconds.
#include <argon2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: argon2_bench N M_KIB T P\n");
        return 2;
    }
    int n = atoi(argv[1]);
    uint32_t m = (uint32_t)atoi(argv[2]), t = (uint32_t)atoi(argv[3]), p = (uint32_t)atoi(argv[4]);
    if (n < 1) return 2;
    const char *password = "bench password";
    unsigned char salt[16] = "0123456789abcdef", hash[32];
    double *us = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (argon2id_hash_raw(t, m, p, password, strlen(password), salt, sizeof salt, hash, sizeof hash) != ARGON2_OK) {
            fprintf(stderr, "argon2id_hash_raw failed\n");
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        us[i] = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
    }
    qsort(us, (size_t)n, sizeof(double), compare);
    printf("%.1f %.1f\n", us[n / 2], us[0]);
    free(us);
    return 0;
}
