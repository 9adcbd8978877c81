// wxpay: the declarations of wxpay.h for PHP FFI::cdef (generated; do not edit)
typedef enum wxpay_status {
  WXPAY_OK = 0,
  WXPAY_E_CONFIG = 1,
  WXPAY_E_INVALID_INPUT = 2,
  WXPAY_E_XML = 3,
  WXPAY_E_SIGNATURE = 4,
  WXPAY_E_MISMATCH = 5,
  WXPAY_E_PROTOCOL = 6,
  WXPAY_E_BUSINESS = 7,
  WXPAY_E_MP_API = 8,
  WXPAY_E_TRANSPORT = 9,
  WXPAY_E_CACHE = 10,
  WXPAY_E_NULL = 11,
  WXPAY_E_UTF8 = 12,
  WXPAY_E_INTERNAL = 99,
} wxpay_status;

typedef struct wxpay_client wxpay_client;

typedef struct wxpay_client_v3 wxpay_client_v3;

int32_t wxpay_client_new(const char *config_json, struct wxpay_client **out_client);

void wxpay_client_free(struct wxpay_client *client);

int32_t wxpay_client_call(const struct wxpay_client *client,
                          const char *op,
                          const char *args_json,
                          char **out_json);

int32_t wxpay_client_call_body(const struct wxpay_client *client,
                               const char *op,
                               const char *body,
                               size_t len,
                               const char *args_json,
                               char **out_json);

int32_t wxpay_client_unified_order(const struct wxpay_client *client,
                                   const char *order_json,
                                   char **out_json);

int32_t wxpay_client_jsapi_params(const struct wxpay_client *client,
                                  const char *prepay_id,
                                  char **out_json);

int32_t wxpay_client_jssdk_pay_params(const struct wxpay_client *client,
                                      const char *prepay_id,
                                      char **out_json);

int32_t wxpay_client_app_pay_params(const struct wxpay_client *client,
                                    const char *prepay_id,
                                    char **out_json);

int32_t wxpay_client_query_order(const struct wxpay_client *client,
                                 const char *query_json,
                                 char **out_json);

int32_t wxpay_client_close_order(const struct wxpay_client *client,
                                 const char *out_trade_no,
                                 char **out_json);

int32_t wxpay_client_refund(const struct wxpay_client *client,
                            const char *refund_json,
                            char **out_json);

int32_t wxpay_client_query_refund(const struct wxpay_client *client,
                                  const char *query_json,
                                  char **out_json);

int32_t wxpay_client_micropay(const struct wxpay_client *client,
                              const char *request_json,
                              char **out_json);

int32_t wxpay_client_reverse(const struct wxpay_client *client,
                             const char *out_trade_no,
                             char **out_json);

int32_t wxpay_client_auth_code_to_openid(const struct wxpay_client *client,
                                         const char *auth_code,
                                         char **out_openid);

int32_t wxpay_client_download_bill(const struct wxpay_client *client,
                                   const char *request_json,
                                   char **out_json);

int32_t wxpay_client_verify_payment_notify(const struct wxpay_client *client,
                                           const char *body,
                                           size_t len,
                                           uint64_t expected_total_fee,
                                           char **out_json);

int32_t wxpay_client_confirm_payment(const struct wxpay_client *client,
                                     const char *notify_json,
                                     char **out_json);

int32_t wxpay_client_check_amount(const struct wxpay_client *client,
                                  const char *notify_json,
                                  uint64_t total_fee);

int32_t wxpay_client_payment_notify_order(const struct wxpay_client *client,
                                          const char *body,
                                          size_t len,
                                          char **out_trade_no);

int32_t wxpay_client_settle_payment_notify(const struct wxpay_client *client,
                                           const char *body,
                                           size_t len,
                                           const char *order_json,
                                           char **out_json);

int32_t wxpay_client_parse_refund_notify(const struct wxpay_client *client,
                                         const char *body,
                                         size_t len,
                                         char **out_json);

int32_t wxpay_client_oauth_authorize_url(const struct wxpay_client *client,
                                         const char *redirect_uri,
                                         const char *scope,
                                         const char *state,
                                         char **out_url);

int32_t wxpay_client_oauth_state(const struct wxpay_client *client,
                                 const char *context,
                                 char **out_state);

int32_t wxpay_client_check_oauth_state(const struct wxpay_client *client,
                                       const char *state,
                                       const char *context,
                                       uint64_t max_age_secs);

int32_t wxpay_client_oauth_exchange_code(const struct wxpay_client *client,
                                         const char *code,
                                         char **out_json);

int32_t wxpay_client_access_token(const struct wxpay_client *client, char **out_token);

int32_t wxpay_client_jsapi_ticket(const struct wxpay_client *client, char **out_ticket);

int32_t wxpay_client_jssdk_config(const struct wxpay_client *client,
                                  const char *url,
                                  const char *js_api_list_json,
                                  char **out_json);

int32_t wxpay_client_download_fund_flow(const struct wxpay_client *client,
                                        const char *args_json,
                                        char **out_json);

int32_t wxpay_client_add_profit_sharing_receiver(const struct wxpay_client *client,
                                                 const char *args_json);

int32_t wxpay_client_remove_profit_sharing_receiver(const struct wxpay_client *client,
                                                    const char *args_json);

int32_t wxpay_client_profit_sharing(const struct wxpay_client *client,
                                    const char *args_json,
                                    char **out_json);

int32_t wxpay_client_query_profit_sharing(const struct wxpay_client *client,
                                          const char *args_json,
                                          char **out_json);

int32_t wxpay_client_finish_profit_sharing(const struct wxpay_client *client,
                                           const char *args_json,
                                           char **out_json);

