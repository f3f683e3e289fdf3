//! Accepted rows to payments, grouped into one batch per receiving bank,
//! with the identifiers and the creditor data each bank file carries.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::ids;
use crate::period::Period;
use crate::reference::{Bank, BankDirectory, BankFormat, BankId, BankProfiles, NameStyle};
use crate::validate::Candidate;

/// One credit transfer. Its row number, account and amount are the
/// candidate's ([`Payment::row`], [`Payment::account`], [`Payment::amount`])
/// and its remittance text the batch's ([`BankBatch::remittance`]), not
/// copied: a national batch holds millions of payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Index of the candidate it came from.
    candidate: u32,
    /// Index of its remittance text in the batch's.
    remittance: u32,
    /// End-to-end id (ISO 20022 Max35Text, held inline).
    pub end_to_end_id: ids::EndToEndId,
    /// Creditor name as the bank holds it (upper-case ASCII).
    pub creditor_name: CompactString,
}

impl Payment {
    /// Index of the candidate it pays.
    pub fn candidate(&self) -> usize {
        self.candidate as usize
    }

    /// The spreadsheet row of the input it pays.
    pub fn row(&self, candidates: &[Candidate]) -> u32 {
        candidates[self.candidate()].row
    }

    /// The account it pays into (upper case, no spaces).
    pub fn account<'c>(&self, candidates: &'c [Candidate]) -> &'c str {
        candidates[self.candidate()]
            .account
            .as_deref()
            .expect("a payment's row has an account")
    }

    /// The amount it pays, in đồng.
    pub fn amount(&self, candidates: &[Candidate]) -> i64 {
        candidates[self.candidate()]
            .amount
            .expect("a payment's row has an amount")
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
    /// The message the bank loads.
    pub format: BankFormat,
    /// The template of a bank that loads its own workbook.
    pub template: Option<u16>,
    /// The part (from 1) when the bank's payments are split over several
    /// files, each at most the bank's `max_transactions`.
    pub part: Option<u32>,
    /// The run's remittance texts (upper-case ASCII, at most 140
    /// characters), one per category and coefficient, shared by its
    /// batches.
    remittances: Arc<[Box<str>]>,
}

impl BankBatch {
    /// The remittance text of one of its payments.
    pub fn remittance(&self, p: &Payment) -> &str {
        &self.remittances[p.remittance as usize]
    }

    /// The file name under `banks/`: `<BIN>-<SHORTNAME>.xml`, or
    /// `<BIN>-<SHORTNAME>-<k>.xml` for part k.
    pub fn file_name(&self) -> String {
        let extension = match self.format {
            BankFormat::Template => "xlsx",
            _ => "xml",
        };
        match self.part {
            None => format!("{}-{}.{extension}", self.bank.bin, self.bank.slug),
            Some(k) => format!("{}-{}-{k}.{extension}", self.bank.bin, self.bank.slug),
        }
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
    /// The keys rows take from the ledger (absent: their own).
    pub adopted: &'a HashMap<u32, String>,
    /// What each bank's channel loads.
    pub profiles: &'a BankProfiles,
}

/// A routing that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// More parts than ids can number.
    #[error(
        "{bank}'s {payments} payments would take {parts} files of {max} (at most {} can be numbered); raise its max_transactions in bank_profiles.csv",
        ids::MAX_PARTS
    )]
    TooManyParts {
        /// The bank.
        bank: String,
        /// Its payments.
        payments: usize,
        /// Its `max_transactions`.
        max: usize,
        /// The parts needed.
        parts: usize,
    },
}

/// What a remittance text depends on (see [`remittance_key`]).
type RemittanceKey = (usize, Option<u32>);

/// The key of a payment's remittance text: the category's shared text
/// (rows that write a category alike share one `Arc`, so that a million
/// rows hash a pointer, not a text) and the coefficient.
fn remittance_key(c: &Candidate) -> RemittanceKey {
    (
        Arc::as_ptr(&c.category) as *const u8 as usize,
        c.coefficient,
    )
}

/// The remittance texts of the accepted rows, made once per category and
/// coefficient, and each key's index among them.
fn remittance_texts(
    candidates: &[Candidate],
    settings: &RouteSettings<'_>,
    style: NameStyle,
) -> (Arc<[Box<str>]>, FxHashMap<RemittanceKey, u32>) {
    let (month, coefficient) = match style {
        NameStyle::Ascii => ("THANG", "HE SO"),
        NameStyle::Vietnamese => ("tháng", "hệ số"),
    };
    let opening = format!(
        "{} {month} {}",
        settings.remittance,
        settings.period.slashed()
    );
    let mut texts: Vec<Box<str>> = Vec::new();
    let mut remittances: FxHashMap<RemittanceKey, u32> = FxHashMap::default();
    for c in candidates.iter().filter(|c| !c.rejected) {
        remittances.entry(remittance_key(c)).or_insert_with(|| {
            let mut text = opening.clone();
            if !c.category.is_empty() {
                text.push_str(" - ");
                text.push_str(&c.category);
            }
            if let Some(milli) = c.coefficient {
                text.push_str(" - ");
                text.push_str(coefficient);
                text.push(' ');
                text.push_str(&crate::cells::format_coefficient(milli));
            }
            texts.push(Box::from(bank_text(&text, 140, style).as_str()));
            u32::try_from(texts.len() - 1).expect("fewer texts than rows")
        });
    }
    (texts.into(), remittances)
}

