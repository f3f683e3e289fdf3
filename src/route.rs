//! Accepted rows to payments, grouped into one batch per receiving bank,
//! with the identifiers and the creditor data each bank file carries.

use std::collections::{BTreeMap, HashMap};

use crate::ids;
use crate::period::Period;
use crate::reference::{Bank, BankDirectory};
use crate::validate::Candidate;

/// One credit transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Spreadsheet row of the input.
    pub row: u32,
    /// Index of the candidate it came from.
    pub candidate: usize,
    /// End-to-end id.
    pub end_to_end_id: String,
    /// Account number.
    pub account: String,
    /// Creditor name as the bank holds it (upper-case ASCII).
    pub creditor_name: String,
    /// Amount in đồng.
    pub amount: i64,
    /// Remittance text (upper-case ASCII, at most 140 characters).
    pub remittance: String,
    /// Ledger identity of the beneficiary.
    pub beneficiary_key: String,
    /// Payment type.
    pub payment_type: String,
}

/// Every payment to one bank.
#[derive(Debug, Clone)]
pub struct BankBatch {
    /// The receiving bank.
    pub bank: Bank,
    /// `MsgId` of its file.
    pub message_id: String,
    /// `PmtInfId` of its payment information block.
    pub payment_info_id: String,
    /// Payments in input row order.
    pub payments: Vec<Payment>,
    /// Sum of the amounts.
    pub total: i64,
}

impl BankBatch {
    /// The file name under `banks/`: `<BIN>-<SHORTNAME>.xml`.
    pub fn file_name(&self) -> String {
        format!("{}-{}.xml", self.bank.bin, self.bank.slug)
    }
}

/// What routing needs to know about the run.
pub struct RouteSettings<'a> {
    /// Office code.
    pub office: &'a str,
    /// Paid month.
    pub period: Period,
    /// Batch id.
    pub batch_id: &'a str,
    /// Opening words of remittance texts.
    pub remittance: &'a str,
    /// Attempt number per (payment type, beneficiary key) (absent: 1).
    pub attempts: &'a HashMap<(String, String), u32>,
}

/// Groups accepted candidates by bank (banks ordered by BIN, payments by
/// input row).
pub fn route(
    candidates: &[Candidate],
    banks: &BankDirectory,
    settings: &RouteSettings<'_>,
) -> Vec<BankBatch> {
    let mut by_bank: BTreeMap<String, BankBatch> = BTreeMap::new();
    let opening = format!(
        "{} THANG {}",
        settings.remittance,
        settings.period.slashed()
    );
    for (index, c) in candidates.iter().enumerate().filter(|(_, c)| !c.rejected) {
        let (Some(bank_id), Some(account), Some(amount)) = (c.bank, c.account.as_ref(), c.amount)
        else {
            unreachable!("an accepted row has a bank, an account and an amount");
        };
        let bank = banks.get(bank_id);
        let batch = by_bank.entry(bank.bin.clone()).or_insert_with(|| {
            let message_id = ids::message_id(settings.batch_id, &bank.bin);
            BankBatch {
                bank: bank.clone(),
                payment_info_id: ids::payment_info_id(&message_id),
                message_id,
                payments: Vec::new(),
                total: 0,
            }
        });
        let key = c.beneficiary_key();
        let attempt = settings
            .attempts
            .get(&(c.payment_type.clone(), key.clone()))
            .copied()
            .unwrap_or(1);
        let mut remittance = opening.clone();
        if !c.category.is_empty() {
            remittance.push_str(" - ");
            remittance.push_str(&c.category);
        }
        if let Some(milli) = c.coefficient {
            remittance.push_str(" - HE SO ");
            remittance.push_str(&crate::cells::format_coefficient(milli));
        }
        batch.total += amount;
        batch.payments.push(Payment {
            row: c.row,
            candidate: index,
            end_to_end_id: ids::end_to_end_id(
                settings.office,
                settings.period,
                &c.payment_type,
                &key,
                attempt,
            ),
            account: account.clone(),
            creditor_name: crate::text::bank_ascii(c.holder.as_deref().unwrap_or(&c.name), 140),
            amount,
            remittance: crate::text::bank_ascii(&remittance, 140),
            beneficiary_key: key,
            payment_type: c.payment_type.clone(),
        });
    }
    by_bank.into_values().collect()
}