int32_t wxpay_client_profit_sharing_unsplit_amount(const struct wxpay_client *client,
                                                   const char *args_json,
                                                   char **out_json);

int32_t wxpay_client_profit_sharing_return(const struct wxpay_client *client,
                                           const char *args_json,
                                           char **out_json);

int32_t wxpay_client_query_profit_sharing_return(const struct wxpay_client *client,
                                                 const char *args_json,
                                                 char **out_json);

int32_t wxpay_client_profit_sharing_max_ratio(const struct wxpay_client *client,
                                              const char *args_json,
                                              char **out_json);

int32_t wxpay_client_reconcile(const struct wxpay_client *client,
                               const char *args_json,
                               char **out_json);

int32_t wxpay_client_reconcile_start(const struct wxpay_client *client,
                                     const char *args_json,
                                     char **out_text);

int32_t wxpay_client_reconcile_bill(const struct wxpay_client *client, const char *args_json);

int32_t wxpay_client_reconcile_download_bill(const struct wxpay_client *client,
                                             const char *args_json);

int32_t wxpay_client_reconcile_shop(const struct wxpay_client *client, const char *args_json);

int32_t wxpay_client_reconcile_shop_csv(const struct wxpay_client *client, const char *args_json);

int32_t wxpay_client_reconcile_finish(const struct wxpay_client *client,
                                      const char *args_json,
                                      char **out_json);

int32_t wxpay_client_native_qr_link(const struct wxpay_client *client,
                                    const char *args_json,
                                    char **out_text);

int32_t wxpay_client_short_url(const struct wxpay_client *client,
                               const char *args_json,
                               char **out_text);

int32_t wxpay_client_verify_scan_callback(const struct wxpay_client *client,
                                          const char *args_json,
                                          char **out_json);

int32_t wxpay_client_native_scan_reply(const struct wxpay_client *client,
                                       const char *args_json,
                                       char **out_text);

int32_t wxpay_client_native_scan_refusal(const struct wxpay_client *client,
                                         const char *args_json,
                                         char **out_text);

int32_t wxpay_client_handle_refund_notify(const struct wxpay_client *client,
                                          const char *args_json,
                                          char **out_json);

int32_t wxpay_client_jscode2session(const struct wxpay_client *client,
                                    const char *args_json,
                                    char **out_json);

int32_t wxpay_client_metrics(const struct wxpay_client *client,
                             const char *args_json,
                             char **out_json);

int32_t wxpay_client_metrics_prometheus(const struct wxpay_client *client,
                                        const char *args_json,
                                        char **out_text);

int32_t wxpay_client_token_store_health(const struct wxpay_client *client,
                                        const char *args_json,
                                        char **out_json);

int32_t wxpay_client_v3_new(const char *config_json, struct wxpay_client_v3 **out_client);

void wxpay_client_v3_free(struct wxpay_client_v3 *client);

int32_t wxpay_client_v3_call(const struct wxpay_client_v3 *client,
                             const char *op,
                             const char *args_json,
                             char **out_json);

int32_t wxpay_client_v3_call_body(const struct wxpay_client_v3 *client,
                                  const char *op,
                                  const char *body,
                                  size_t len,
                                  const char *args_json,
                                  char **out_json);

int32_t wxpay_client_v3_prepay(const struct wxpay_client_v3 *client,
                               const char *args_json,
                               char **out_json);

int32_t wxpay_client_v3_jsapi_params(const struct wxpay_client_v3 *client,
                                     const char *args_json,
                                     char **out_json);

int32_t wxpay_client_v3_app_params(const struct wxpay_client_v3 *client,
                                   const char *args_json,
                                   char **out_json);

int32_t wxpay_client_v3_query_order(const struct wxpay_client_v3 *client,
                                    const char *args_json,
                                    char **out_json);

int32_t wxpay_client_v3_close_order(const struct wxpay_client_v3 *client,
                                    const char *args_json,
                                    char **out_json);

int32_t wxpay_client_v3_refund(const struct wxpay_client_v3 *client,
                               const char *args_json,
                               char **out_json);

int32_t wxpay_client_v3_query_refund(const struct wxpay_client_v3 *client,
                                     const char *args_json,
                                     char **out_json);

int32_t wxpay_client_v3_download_trade_bill(const struct wxpay_client_v3 *client,
                                            const char *args_json,
                                            char **out_json);

int32_t wxpay_client_v3_download_fund_flow_bill(const struct wxpay_client_v3 *client,
                                                const char *args_json,
                                                char **out_json);

int32_t wxpay_client_v3_encrypt_sensitive(const struct wxpay_client_v3 *client,
                                          const char *args_json,
                                          char **out_json);

const char *wxpay_last_error_message(void);

const char *wxpay_last_error_details(void);

void wxpay_string_free(char *s);

const char *wxpay_version(void);

int32_t wxpay_selftest_panic(void);

bool wxpay_events_pending(void);

int32_t wxpay_events_take(char **out_json);

int32_t wxpay_events_set_level(const char *level);

int32_t wxpay_sign(const char *params_json,
                   const char *api_key,
                   const char *sign_type,
                   char **out_sign);

int32_t wxpay_verify(const char *params_json,
                     const char *api_key,
                     const char *sign_type,
                     bool *out_valid);

int32_t wxpay_jssdk_signature(const char *jsapi_ticket,
                              const char *noncestr,
                              uint64_t timestamp,
                              const char *url,
                              char **out_signature);

int32_t wxpay_to_xml(const char *params_json, char **out_xml);

int32_t wxpay_from_xml(const char *data, size_t len, char **out_json);

int32_t wxpay_decrypt_req_info(const char *req_info, const char *api_key, char **out_json);

int32_t wxpay_notify_ack(char **out_xml);

int32_t wxpay_notify_fail(const char *message, char **out_xml);