/// A name or text as a bank of this style takes it.
fn bank_text(text: &str, max: usize, style: NameStyle) -> CompactString {
    match style {
        NameStyle::Ascii => crate::text::bank_ascii(text, max),
        NameStyle::Vietnamese => crate::text::bank_vietnamese(text, max),
    }
}

/// Each bank's accepted rows in input order, banks by BIN: listed first,
/// so that each batch is built in parallel straight into a vector of its
/// exact size.
fn rows_by_bank<'b>(
    candidates: &[Candidate],
    banks: &'b BankDirectory,
) -> BTreeMap<&'b str, (BankId, Vec<u32>)> {
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
    rows_by_bank
}

/// Groups accepted candidates by bank (banks ordered by BIN, payments by
/// input row). Payments are built in parallel; the remittance text is made
/// once per category and coefficient.
pub fn route(
    candidates: &[Candidate],
    banks: &BankDirectory,
    settings: &RouteSettings<'_>,
) -> Result<Vec<BankBatch>, RouteError> {
    let (texts, remittances) = remittance_texts(candidates, settings, NameStyle::Ascii);
    // The same texts with their diacritics, at the same indices, when a
    // bank takes them.
    let vietnamese = settings
        .profiles
        .any_vietnamese()
        .then(|| remittance_texts(candidates, settings, NameStyle::Vietnamese).0);
    let rows_by_bank = rows_by_bank(candidates, banks);
    let ids = ids::EndToEndIds::new(settings.office, settings.period);
    let mut batches = Vec::with_capacity(rows_by_bank.len());
    for (bank_id, rows) in rows_by_bank.into_values() {
        let bank = banks.get(bank_id);
        let profile = settings.profiles.of(&bank.bin);
        let mut payments = Vec::new();
        rows.par_iter()
            .map_init(String::new, |key, &index| {
                let index = index as usize;
                let c = &candidates[index];
                let (Some(_), Some(_)) = (c.account.as_ref(), c.amount) else {
                    unreachable!("an accepted row has an account and an amount");
                };
                match settings.adopted.get(&c.index) {
                    Some(adopted) => adopted.clone_into(key),
                    None => c.beneficiary_key_into(key),
                }
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
                    candidate: index as u32,
                    remittance: remittances[&remittance_key(c)],
                    end_to_end_id: ids.id(&c.payment_type, key, attempt),
                    creditor_name: bank_text(
                        c.holder.as_deref().unwrap_or(&c.name),
                        140,
                        profile.name_style,
                    ),
                }
            })
            .collect_into_vec(&mut payments);
        let texts = match (&vietnamese, profile.name_style) {
            (Some(vi), NameStyle::Vietnamese) => Arc::clone(vi),
            _ => Arc::clone(&texts),
        };
        let batch = |payments: Vec<Payment>, part: Option<u32>| {
            let message_id = match part {
                None => ids::message_id(settings.batch_id, &bank.bin),
                Some(k) => ids::part_message_id(settings.batch_id, &bank.bin, k),
            };
            BankBatch {
                bank: bank.clone(),
                payment_info_id: ids::payment_info_id(&message_id),
                message_id,
                total: payments.iter().map(|p| p.amount(candidates)).sum(),
                payments,
                format: profile.format,
                template: profile.template,
                part,
                remittances: Arc::clone(&texts),
            }
        };
        match profile.max_transactions {
            Some(max) if payments.len() > max => {
                let parts = payments.len().div_ceil(max);
                if parts > ids::MAX_PARTS as usize {
                    return Err(RouteError::TooManyParts {
                        bank: bank.short_name.clone(),
                        payments: payments.len(),
                        max,
                        parts,
                    });
                }
                let mut rest = payments;
                for k in 1..=parts as u32 {
                    let tail = rest.split_off(max.min(rest.len()));
                    batches.push(batch(rest, Some(k)));
                    rest = tail;
                }
            }
            _ => batches.push(batch(payments, None)),
        }
    }
    Ok(batches)
}

#[cfg(test)]
mod tests {
    /// A national batch holds 3,350,000 payments: each 8 bytes are 27 MB of
    /// peak memory.
    #[test]
    fn a_payment_stays_small() {
        let size = std::mem::size_of::<super::Payment>();
        assert!(size <= 72, "{size} bytes");
    }
}
