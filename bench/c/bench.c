/* wxpay through its C ABI on bench/workload.json, the cost a C or PHP shop
 * pays per operation. bench/c/run.py prepares the inputs and passes them as
 * arguments; every output is checked against the expected one before it is
 * timed. Prints one JSON object: operation id -> ns per call (median of 7
 * rounds).
 *
 *   make bench   (or: python3 bench/c/run.py after building bench/c/bench)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wxpay.h"

static const char *order_json, *notify, *prepay, *ticket, *noncestr, *url, *key;
static const char *v3_body, *v3_args, *v3_prepay_args;
static size_t notify_len, v3_body_len;
static unsigned long long timestamp;
static const struct wxpay_client *client;
static const struct wxpay_client_v3 *client_v3;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void fail(const char *what) {
    fprintf(stderr, "bench.c: %s failed: %s\n", what, wxpay_last_error_message());
    exit(1);
}

/* Each operation returns its output (freed by the caller) so it can be checked once. */
static char *sign_md5(void) {
    char *out = NULL;
    if (wxpay_sign(order_json, key, "MD5", &out) != 0) fail("wxpay_sign");
    return out;
}
static char *sign_hmac(void) {
    char *out = NULL;
    if (wxpay_sign(order_json, key, "HMAC-SHA256", &out) != 0) fail("wxpay_sign");
    return out;
}
static char *verify_notify(void) {
    char *out = NULL;
    if (wxpay_client_verify_payment_notify(client, notify, notify_len, 0, &out) != 0) fail("verify");
    return out;
}
static char *bridge_params(void) {
    char *out = NULL;
    if (wxpay_client_jsapi_params(client, prepay, &out) != 0) fail("jsapi_params");
    return out;
}
static char *jssdk_signature(void) {
    char *out = NULL;
    if (wxpay_jssdk_signature(ticket, noncestr, timestamp, url, &out) != 0) fail("jssdk_signature");
    return out;
}

/* API v3: a notification verified and decrypted at the case's time, and
   JSAPI pay params signed with RSA. */
static char *v3_notification(void) {
    char *out = NULL;
    if (wxpay_client_v3_call_body(client_v3, "parse_notification", v3_body, v3_body_len, v3_args, &out) != 0)
        fail("v3 parse_notification");
    return out;
}
static char *v3_jsapi_params(void) {
    char *out = NULL;
    if (wxpay_client_v3_jsapi_params(client_v3, v3_prepay_args, &out) != 0) fail("v3 jsapi_params");
    return out;
}
static double per_call(char *(*op)(void), long n) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++) wxpay_string_free(op());
    return (now_ns() - t0) / (double)n;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double measure(char *(*op)(void)) {
    long n = 1;
    while (per_call(op, n) * (double)n < 20e6) n *= 2; /* 20 ms a round */
    double rounds[7];
    for (int r = 0; r < 7; r++) rounds[r] = per_call(op, n);
    qsort(rounds, 7, sizeof rounds[0], by_value);
    return rounds[3];
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(1); }
    buf[size] = '\0';
    fclose(f);
    if (len) *len = (size_t)size;
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 17) {
        fprintf(stderr, "usage: bench ORDER.json NOTIFY.xml CONFIG.json KEY PREPAY TICKET NONCE TIMESTAMP URL "
                        "EXPECT_MD5 EXPECT_HMAC EXPECT_JSSDK CONFIG_V3.json V3_BODY V3_ARGS.json V3_OUT_TRADE_NO\n");
        return 2;
    }
    order_json = read_file(argv[1], NULL);
    notify = read_file(argv[2], &notify_len);
    const char *config = read_file(argv[3], NULL);
    key = argv[4];
    prepay = argv[5];
    ticket = argv[6];
    noncestr = argv[7];
    timestamp = strtoull(argv[8], NULL, 10);
    url = argv[9];
    struct wxpay_client *c = NULL;
    if (wxpay_client_new(config, &c) != 0) fail("wxpay_client_new");
    client = c;
    struct wxpay_client_v3 *c3 = NULL;
    if (wxpay_client_v3_new(read_file(argv[13], NULL), &c3) != 0) fail("wxpay_client_v3_new");
    client_v3 = c3;
    v3_body = read_file(argv[14], &v3_body_len);
    v3_args = read_file(argv[15], NULL);
    static char prepay_args[256], out_trade_no[128];
    snprintf(prepay_args, sizeof prepay_args, "[\"%s\"]", prepay);
    v3_prepay_args = prepay_args;
    snprintf(out_trade_no, sizeof out_trade_no, "\"out_trade_no\":\"%s\"", argv[16]);

    struct { const char *id; char *(*op)(void); const char *expect; const char *contains; } ops[] = {
        {"sign_md5", sign_md5, argv[10], NULL},
        {"sign_hmac", sign_hmac, argv[11], NULL},
        {"verify_notify", verify_notify, NULL, "\"paid\":true"},
        {"bridge_params", bridge_params, NULL, "\"package\":\"prepay_id="},
        {"jssdk_signature", jssdk_signature, argv[12], NULL},
        {"v3_notification", v3_notification, NULL, out_trade_no},
        {"v3_jsapi_params", v3_jsapi_params, NULL, "\"signType\":\"RSA\""},
    };
    printf("{");
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        char *out = ops[i].op();
        int agrees = ops[i].expect ? strcmp(out, ops[i].expect) == 0 : strstr(out, ops[i].contains) != NULL;
        wxpay_string_free(out);
        if (!agrees) {
            printf("%s\"%s\": null", i ? ", " : "", ops[i].id); /* a disagreement is reported, not timed */
            continue;
        }
        printf("%s\"%s\": %.0f", i ? ", " : "", ops[i].id, measure(ops[i].op));
        fflush(stdout);
    }
    printf("}\n");
    wxpay_client_free(c);
    wxpay_client_v3_free(c3);
    return 0;
}
