/*
 * A WeChat Pay notify handler in the shape of a CGI program: the raw POST
 * body on stdin, the HTTP reply on stdout.
 *
 *   WXPAY_CONFIG='{"appid":"…","mch_id":"…","api_key":"…"}' \
 *   ORDER_TOTAL_FEE=990 ./notify_handler < notify.xml
 *
 * Two calls do the whole handler: wxpay_client_payment_notify_order() says
 * which order a verified payment is about, the shop looks it up (here the
 * record is ORDER_TOTAL_FEE, and ORDER_TRANSACTION_ID once paid), and
 * wxpay_client_settle_payment_notify() compares amount, currency and
 * transaction, confirms with orderquery and decides the reply. The order
 * is marked paid before the reply is sent; if that fails, answer an HTTP
 * error and WeChat sends the notification again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wxpay.h>

static void reply(const char *xml) {
  printf("Content-Type: text/xml\r\n\r\n%s\n", xml);
}

static int server_error(const char *why) {
  fprintf(stderr, "notify handler failed: %s\n", why);
  printf("Status: 500\r\nContent-Type: text/plain\r\n\r\nretry later\n");
  return 1;
}

/* The shop's record of the order, as JSON; "null" when it has none. */
static void find_order(const char *out_trade_no, char *out, size_t size) {
  const char *fee = getenv("ORDER_TOTAL_FEE");
  const char *paid_by = getenv("ORDER_TRANSACTION_ID");
  fprintf(stderr, "looking up order %s\n", out_trade_no);
  if (!fee) {
    snprintf(out, size, "null");
  } else if (paid_by) {
    snprintf(out, size, "{\"total_fee\":%llu,\"transaction_id\":\"%s\"}", strtoull(fee, NULL, 10), paid_by);
  } else {
    snprintf(out, size, "{\"total_fee\":%llu}", strtoull(fee, NULL, 10));
  }
}

/* The value of "name":"…" in the decision (enough for this example's fields). */
static const char *field(const char *json, const char *name, char *out, size_t size) {
  char key[64];
  snprintf(key, sizeof key, "\"%s\":\"", name);
  const char *at = strstr(json, key);
  out[0] = '\0';
  if (!at) return out;
  at += strlen(key);
  size_t n = strcspn(at, "\"");
  if (n >= size) n = size - 1;
  memcpy(out, at, n);
  out[n] = '\0';
  return out;
}

int main(void) {
  static char body[64 * 1024 + 1];
  size_t len = fread(body, 1, sizeof body, stdin);
  const char *config = getenv("WXPAY_CONFIG");
  wxpay_client *client = NULL;
  if (!config || wxpay_client_new(config, &client) != WXPAY_OK)
    return server_error(config ? wxpay_last_error_message() : "WXPAY_CONFIG is not set");

  char *out_trade_no = NULL, *decision = NULL, order[256] = "null";
  if (wxpay_client_payment_notify_order(client, body, len, &out_trade_no) != WXPAY_OK) {
    wxpay_client_free(client);
    return server_error(wxpay_last_error_message());
  }
  if (out_trade_no) find_order(out_trade_no, order, sizeof order);
  wxpay_string_free(out_trade_no);
  int rc = wxpay_client_settle_payment_notify(client, body, len, order, &decision);
  wxpay_client_free(client);
  if (rc != WXPAY_OK) return server_error(wxpay_last_error_message());

  char status[32], xml[512], no[64], txn[64];
  field(decision, "status", status, sizeof status);
  field(decision, "reply", xml, sizeof xml);
  if (strcmp(status, "paid") == 0) {
    /* Mark the order paid here, in one transaction, then answer. */
    fprintf(stderr, "order %s paid by %s\n", field(decision, "out_trade_no", no, sizeof no),
            field(decision, "transaction_id", txn, sizeof txn));
  } else {
    fprintf(stderr, "notification %s: %s\n", status, decision);
  }
  wxpay_string_free(decision);
  reply(xml);
  return 0;
}
