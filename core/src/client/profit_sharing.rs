//! Profit sharing calls (docs/protocol.md §17): the requests and replies
//! are `crate::api::profit_sharing`'s; here they go to WeChat, the sharing
//! and the finish with the client certificate.

use crate::api::profit_sharing::{self, ProfitSharingState, UnsplitAmount};
use crate::api::profit_sharing_return::{
    self, MaxRatio, ProfitSharingReturn, ReturnAsked, ReturnState, SharingRef,
};
use crate::client::Client;
use crate::error::Result;
use crate::merchant::Merchant;
use crate::{ProfitSharing, ProfitSharingFinish, ReceiverChange};

impl Client {
    /// Registers or removes a receiver (`pay/profitsharingaddreceiver`,
    /// `pay/profitsharingremovereceiver`).
    pub fn change_profit_sharing_receiver(&self, change: &ReceiverChange) -> Result<()> {
        self.change_profit_sharing_receiver_as(&self.merchant, change)
    }

    pub(super) fn change_profit_sharing_receiver_as(
        &self,
        m: &Merchant,
        change: &ReceiverChange,
    ) -> Result<()> {
        let request = change.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            change.path(),
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| change.parse(m, body),
        )
    }

    /// Asks WeChat to share a paid order's money; the reply says it was
    /// accepted, the query says how it went.
    pub fn profit_sharing(&self, sharing: &ProfitSharing) -> Result<ProfitSharingState> {
        self.profit_sharing_as(&self.merchant, sharing)
    }

    pub(super) fn profit_sharing_as(
        &self,
        m: &Merchant,
        sharing: &ProfitSharing,
    ) -> Result<ProfitSharingState> {
        let request = sharing.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            sharing.path(),
            &request,
            true,
            1 << 20,
            self.budget(),
            |body| {
                ProfitSharingState::parse(m, &sharing.transaction_id, &sharing.out_order_no, body)
            },
        )
    }

    /// How a sharing, or a finish, went (`pay/profitsharingquery`).
    pub fn query_profit_sharing(
        &self,
        transaction_id: &str,
        out_order_no: &str,
    ) -> Result<ProfitSharingState> {
        self.query_profit_sharing_as(&self.merchant, transaction_id, out_order_no)
    }

    pub(super) fn query_profit_sharing_as(
        &self,
        m: &Merchant,
        transaction_id: &str,
        out_order_no: &str,
    ) -> Result<ProfitSharingState> {
        let request = profit_sharing::sign_query(
            m,
            transaction_id,
            out_order_no,
            self.config.clock.as_ref(),
        )?;
        self.pay_call(
            "/pay/profitsharingquery",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| ProfitSharingState::parse(m, transaction_id, out_order_no, body),
        )
    }

    /// Releases what is left of an order to the merchant
    /// (`secapi/pay/profitsharingfinish`).
    pub fn finish_profit_sharing(
        &self,
        finish: &ProfitSharingFinish,
    ) -> Result<ProfitSharingState> {
        self.finish_profit_sharing_as(&self.merchant, finish)
    }

    pub(super) fn finish_profit_sharing_as(
        &self,
        m: &Merchant,
        finish: &ProfitSharingFinish,
    ) -> Result<ProfitSharingState> {
        let request = finish.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/secapi/pay/profitsharingfinish",
            &request,
            true,
            1 << 20,
            self.budget(),
            |body| ProfitSharingState::parse(m, &finish.transaction_id, &finish.out_order_no, body),
        )
    }

    /// What of a paid order is still unshared
    /// (`pay/profitsharingorderamountquery`).
    pub fn profit_sharing_unsplit_amount(&self, transaction_id: &str) -> Result<UnsplitAmount> {
        self.profit_sharing_unsplit_amount_as(&self.merchant, transaction_id)
    }

    pub(super) fn profit_sharing_unsplit_amount_as(
        &self,
        m: &Merchant,
        transaction_id: &str,
    ) -> Result<UnsplitAmount> {
        let request =
            profit_sharing::sign_amount_query(m, transaction_id, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/profitsharingorderamountquery",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| {
                profit_sharing::parse_amount(m, transaction_id, body)
                    .map(|unsplit_amount| UnsplitAmount { unsplit_amount })
            },
        )
    }

    /// Takes money back from a merchant receiver of a sharing
    /// (`secapi/pay/profitsharingreturn`); `result` says whether it is
    /// back, failed, or still `PROCESSING` (then ask with
    /// [`Client::query_profit_sharing_return`]).
    pub fn profit_sharing_return(&self, ret: &ProfitSharingReturn) -> Result<ReturnState> {
        self.profit_sharing_return_as(&self.merchant, ret)
    }

    pub(super) fn profit_sharing_return_as(
        &self,
        m: &Merchant,
        ret: &ProfitSharingReturn,
    ) -> Result<ReturnState> {
        let request = ret.sign(m, self.config.clock.as_ref())?;
        let asked = ReturnAsked {
            sharing: &ret.sharing,
            out_return_no: &ret.out_return_no,
            account_and_amount: Some((&ret.return_account, ret.return_amount)),
        };
        self.pay_call(
            "/secapi/pay/profitsharingreturn",
            &request,
            true,
            1 << 20,
            self.budget(),
            |body| ReturnState::parse(m, &asked, body),
        )
    }

    /// How a return went (`pay/profitsharingreturnquery`).
    pub fn query_profit_sharing_return(
        &self,
        sharing: &SharingRef,
        out_return_no: &str,
    ) -> Result<ReturnState> {
        self.query_profit_sharing_return_as(&self.merchant, sharing, out_return_no)
    }

    pub(super) fn query_profit_sharing_return_as(
        &self,
        m: &Merchant,
        sharing: &SharingRef,
        out_return_no: &str,
    ) -> Result<ReturnState> {
        let request = profit_sharing_return::sign_return_query(
            m,
            sharing,
            out_return_no,
            self.config.clock.as_ref(),
        )?;
        let asked = ReturnAsked {
            sharing,
            out_return_no,
            account_and_amount: None,
        };
        self.pay_call(
            "/pay/profitsharingreturnquery",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| ReturnState::parse(m, &asked, body),
        )
    }

    /// The share of a brand's orders this service provider may take, in
    /// ten-thousandths (`pay/profitsharingmerchantratioquery`); for a
    /// sub-merchant, ask through [`Client::for_sub_merchant`].
    pub fn profit_sharing_max_ratio_for_brand(&self, brand_mch_id: &str) -> Result<MaxRatio> {
        self.profit_sharing_max_ratio_as(&self.merchant, Some(brand_mch_id))
    }

    /// The share of a sub-merchant's (or a brand's) orders this service
    /// provider may take (`pay/profitsharingmerchantratioquery`).
    pub(super) fn profit_sharing_max_ratio_as(
        &self,
        m: &Merchant,
        brand_mch_id: Option<&str>,
    ) -> Result<MaxRatio> {
        let request =
            profit_sharing_return::sign_ratio_query(m, brand_mch_id, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/profitsharingmerchantratioquery",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| profit_sharing_return::parse_ratio(m, brand_mch_id, body),
        )
    }
}
