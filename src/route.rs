//! Accepted rows to payments, grouped into one batch per receiving bank,
//! with the identifiers and the creditor data each bank file carries.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::ids;
use crate::period::Period;
use crate::reference::{Bank, BankDirectory, BankId};
use crate::validate::Candidate;

/// One credit transfer. The row number and the account are the
/// candidate's ([`Payment::row`], [`Payment::account`]), not copied: a
/// national batch holds millions of payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Index of the candidate it came from.
    pub candidate: usize,
    /// End-to-end id (ISO 20022 Max35Text, held inline).
    pub end_to_end_id: ids::EndToEndId,
    /// Creditor name as the bank holds it (upper-case ASCII).
    pub creditor_name: CompactString,
    /// Amount in đồng.
    pub amount: i64,
    /// Remittance text (upper-case ASCII, at most 140 characters), shared
    /// by every payment of the same category and coefficient.
    pub remittance: Arc<str>,
}

impl Payment {
    /// The spreadsheet row of the input it pays.
    pub fn row(&self, candidates: &[Candidate]) -> u32 {
        candidates[self.candidate].row
    }

    /// The account it pays into (upper case, no spaces).
    pub fn account<'c>(&self, candidates: &'c [Candidate]) -> &'c str {
        candidates[self.candidate]
            .account
            .as_deref()
            .expect("a payment's row has an account")
    }
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
/// input row). Payments are built in parallel; the remittance text is made
/// once per category and coefficient.
pub fn route(
    candidates: &[Candidate],
    banks: &BankDirectory,
    settings: &RouteSettings<'_>,
) -> Vec<BankBatch> {
    let opening = format!(
        "{} THANG {}",
        settings.remittance,
        settings.period.slashed()
    );
    // Keyed by the category's shared text (rows that write a category alike
    // share one `Arc`), so that a million rows hash a pointer, not a text.
    let text_key = |c: &Candidate| {
        (
            Arc::as_ptr(&c.category) as *const u8 as usize,
            c.coefficient,
        )
    };
    let mut remittances: FxHashMap<(usize, Option<u32>), Arc<str>> = FxHashMap::default();
    for c in candidates.iter().filter(|c| !c.rejected) {
        remittances.entry(text_key(c)).or_insert_with(|| {
            let mut text = opening.clone();
            if !c.category.is_empty() {
                text.push_str(" - ");
                text.push_str(&c.category);
            }
            if let Some(milli) = c.coefficient {
                text.push_str(" - HE SO ");
                text.push_str(&crate::cells::format_coefficient(milli));
            }
            Arc::from(crate::text::bank_ascii(&text, 140).as_str())
        });
    }
    // Each bank's payments in input order: their candidates are listed
    // first, so that each batch is built in parallel straight into a vector
    // of its exact size.
    let mut rows_by_bank: BTreeMap<&str, (BankId, Vec<u32>)> = BTreeMap::new();
    for (index, c) in candidates.iter().enumerate().filter(|(_, c)| !c.rejected) {
        let Some(bank) = c.bank else {
            unreachable!("an accepted row has a bank");
        };
        rows_by_bank
            .entry(banks.get(bank).bin.as_str())
            .or_insert_with(|| (bank, Vec::new()))
            .1
            .push(index as u32);
    }
    let ids = ids::EndToEndIds::new(settings.office, settings.period);
    rows_by_bank
        .into_values()
        .map(|(bank_id, rows)| {
            let mut payments = Vec::new();
            rows.par_iter()
                .map_init(String::new, |key, &index| {
                    let index = index as usize;
                    let c = &candidates[index];
                    let (Some(_), Some(amount)) = (c.account.as_ref(), c.amount) else {
                        unreachable!("an accepted row has an account and an amount");
                    };
                    c.beneficiary_key_into(key);
                    // Re-issues are few: most lists meet an empty map.
                    let attempt = if settings.attempts.is_empty() {
                        1
                    } else {
                        settings
                            .attempts
                            .get(&(c.payment_type.to_string(), key.clone()))
                            .copied()
                            .unwrap_or(1)
                    };
                    Payment {
                        candidate: index,
                        end_to_end_id: ids.id(&c.payment_type, key, attempt),
                        creditor_name: crate::text::bank_ascii(
                            c.holder.as_deref().unwrap_or(&c.name),
                            140,
                        ),
                        amount,
                        remittance: Arc::clone(&remittances[&text_key(c)]),
                    }
                })
                .collect_into_vec(&mut payments);
            let bank = banks.get(bank_id);
            let message_id = ids::message_id(settings.batch_id, &bank.bin);
            BankBatch {
                bank: bank.clone(),
                payment_info_id: ids::payment_info_id(&message_id),
                message_id,
                total: payments.iter().map(|p| p.amount).sum(),
                payments,
            }
        })
        .collect()
}
