//! `wxpay-testing.node`: the wxpay simulator in a Node process, for
//! `wxpay/testing` in a shop's tests. An addon of its own, so the `wxpay`
//! addon a shop deploys carries no server.

use napi::{Error, Status};
use napi_derive::napi;

/// wxpay-sim in this process, for a shop's tests (`wxpay/testing`).
#[napi]
pub struct NativeSimulator {
    sim: wxpay_sim::Simulator,
}

#[napi]
impl NativeSimulator {
    #[napi(constructor)]
    /// `time_scale` absent: the simulator's default (real time).
    /// `v3_keys`: `certificate`, `public-key` or `migrating` (the default).
    pub fn new(
        time_scale: Option<f64>,
        instant_bills: bool,
        v3_keys: Option<String>,
    ) -> napi::Result<Self> {
        let time_scale = time_scale.unwrap_or(wxpay_sim::SimConfig::default().time_scale);
        let v3_keys = match v3_keys.as_deref() {
            None => wxpay_sim::v3::V3Keys::default(),
            Some(k) => wxpay_sim::v3::V3Keys::parse(k).ok_or_else(|| {
                Error::new(
                    Status::InvalidArg,
                    "v3Keys must be certificate, public-key or migrating".to_owned(),
                )
            })?,
        };
        if !time_scale.is_finite() || time_scale < 0.0 {
            return Err(Error::new(
                Status::InvalidArg,
                "timeScale must be a number >= 0".to_owned(),
            ));
        }
        let config = wxpay_sim::SimConfig {
            time_scale,
            v3_keys,
            ..Default::default()
        };
        let sim = wxpay_sim::Simulator::start_with(
            config,
            wxpay_sim::SimOptions { instant_bills },
            "127.0.0.1",
            0,
        )
        .map_err(|e| Error::from_reason(format!("cannot start the simulator: {e}")))?;
        Ok(NativeSimulator { sim })
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.sim.base_url()
    }

    /// The identity the simulator plays, as JSON: `{appid, mchId, apiKey,
    /// appSecret, openid, provider: {appid, mchId, apiKey, subMerchants},
    /// v3: {mchid, serial, privateKey, apiv3Key, publicKeyId, publicKey,
    /// platformCertificate, platformSerial}}`.
    #[napi]
    pub fn identity_json(&self) -> String {
        let c = self.sim.config();
        serde_json::json!({
            "appid": c.appid,
            "mchId": c.mch_id,
            "apiKey": c.api_key,
            "appSecret": c.app_secret,
            "openid": c.openid,
            "provider": {
                "appid": c.provider.appid,
                "mchId": c.provider.mch_id,
                "apiKey": c.provider.api_key,
                "subMerchants": c.provider.sub_merchants.iter().map(|s| serde_json::json!({
                    "subMchId": s.sub_mch_id, "subAppid": s.sub_appid, "subOpenid": s.sub_openid,
                })).collect::<Vec<_>>(),
            },
            "v3": {
                "mchid": c.mch_id,
                "serial": wxpay_sim::v3::merchant_serial(),
                "privateKey": wxpay_sim::v3::MERCHANT_KEY_PEM,
                "apiv3Key": wxpay_sim::v3::APIV3_KEY,
                "publicKeyId": wxpay_sim::v3::PUBLIC_KEY_ID,
                "publicKey": wxpay_sim::v3::PUBLIC_KEY_PEM,
                "platformCertificate": wxpay_sim::v3::PLATFORM_CERT_PEM,
                "platformSerial": wxpay_sim::v3::platform_serial(),
            },
        })
        .to_string()
    }

    /// Opens the HTTPS base URL (mutual TLS for /secapi/); returns it.
    #[napi]
    pub fn listen_tls(&self, host: String, port: u32) -> napi::Result<String> {
        let port = u16::try_from(port)
            .map_err(|_| Error::new(Status::InvalidArg, "port must be 0-65535".to_owned()))?;
        self.sim
            .listen_tls(&host, port)
            .map_err(|e| Error::from_reason(format!("cannot open HTTPS: {e}")))
    }

    /// `{ caPem, clientCertPem, clientKeyPem }` once HTTPS is open, else `null`.
    #[napi]
    pub fn tls_files_json(&self) -> String {
        let files = self.sim.tls_files().map(|f| {
            serde_json::json!({
                "caPem": f.ca_pem,
                "clientCertPem": f.client_cert_pem,
                "clientKeyPem": f.client_key_pem,
            })
        });
        serde_json::to_string(&files).unwrap_or_default()
    }

    #[napi]
    pub fn stats_json(&self) -> String {
        serde_json::to_string(&self.sim.stats()).unwrap_or_default()
    }

    #[napi]
    pub fn notifications_json(&self) -> String {
        serde_json::to_string(&self.sim.notifications()).unwrap_or_default()
    }

    #[napi]
    pub fn order_json(&self, out_trade_no: String) -> String {
        serde_json::to_string(&self.sim.order(&out_trade_no)).unwrap_or_default()
    }

    #[napi]
    pub fn add_fault(
        &self,
        path: String,
        kind: String,
        count: u32,
        delay_ms: u32,
    ) -> napi::Result<()> {
        let fault = wxpay_sim::Fault {
            path,
            kind,
            count,
            delay_ms: u64::from(delay_ms),
            status: None,
            ..Default::default()
        };
        self.sim
            .add_fault(fault)
            .map_err(|why| Error::new(Status::InvalidArg, why))
    }

    #[napi]
    pub fn pay_json(&self, params_json: String) -> napi::Result<String> {
        let params: serde_json::Value = serde_json::from_str(&params_json)
            .map_err(|e| Error::new(Status::InvalidArg, format!("params must be JSON: {e}")))?;
        Ok(self.sim.pay(&params).to_string())
    }

    #[napi]
    pub fn mini_login(&self, openid: Option<String>, errcode: Option<i64>) -> napi::Result<String> {
        self.sim
            .mini_login(openid.as_deref(), errcode)
            .map_err(|why| Error::new(Status::InvalidArg, why))
    }

    #[napi]
    pub fn stop(&self) {
        self.sim.stop();
    }
}
