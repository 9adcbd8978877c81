/*
 * Places a unified order and prints the parameters the page passes to
 * WeixinJSBridge.invoke('getBrandWCPayRequest', …).
 *
 *   ./checkout http://127.0.0.1:8400 order-0001 990     # against wxpay-sim
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wxpay.h>

static int die(const char *what) {
  fprintf(stderr, "%s: %s\n", what, wxpay_last_error_message());
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SIMULATOR_URL OUT_TRADE_NO TOTAL_FEE\n", argv[0]);
    return 2;
  }
  char config[512];
  snprintf(config, sizeof config,
           "{\"appid\":\"wxd930ea5d5a258f4f\",\"mch_id\":\"10000100\","
           "\"api_key\":\"192006250b4c09247ec02edce69f6a2d\",\"base_url\":\"%s\"}",
           argv[1]);
  wxpay_client *client = NULL;
  if (wxpay_client_new(config, &client) != WXPAY_OK) return die("client");

  char order[512];
  snprintf(order, sizeof order,
           "{\"body\":\"c-shop-book\",\"out_trade_no\":\"%s\",\"total_fee\":%s,"
           "\"spbill_create_ip\":\"127.0.0.1\",\"openid\":\"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o\","
           "\"notify_url\":\"https://shop.example/wxpay/notify\"}",
           argv[2], argv[3]);
  char *reply = NULL, *params = NULL;
  int status = 0;
  if (wxpay_client_unified_order(client, order, &reply) != WXPAY_OK) {
    status = die("unified order");
  } else {
    printf("unifiedorder: %s\n", reply);
    /* The reply is JSON; a real program would use a JSON parser here. */
    const char *start = strstr(reply, "\"prepay_id\":\"");
    char prepay[65] = {0};
    if (start) sscanf(start + 13, "%64[^\"]", prepay);
    if (wxpay_client_jsapi_params(client, prepay, &params) != WXPAY_OK) status = die("jsapi params");
    else printf("getBrandWCPayRequest: %s\n", params);
  }
  wxpay_string_free(reply);
  wxpay_string_free(params);
  wxpay_client_free(client);
  return status;
}
