/*
 * Silent WeChat OAuth for the shopper's openid, as a CGI program.
 *
 *   WXPAY_CONFIG='{"appid":"…","mch_id":"…","api_key":"…","app_secret":"…"}' \
 *   SESSION_ID=… CALLBACK_URL=https://shop.example/cgi-bin/oauth QUERY_STRING='' ./oauth
 *
 * Without `code` in the query it redirects to WeChat with a signed `state`
 * bound to the shop's session id (SESSION_ID: however the shop's web server
 * identifies the browser); on the way back it checks that state against
 * the same session before exchanging the code. Nothing is stored: a callback
 * replayed in another browser, or an altered or stale state, is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wxpay.h>

/* The value of `name` in a query string (no percent-decoding needed: WeChat's
 * code and wxpay's state are letters, digits, `-` and `_`). */
static int query_value(const char *query, const char *name, char *out, size_t size) {
  size_t len = strlen(name);
  for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
    if (strncmp(p, name, len) == 0 && p[len] == '=') {
      size_t n = strcspn(p + len + 1, "&");
      if (n >= size) return 0;
      memcpy(out, p + len + 1, n);
      out[n] = '\0';
      return 1;
    }
  }
  return 0;
}

static int refuse(const char *why) {
  printf("Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\ncould not sign you in with WeChat\n");
  fprintf(stderr, "oauth refused: %s\n", why);
  return 1;
}

int main(void) {
  const char *config = getenv("WXPAY_CONFIG"), *session = getenv("SESSION_ID");
  const char *callback = getenv("CALLBACK_URL"), *query = getenv("QUERY_STRING");
  if (!config || !session || !callback) return refuse("WXPAY_CONFIG, SESSION_ID and CALLBACK_URL are needed");
  wxpay_client *client = NULL;
  if (wxpay_client_new(config, &client) != WXPAY_OK) return refuse(wxpay_last_error_message());

  char code[512], state[256];
  int status = 0;
  if (!query_value(query, "code", code, sizeof code)) {
    char *fresh = NULL, *url = NULL;
    if (wxpay_client_oauth_state(client, session, &fresh) == WXPAY_OK &&
        wxpay_client_oauth_authorize_url(client, callback, NULL, fresh, &url) == WXPAY_OK) {
      printf("Status: 302 Found\r\nLocation: %s\r\n\r\n", url);
    } else {
      status = refuse(wxpay_last_error_message());
    }
    wxpay_string_free(fresh);
    wxpay_string_free(url);
  } else if (!query_value(query, "state", state, sizeof state) ||
             wxpay_client_check_oauth_state(client, state, session, 0) != WXPAY_OK) {
    status = refuse("the state was not issued to this session");
  } else {
    char *token = NULL;
    if (wxpay_client_oauth_exchange_code(client, code, &token) == WXPAY_OK) {
      printf("Content-Type: application/json\r\n\r\n%s\n", token);  /* a real shop keeps the openid in its session */
    } else {
      status = refuse(wxpay_last_error_message());
    }
    wxpay_string_free(token);
  }
  wxpay_client_free(client);
  return status;
}
