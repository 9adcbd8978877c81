/*
 * A WeChat Pay notify handler in the shape of a CGI program: the raw POST
 * body on stdin, the HTTP reply on stdout.
 *
 *   WXPAY_CONFIG='{"appid":"…","mch_id":"…","api_key":"…"}' \
 *   ORDER_TOTAL_FEE=990 ./notify_handler < notify.xml
 *
 * A real shop looks the order up by out_trade_no, compares the amount with
 * its own record (here ORDER_TOTAL_FEE), confirms with
 * wxpay_client_confirm_payment(), marks the order paid once, and only then
 * acknowledges. Any failure answers FAIL so WeChat sends it again later.
 */
#include <stdio.h>
#include <stdlib.h>

#include <wxpay.h>

static void reply(const char *xml) {
  printf("Content-Type: text/xml\r\n\r\n%s\n", xml);
}

static int fail(const char *why) {
  char *xml = NULL;
  fprintf(stderr, "notify refused: %s\n", why);
  if (wxpay_notify_fail("refused", &xml) == WXPAY_OK) {
    reply(xml);
    wxpay_string_free(xml);
  }
  return 1;
}

int main(void) {
  static char body[64 * 1024 + 1];
  size_t len = fread(body, 1, sizeof body, stdin);
  const char *config = getenv("WXPAY_CONFIG");
  const char *fee = getenv("ORDER_TOTAL_FEE");
  wxpay_client *client = NULL;
  if (!config || wxpay_client_new(config, &client) != WXPAY_OK)
    return fail(config ? wxpay_last_error_message() : "WXPAY_CONFIG is not set");

  char *notify = NULL;
  int rc = wxpay_client_verify_payment_notify(client, body, len, fee ? strtoull(fee, NULL, 10) : 0, &notify);
  if (rc != WXPAY_OK) {
    int status = fail(wxpay_last_error_message());
    wxpay_client_free(client);
    return status;
  }
  fprintf(stderr, "verified: %s\n", notify);
  wxpay_string_free(notify);
  wxpay_client_free(client);

  char *ack = NULL;
  if (wxpay_notify_ack(&ack) != WXPAY_OK) return fail(wxpay_last_error_message());
  reply(ack);
  wxpay_string_free(ack);
  return 0;
}
