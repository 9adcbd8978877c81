//! `wxpay_testing._sim`: wxpay-sim inside the Python process, for a shop's
//! own test-suite. A package of its own, so a production install of wxpay
//! carries no server.

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use wxpay_sim::{Fault, SimConfig, SimOptions, Simulator};

/// A value as Python objects, through JSON (counters, orders,
/// notifications: small and rare).
fn to_py<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<PyObject> {
    let text = serde_json::to_string(value)
        .map_err(|e| PyValueError::new_err(format!("cannot convert: {e}")))?;
    let json = py.import("json")?;
    Ok(json
        .call_method1("loads", (PyString::new(py, &text),))?
        .unbind())
}

/// A running simulator; `url` is its base URL. Stopped by `stop()` or when
/// garbage-collected.
#[pyclass(
    name = "NativeSimulator",
    module = "wxpay_testing._sim",
    frozen,
    subclass
)]
pub struct PySimulator {
    sim: Simulator,
}

#[pymethods]
impl PySimulator {
    /// Anything not given is the simulator's own default (its test
    /// merchant, real time, WeChat's token lifetime).
    #[new]
    #[pyo3(signature = (*, host="127.0.0.1", port=0, appid=None, mch_id=None, api_key=None, app_secret=None,
        openid=None, time_scale=None, token_ttl=None, instant_bills=false, v3_keys=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        host: &str,
        port: u16,
        appid: Option<String>,
        mch_id: Option<String>,
        api_key: Option<String>,
        app_secret: Option<String>,
        openid: Option<String>,
        time_scale: Option<f64>,
        token_ttl: Option<u64>,
        instant_bills: bool,
        v3_keys: Option<&str>,
    ) -> PyResult<Self> {
        let d = SimConfig::default();
        let v3_keys = match v3_keys {
            None => d.v3_keys,
            Some(k) => wxpay_sim::v3::V3Keys::parse(k).ok_or_else(|| {
                PyValueError::new_err("v3_keys must be certificate, public-key or migrating")
            })?,
        };
        let time_scale = time_scale.unwrap_or(d.time_scale);
        if !time_scale.is_finite() || time_scale < 0.0 {
            return Err(PyValueError::new_err("time_scale must be a number >= 0"));
        }
        let config = SimConfig {
            appid: appid.unwrap_or(d.appid),
            mch_id: mch_id.unwrap_or(d.mch_id),
            api_key: api_key.unwrap_or(d.api_key),
            app_secret: app_secret.unwrap_or(d.app_secret),
            openid: openid.unwrap_or(d.openid),
            time_scale,
            token_ttl: token_ttl.unwrap_or(d.token_ttl).max(2),
            token_overlap: d.token_overlap,
            provider: d.provider,
            v3_keys,
        };
        let host = host.to_owned();
        let sim = py
            .allow_threads(move || {
                Simulator::start_with(config, SimOptions { instant_bills }, &host, port)
            })
            .map_err(|e| PyOSError::new_err(format!("cannot start the simulator: {e}")))?;
        Ok(PySimulator { sim })
    }

    /// What the merchant platform hands an API v3 merchant of this
    /// simulator: `mchid`, `serial` (of the merchant API certificate),
    /// `private_key` (PEM), `apiv3_key`, `public_key_id`, `public_key`
    /// (PEM), `platform_certificate` (PEM) and `platform_serial`.
    #[getter]
    fn v3_merchant(&self, py: Python<'_>) -> PyResult<PyObject> {
        use wxpay_sim::v3;
        let d = pyo3::types::PyDict::new(py);
        d.set_item("mchid", self.sim.config().mch_id)?;
        d.set_item("serial", v3::merchant_serial())?;
        d.set_item("private_key", v3::MERCHANT_KEY_PEM)?;
        d.set_item("apiv3_key", v3::APIV3_KEY)?;
        d.set_item("public_key_id", v3::PUBLIC_KEY_ID)?;
        d.set_item("public_key", v3::PUBLIC_KEY_PEM)?;
        d.set_item("platform_certificate", v3::PLATFORM_CERT_PEM)?;
        d.set_item("platform_serial", v3::platform_serial())?;
        Ok(d.into_any().unbind())
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    #[getter]
    fn url(&self) -> String {
        self.sim.base_url()
    }

    /// The merchant's appid it plays.
    #[getter]
    fn appid(&self) -> String {
        self.sim.config().appid
    }

    /// The merchant number.
    #[getter]
    fn mch_id(&self) -> String {
        self.sim.config().mch_id
    }

    /// The merchant's API key.
    #[getter]
    fn api_key(&self) -> String {
        self.sim.config().api_key
    }

    /// The official account's AppSecret.
    #[getter]
    fn app_secret(&self) -> String {
        self.sim.config().app_secret
    }

    /// The openid every simulated user has.
    #[getter]
    fn openid(&self) -> String {
        self.sim.config().openid
    }

    /// The service provider it also plays: `{"appid", "mch_id", "api_key",
    /// "sub_merchants": [{"sub_mch_id", "sub_appid", "sub_openid"}, …]}`.
    #[getter]
    fn provider(&self, py: Python<'_>) -> PyResult<PyObject> {
        let p = self.sim.config().provider;
        let subs: Vec<serde_json::Value> = p
            .sub_merchants
            .iter()
            .map(|s| {
                serde_json::json!({"sub_mch_id": s.sub_mch_id, "sub_appid": s.sub_appid,
                                   "sub_openid": s.sub_openid})
            })
            .collect();
        to_py(
            py,
            &serde_json::json!({"appid": p.appid, "mch_id": p.mch_id, "api_key": p.api_key,
                                "sub_merchants": subs}),
        )
    }

    /// Opens another base URL on the same simulated WeChat (e.g. a backup domain).
    #[pyo3(signature = (host="127.0.0.1", port=0))]
    fn listen(&self, host: &str, port: u16) -> PyResult<String> {
        self.sim
            .listen(host, port)
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// Opens an HTTPS base URL serving the same paths, where
    /// `/secapi/pay/refund` needs the merchant certificate as on WeChat;
    /// see `tls_files()` for the CA to trust and the certificate to present.
    #[pyo3(signature = (host="127.0.0.1", port=0))]
    fn listen_tls(&self, py: Python<'_>, host: &str, port: u16) -> PyResult<String> {
        let host = host.to_owned();
        py.allow_threads(|| self.sim.listen_tls(&host, port))
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// After `listen_tls()`: {"ca_pem", "client_cert_pem", "client_key_pem"}
    /// — pass `ca_pem=` and `cert=(client_cert_pem, client_key_pem)` to
    /// `wxpay.Client`. None before.
    fn tls_files(&self, py: Python<'_>) -> PyResult<PyObject> {
        let files = self.sim.tls_files().map(|f| {
            serde_json::json!({
                "ca_pem": f.ca_pem,
                "client_cert_pem": f.client_cert_pem,
                "client_key_pem": f.client_key_pem,
            })
        });
        to_py(py, &files)
    }

    /// Call counters: token_fetches, ticket_fetches, unifiedorder, notify_attempts, …
    fn stats(&self, py: Python<'_>) -> PyResult<PyObject> {
        to_py(py, &self.sim.stats())
    }

    /// The order as the simulator holds it, or None.
    fn order(&self, py: Python<'_>, out_trade_no: &str) -> PyResult<PyObject> {
        to_py(py, &self.sim.order(out_trade_no))
    }

    /// Every notification with its delivery attempts (and the signed body).
    fn notifications(&self, py: Python<'_>) -> PyResult<PyObject> {
        to_py(py, &self.sim.notifications())
    }

    /// Injects a fault into the next `count` calls of `path` ("*" for any):
    /// kind is delay, reset, http_error, truncate, bad_sign or systemerror.
    #[pyo3(signature = (path, kind, count=1, delay_ms=0, status=None))]
    fn add_fault(
        &self,
        path: String,
        kind: String,
        count: u32,
        delay_ms: u64,
        status: Option<u16>,
    ) -> PyResult<()> {
        self.sim
            .add_fault(Fault {
                path,
                kind,
                count,
                delay_ms,
                status,
                ..Default::default()
            })
            .map_err(PyValueError::new_err)
    }

    /// `Simulator.pay`'s native half: the pay params as JSON in, the page's
    /// answer as JSON out.
    fn _pay_json(&self, params_json: &str) -> PyResult<String> {
        let params: serde_json::Value = serde_json::from_str(params_json)
            .map_err(|e| PyValueError::new_err(format!("params must be a JSON object: {e}")))?;
        Ok(self.sim.pay(&params).to_string())
    }

    /// What `wx.login()` gives a mini-program: a single-use code (5
    /// minutes) for `Client.jscode2session`, for `openid` (the test user by
    /// default); `errcode` 40226 (a risky user) or 45011 (the minute quota)
    /// makes the exchange refuse it that way.
    #[pyo3(signature = (openid=None, errcode=None))]
    fn mini_login(&self, openid: Option<&str>, errcode: Option<i64>) -> PyResult<String> {
        self.sim
            .mini_login(openid, errcode)
            .map_err(PyValueError::new_err)
    }

    /// Stops serving.
    fn stop(&self) {
        self.sim.stop();
    }

    fn __repr__(&self) -> String {
        format!("Simulator(url={:?})", self.sim.base_url())
    }
}

#[pymodule]
fn _sim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PySimulator>()?;
    Ok(())
}
