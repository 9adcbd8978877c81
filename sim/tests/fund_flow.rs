//! downloadfundflow against the simulator: the day's payments and refunds
//! of the merchant's basic account as rows whose totals are checked, HMAC-
//! SHA256 whatever the merchant signs with, the client certificate over
//! HTTPS, and an account or a day without movement as an empty statement.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use common::*;
use wxpay::{
    AccountType, CertSource, Client, ClientConfig, DownloadFundFlow, ErrorKind, OrderRef, Refund,
    SignType,
};

fn pay(sim: &wxpay_sim::Simulator, client: &Client, no: &str, fee: u64) {
    paid_order_with(sim, client, no, fee, &[]);
}

fn request(day: &str, account_type: AccountType, gzip: bool) -> DownloadFundFlow {
    DownloadFundFlow {
        bill_date: day.to_owned(),
        account_type,
        gzip,
    }
}

#[test]
fn payments_and_refunds_move_the_basic_account() {
    let sim = sim();
    // An MD5 merchant: the fund flow is signed HMAC-SHA256 all the same.
    let client = client(&sim, SignType::Md5);
    pay(&sim, &client, "flow-1", 990);
    pay(&sim, &client, "flow-2", 120);
    client
        .refund(&Refund::new(
            OrderRef::OutTradeNo("flow-1".into()),
            "flow-1-r1",
            990,
            300,
        ))
        .unwrap();

    for gzip in [false, true] {
        let flow = client
            .download_fund_flow(&request(&today(), AccountType::Basic, gzip))
            .unwrap();
        assert!(!flow.no_bill);
        assert_eq!(flow.rows.len(), 3, "{flow:?}");
        assert_eq!(flow.totals.count, 3);
        assert_eq!(
            (flow.totals.income_count, flow.totals.income_fen),
            (2, 1110)
        );
        assert_eq!(
            (flow.totals.expense_count, flow.totals.expense_fen),
            (1, 300)
        );
        // The last balance is what came in less what went out.
        assert_eq!(
            wxpay::yuan_to_fen(&flow.rows.last().unwrap()[7]).unwrap(),
            1110 - 300
        );
        assert!(flow
            .rows
            .iter()
            .any(|r| r[10] == "flow-2" && r[5] == "收入"));
    }
    assert_eq!(sim.stats()["downloadfundflow"], 2);

    // The other accounts did not move: an empty statement, not an error.
    for account in [AccountType::Operation, AccountType::Fees] {
        let flow = client
            .download_fund_flow(&request(&today(), account, false))
            .unwrap();
        assert!(flow.no_bill && flow.rows.is_empty(), "{account:?}");
    }
    // Nor did the basic account on a day long past.
    assert!(
        client
            .download_fund_flow(&request("20200101", AccountType::Basic, false))
            .unwrap()
            .no_bill
    );
}

#[test]
fn a_statement_before_its_day_is_over_is_refused() {
    let sim = wxpay_sim::Simulator::start_with(
        wxpay_sim::SimConfig::default(),
        wxpay_sim::SimOptions {
            instant_bills: false,
        },
        "127.0.0.1",
        0,
    )
    .unwrap();
    let client = client(&sim, SignType::HmacSha256);
    let e = client
        .download_fund_flow(&request(&today(), AccountType::Basic, false))
        .unwrap_err();
    match &e {
        wxpay::Error::Business { err_code, .. } => assert_eq!(err_code, "BILL_CREATING"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn over_https_the_merchant_certificate_is_required() {
    let sim = sim();
    let https = sim.listen_tls("127.0.0.1", 0).unwrap();
    let plain = client(&sim, SignType::HmacSha256);
    pay(&sim, &plain, "flow-tls", 500);
    let files = sim.tls_files().unwrap();
    let https_client = |cert: Option<CertSource>| {
        let mut config = config(&sim, SignType::HmacSha256).with_simulator(&https);
        config.ca_pem = Some(files.ca_pem.clone());
        config.cert = cert;
        Client::new(config).unwrap()
    };
    let bare = https_client(None);
    assert_eq!(
        bare.download_fund_flow(&request(&today(), AccountType::Basic, false))
            .unwrap_err()
            .kind(),
        ErrorKind::Config
    );
    let merchant = https_client(Some(CertSource::Pem {
        cert: files.client_cert_pem.clone().into_bytes(),
        key: files.client_key_pem.clone().into_bytes(),
    }));
    let flow = merchant
        .download_fund_flow(&request(&today(), AccountType::Basic, false))
        .unwrap();
    assert_eq!(flow.totals.income_fen, 500);

    // A raw request without the certificate gets WeChat's refusal.
    let reply = tls_agent(&files.ca_pem)
        .post(&format!("{https}/pay/downloadfundflow"))
        .send("<xml><mch_id>10000100</mch_id></xml>")
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(reply.contains("CERT_ERROR"), "{reply}");
}

#[test]
fn a_providers_own_account_holds_none_of_its_sub_merchants_payments() {
    let sim = sim();
    let mut config = ClientConfig::new(
        wxpay_sim::PROVIDER_APPID,
        wxpay_sim::PROVIDER_MCH_ID,
        wxpay_sim::PROVIDER_API_KEY,
    )
    .with_simulator(&sim.base_url());
    config.sign_type = SignType::HmacSha256;
    let provider = Client::new(config).unwrap();
    let sub_mch_id = sim.config().provider.sub_merchants[0].sub_mch_id.clone();
    let pay = wxpay::Micropay::new(
        "counter",
        "flow-sub-1",
        700,
        "127.0.0.1",
        "134567890123450000",
    );
    let out = provider
        .for_sub_merchant(wxpay::SubMerchant::new(&sub_mch_id, None).unwrap())
        .micropay(&pay, &Default::default())
        .unwrap();
    assert_eq!(out.status, wxpay::MicropayStatus::Paid);
    let flow = provider
        .download_fund_flow(&request(&today(), AccountType::Basic, false))
        .unwrap();
    assert!(flow.no_bill, "{flow:?}");
}
