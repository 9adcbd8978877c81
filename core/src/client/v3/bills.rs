//! Bills over API v3 (docs/protocol.md §19.10): the signed answer gives a
//! `download_url` and the bill's SHA-1; the file itself comes unsigned, so
//! it is believed only once its hash matches, then read into rows like
//! v2's bills.

use serde::Deserialize;

use super::{ClientV3, PAY_BACKUP_URL, PAY_BASE_URL};
use crate::error::{Error, Result};
use crate::v3::{bill_path, check_bill, refusal};
use crate::{Bill, FundFlow};

#[derive(Deserialize)]
struct BillAnswer {
    hash_type: String,
    hash_value: String,
    download_url: String,
}

impl ClientV3 {
    /// A day's trade bill (`bill_date` as `yyyy-MM-dd`, `bill_type` ALL,
    /// SUCCESS or REFUND), checked against WeChat's hash.
    pub fn download_trade_bill(&self, bill_date: &str, bill_type: &str) -> Result<Bill> {
        let text = self.bill_text(&bill_path("tradebill", bill_date, bill_type)?)?;
        Bill::parse(&text)
    }

    /// A day's fund flow of one account (BASIC, OPERATION or FEES), checked
    /// against WeChat's hash.
    pub fn download_fund_flow_bill(&self, bill_date: &str, account_type: &str) -> Result<FundFlow> {
        let text = self.bill_text(&bill_path("fundflowbill", bill_date, account_type)?)?;
        FundFlow::parse(&text)
    }

    fn bill_text(&self, path: &str) -> Result<Vec<u8>> {
        let mut budget = self.budget();
        let reply = self.send(path, None, "v3/bill", &mut budget)?;
        let answer: BillAnswer = serde_json::from_slice(&reply.body)
            .map_err(|_| Error::bad_reply("the bill answer is not WeChat's"))?;
        let file = self.download_path(&answer.download_url)?;
        let got = self.exchange(
            &file,
            None,
            "v3/billdownload",
            crate::MAX_BILL_BYTES,
            &mut budget,
            |r| match r.status {
                200 => Ok(()),
                status => Err(refusal(status, &r.body)),
            },
        )?;
        check_bill(&got.body, &answer.hash_type, &answer.hash_value)
    }

    /// The path of a `download_url`, which must be on WeChat's API hosts
    /// (or the configured ones): the signed request is never sent elsewhere.
    fn download_path(&self, url: &str) -> Result<String> {
        let hosts = [
            Some(self.config.base_url.as_str()),
            self.config.backup_url.as_deref(),
            Some(PAY_BASE_URL),
            Some(PAY_BACKUP_URL),
        ];
        hosts
            .into_iter()
            .flatten()
            .find_map(|host| {
                url.strip_prefix(host)
                    .filter(|rest| rest.starts_with("/v3/"))
            })
            .filter(|rest| rest.len() <= 2048 && rest.bytes().all(|b| b.is_ascii_graphic()))
            .map(str::to_owned)
            .ok_or_else(|| Error::bad_reply("the bill's download_url is not on WeChat's API host"))
    }
}
