//! The command line shared by `wxpay-sim` and `wxpay sim`.

use std::time::Duration;

use crate::{SimConfig, SimOptions, Simulator};

/// Help text.
pub const HELP: &str = "wxpay-sim — an offline WeChat Pay v2 / MP / OAuth simulator

Usage: wxpay-sim [--host 127.0.0.1] [--port 0] [--appid A] [--mch-id M] [--api-key K]
                 [--app-secret S] [--openid O] [--time-scale F] [--token-ttl SECONDS]
                 [--instant-bills] [--tls-port N] [--v3-keys certificate|public-key|migrating]

Serves on one base URL the paths of api.mch.weixin.qq.com, api.weixin.qq.com
and open.weixin.qq.com, plus /sim/jsbridge.js and /sim/jweixin.js for pages,
and /sim/stats, /sim/orders/{out_trade_no}, /sim/notifications, /sim/faults.
The first line printed is `wxpay-sim listening on http://HOST:PORT`.

--tls-port also serves every path over HTTPS on that port (0: any free
one), with a CA and a merchant API client certificate made at start-up:
/secapi/pay/refund over HTTPS then needs that certificate, as on WeChat.
The second line printed is `wxpay-sim HTTPS on https://HOST:PORT`; fetch
the PEM files from /sim/tls/ca.pem (trust it: ca_pem in the client
options), /sim/tls/apiclient_cert.pem and /sim/tls/apiclient_key.pem.

API v3 (/v3/…) is served on the same base URL for the same merchant: its
API certificate and key, the APIv3 key wxpaysim0apiv30key00000000000001
and WeChat's keys are the test keys of tests/vectors/v3/keys. --v3-keys says
what WeChat signs with: platform certificates only, the WeChat Pay public
key only (PUB_KEY_ID_0114232025120400000000000000000001; /v3/certificates
answers 404), or migrating (the default: both, answers signed as the
request's Wechatpay-Serial asks).

Defaults are the test merchant of WeChat's own examples:
  appid wxd930ea5d5a258f4f, mch_id 10000100,
  api_key 192006250b4c09247ec02edce69f6a2d, app_secret wxpaysim0app0secret0000000000000,
  openid oUpF8uMuAJO_M2pxb1Q9zNjWeS6o.

It also plays a service provider (服务商) with two sub-merchants:
  provider appid wx8888888888888888, mch_id 1900000100,
  api_key wxpaysim0service0provider0key001;
  sub_mch_id 1900000109 (sub_appid wx1111111111111111, the shopper's
  sub_openid oSubTeaHouse0Shopper000000001) and sub_mch_id 1900000110
  (sub_appid wx2222222222222222, sub_openid oSubBookshop0Shopper000000002).
Its calls must name one of these sub-merchants (downloadbill may leave it
out for all of them) and a sub_appid bound to it; a sub-merchant sees only
its own orders. Pay params are checked against the account the payer was
named under: the sub_appid with sub_openid, the provider's appid with openid.
Order numbers are unique across the whole simulator.

--time-scale multiplies the notification retry schedule (15s, 15s, 30s, 3m …),
the 5 minutes before an order may be closed and a customer's typing time;
0.01 makes 15 s into 0.15 s.

The counter (/pay/micropay, /secapi/pay/reverse): a payment code is 18
digits starting 10-15; its last four digits say what the customer does:
  0xxx  pays at once
  1xxx  is asked for the password (USERPAYING) and pays xxx seconds later
  2xxx  is asked for the password and never finishes
  3xxx  has too little balance (NOTENOUGH)
  4xxx  shows an expired code (AUTHCODEEXPIRE)
  5xxx  the answer is SYSTEMERROR, but the payment went through
  6xxx  the answer is SYSTEMERROR, and the payment failed (PAYERROR)
e.g. 134567890123450000 pays at once, 134567890123451010 pays after 10 s.
A reverse ends an order REVOKED (a paid one is refunded); the `recall`
fault makes the next reverse answer recall=Y without doing anything.

Example:
  wxpay-sim --port 8400 --time-scale 0.01
";

/// Runs the simulator with command-line `args`; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    match parse(args) {
        Ok(None) => {
            print!("{HELP}");
            0
        }
        Ok(Some((config, options, host, port, tls_port))) => {
            match Simulator::start_with(config, options, &host, port) {
                Ok(sim) => {
                    println!("wxpay-sim listening on {}", sim.base_url());
                    if let Some(tls_port) = tls_port {
                        match sim.listen_tls(&host, tls_port) {
                            Ok(url) => println!("wxpay-sim HTTPS on {url}"),
                            Err(e) => {
                                eprintln!("wxpay-sim: cannot start HTTPS: {e}");
                                return 1;
                            }
                        }
                    }
                    loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    }
                }
                Err(e) => {
                    eprintln!("wxpay-sim: cannot start: {e}");
                    1
                }
            }
        }
        Err(message) => {
            eprintln!("wxpay-sim: {message}");
            2
        }
    }
}

type Parsed = (SimConfig, SimOptions, String, u16, Option<u16>);

fn parse(args: &[String]) -> Result<Option<Parsed>, String> {
    let mut config = SimConfig::default();
    let mut options = SimOptions::default();
    let mut host = "127.0.0.1".to_owned();
    let mut port = 0u16;
    let mut tls_port = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (arg.as_str(), None),
        };
        if name == "--help" || name == "-h" {
            return Ok(None);
        }
        if name == "--instant-bills" {
            options.instant_bills = true;
            continue;
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "--host" => host = value()?,
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| "--port must be a number from 0 to 65535".to_owned())?
            }
            "--tls-port" => {
                tls_port = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--tls-port must be a number from 0 to 65535".to_owned())?,
                )
            }
            "--appid" => config.appid = value()?,
            "--mch-id" => config.mch_id = value()?,
            "--api-key" => config.api_key = value()?,
            "--app-secret" => config.app_secret = value()?,
            "--openid" => config.openid = value()?,
            "--v3-keys" => {
                config.v3_keys = crate::v3::V3Keys::parse(&value()?).ok_or_else(|| {
                    "--v3-keys must be certificate, public-key or migrating".to_owned()
                })?
            }
            "--time-scale" => {
                config.time_scale = value()?
                    .parse()
                    .ok()
                    .filter(|f: &f64| f.is_finite() && *f >= 0.0)
                    .ok_or_else(|| "--time-scale must be a number ≥ 0".to_owned())?
            }
            "--token-ttl" => {
                config.token_ttl = value()?
                    .parse()
                    .ok()
                    .filter(|t| *t >= 2)
                    .ok_or_else(|| "--token-ttl must be whole seconds ≥ 2".to_owned())?
            }
            other => return Err(format!("unknown option {other}; see --help")),
        }
    }
    wxpay::ApiKey::new(&config.api_key).map_err(|e| e.to_string())?;
    Ok(Some((config, options, host, port, tls_port)))
}
