// krb5_bench — scripts/bench password's Kerberos lines: postern-password's Kerberos-backed
// Authenticate against the same check made raw in C against the same KDC, interleaved.
//
//   krb5_bench latency PATH ROUNDS PRINCIPAL PASSWORD KEYTAB SERVICE AUTH_HEX
//
// KRB5_CONFIG names the KDC's krb5.conf. Each round takes two samples in an order that
// alternates: the raw check — a libkrb5 context, krb5_get_init_creds_password for PRINCIPAL
// with PASSWORD, krb5_verify_init_creds against KEYTAB for SERVICE, everything freed — and one
// round trip of the framed Authenticate request AUTH_HEX on one connection to the daemon at
// PATH. Prints, in microseconds, the two medians and the median over rounds of one round's
// Authenticate time over its raw check's:
//
//   raw_median auth_median auth_over_raw
#include <krb5/krb5.h>

#include "bench_io.h"

static const char *principal_name, *password, *keytab_name, *service_name;
static unsigned char *auth_request;
static size_t auth_length;

static void fail(krb5_context context, krb5_error_code rc, const char *what) {
    fprintf(stderr, "%s: %s\n", what, krb5_get_error_message(context, rc));
    exit(2);
}

static double raw_check(void) {
    double start = now_us();
    krb5_context context;
    krb5_error_code rc = krb5_init_context(&context);
    if (rc) { fprintf(stderr, "krb5_init_context failed\n"); exit(2); }
    krb5_principal client, service;
    if ((rc = krb5_parse_name(context, principal_name, &client))) fail(context, rc, "client");
    if ((rc = krb5_parse_name(context, service_name, &service))) fail(context, rc, "service");
    krb5_get_init_creds_opt *options;
    krb5_get_init_creds_opt_alloc(context, &options);
    krb5_creds creds;
    if ((rc = krb5_get_init_creds_password(context, &creds, client, password, NULL, NULL, 0, NULL, options)))
        fail(context, rc, "get_init_creds");
    krb5_keytab keytab;
    if ((rc = krb5_kt_resolve(context, keytab_name, &keytab))) fail(context, rc, "keytab");
    krb5_verify_init_creds_opt vopts;
    krb5_verify_init_creds_opt_init(&vopts);
    krb5_verify_init_creds_opt_set_ap_req_nofail(&vopts, 1);
    if ((rc = krb5_verify_init_creds(context, &creds, service, keytab, NULL, &vopts))) fail(context, rc, "verify");
    krb5_kt_close(context, keytab);
    krb5_free_cred_contents(context, &creds);
    krb5_get_init_creds_opt_free(context, options);
    krb5_free_principal(context, client);
    krb5_free_principal(context, service);
    krb5_free_context(context);
    return now_us() - start;
}

static double authenticate(int fd, unsigned char *buffer) { return round_trip(fd, auth_request, auth_length, buffer); }

int main(int argc, char **argv) {
    if (argc != 9 || strcmp(argv[1], "latency")) {
        fprintf(stderr, "usage: krb5_bench latency PATH ROUNDS PRINCIPAL PASSWORD KEYTAB SERVICE AUTH_HEX\n");
        return 2;
    }
    int rounds = atoi(argv[3]);
    principal_name = argv[4]; password = argv[5]; keytab_name = argv[6]; service_name = argv[7];
    auth_request = hex_decode(argv[8], &auth_length);
    int fd = connect_to(argv[2]);
    static unsigned char buffer[65536];
    raw_check();
    authenticate(fd, buffer);  // warm-up
    double *raw = malloc(sizeof(double) * (size_t)rounds), *auth = malloc(sizeof(double) * (size_t)rounds);
    double *ratio = malloc(sizeof(double) * (size_t)rounds);
    for (int round = 0; round < rounds; round++) {
        if (round % 2) {
            raw[round] = raw_check();
            auth[round] = authenticate(fd, buffer);
        } else {
            auth[round] = authenticate(fd, buffer);
            raw[round] = raw_check();
        }
        ratio[round] = auth[round] / raw[round];
    }
    printf("%.1f %.1f %.4f\n", median(raw, rounds), median(auth, rounds), median(ratio, rounds));
    return 0;
}
