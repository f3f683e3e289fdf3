//! Closing the loop: the banks' answers (pain.002 status reports, camt.054
//! notifications, camt.053 statements) are read ([`parse`]), matched to the
//! payments of the ledger and recorded ([`apply`]), and reported for staff:
//! `outcomes.csv` (every payment an answer spoke of), `failed.csv` (those
//! rejected or returned, with the contact details of their list row),
//! `unmatched.csv` (what could not be applied, and why) and `summary.csv`
//! (per batch and bank: sent, confirmed, open, failed, returned), and the
//! same for people as `report.html` and `outcomes.xlsx` ([`report`]).
//! [`reissue`] lists failed payments in the input format for correction.

pub mod apply;
pub mod parse;
pub mod reissue;
pub mod report;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use apply::{Change, FileOutcome, Outcome, Unmatched, read_answer};

use crate::ledger::{Ledger, LedgerError, PaymentFilter, PaymentStatus, SourceRows, StatusCount};
use crate::reference::{Field, Reference, Reissue};
use crate::report::csv_safe::{write_record, writer};
use crate::write::publish::{PublishError, Staging};

/// Why answers could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum ReturnsError {
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The output could not be written.
    #[error(transparent)]
    Publish(#[from] PublishError),
}

/// The buckets staff count payments in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// No final answer yet (sent, pending, accepted).
    Open,
    /// Settled.
    Confirmed,
    /// Rejected by the bank.
    Failed,
    /// Returned after payment.
    Returned,
}

impl Bucket {
    /// The bucket of a ledger status.
    pub fn of(status: PaymentStatus) -> Bucket {
        match status {
            PaymentStatus::Settled => Bucket::Confirmed,
            PaymentStatus::Rejected => Bucket::Failed,
            PaymentStatus::Returned => Bucket::Returned,
            PaymentStatus::Sent | PaymentStatus::Pending | PaymentStatus::Accepted => Bucket::Open,
        }
    }
}

/// Counts and amounts of payments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    /// How many.
    pub payments: u64,
    /// How much, in đồng.
    pub vnd: i64,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.payments += other.payments;
        self.vnd += other.vnd;
    }
}

/// The state of the payments of one batch at one bank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Batch id.
    pub batch_id: String,
    /// Bank BIN.
    pub bank_bin: String,
    /// Bank short name.
    pub bank: String,
    /// Everything sent.
    pub sent: Count,
    /// Settled.
    pub confirmed: Count,
    /// No final answer yet.
    pub open: Count,
    /// Rejected.
    pub failed: Count,
    /// Returned.
    pub returned: Count,
}

impl Tally {
    fn add(&mut self, status: PaymentStatus, count: Count) {
        self.sent.add(count);
        match Bucket::of(status) {
            Bucket::Open => self.open.add(count),
            Bucket::Confirmed => self.confirmed.add(count),
            Bucket::Failed => self.failed.add(count),
            Bucket::Returned => self.returned.add(count),
        }
    }
}

/// Per batch and bank, in batch then BIN order.
pub fn tally(reference: &Reference, counts: &[StatusCount]) -> Vec<Tally> {
    let mut by_key: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    for c in counts {
        by_key
            .entry((&c.batch_id, &c.bank_bin))
            .or_insert_with(|| Tally {
                batch_id: c.batch_id.clone(),
                bank_bin: c.bank_bin.clone(),
                bank: reference.bank_name(&c.bank_bin),
                ..Tally::default()
            })
            .add(
                c.status,
                Count {
                    payments: c.payments,
                    vnd: c.vnd,
                },
            );
    }
    by_key.into_values().collect()
}

/// The sum of tallies (batch and bank left empty).
pub fn total(tallies: &[Tally]) -> Tally {
    let mut sum = Tally::default();
    for t in tallies {
        for (into, from) in [
            (&mut sum.sent, t.sent),
            (&mut sum.confirmed, t.confirmed),
            (&mut sum.open, t.open),
            (&mut sum.failed, t.failed),
            (&mut sum.returned, t.returned),
        ] {
            into.payments += from.payments;
            into.vnd += from.vnd;
        }
    }
    sum
}

/// Contact details of a beneficiary, from the list row a payment came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// Office's beneficiary code.
    pub beneficiary_code: String,
    /// Citizen ID.
    pub citizen_id: String,
    /// Date of birth.
    pub birth_date: String,
    /// Commune or ward.
    pub commune: String,
    /// Village or address.
    pub village: String,
    /// Telephone.
    pub phone: String,
}

/// The contact details in a payment's input row (the first column of
/// each field that has a cell).
pub fn contact(reference: &Reference, row: &[(String, String)]) -> Contact {
    let mut contact = Contact::default();
    for (header, value) in row {
        let slot = match reference.columns.field(header) {
            Some(Field::BeneficiaryCode) => &mut contact.beneficiary_code,
            Some(Field::CitizenId) => &mut contact.citizen_id,
            Some(Field::BirthDate) => &mut contact.birth_date,
            Some(Field::Commune) => &mut contact.commune,
            Some(Field::Village) => &mut contact.village,
            Some(Field::Phone) => &mut contact.phone,
            _ => continue,
        };
        if slot.is_empty() {
            *slot = value.trim().to_owned();
        }
    }
    contact
}

/// A payment rejected or returned, with the contact details of its row.
#[derive(Debug)]
pub struct Failed<'a> {
    /// The latest word on the payment.
    pub outcome: &'a Outcome,
    /// Whom to contact.
    pub contact: Contact,
}

/// The payments that are rejected or returned after these answers, each
/// with the latest word on it (a later file may have changed it), in the
/// order the answers first named them, with the contact details of their
/// input rows (none for a payment whose batch's rows cannot be read).
pub fn failed<'a>(
    reference: &Reference,
    files: &'a [FileOutcome],
    sources: &SourceRows,
) -> Vec<Failed<'a>> {
    let mut order: Vec<&str> = Vec::new();
    let mut last: std::collections::HashMap<&str, &Outcome> = std::collections::HashMap::new();
    for o in files.iter().flat_map(|f| f.outcomes.iter()) {
        if last.insert(&o.payment.end_to_end_id, o).is_none() {
            order.push(&o.payment.end_to_end_id);
        }
    }
    order
        .into_iter()
        .map(|id| last[id])
        .filter(|o| {
            matches!(
                Bucket::of(o.after.status),
                Bucket::Failed | Bucket::Returned
            )
        })
        .map(|o| Failed {
            outcome: o,
            contact: sources
                .of(&o.payment)
                .map(|row| contact(reference, row))
                .unwrap_or_default(),
        })
        .collect()
}

/// What a run of `disburse returns` did.
#[derive(Debug)]
pub struct ReturnsRun {
    /// One per answer file, in the order given.
    pub files: Vec<FileOutcome>,
    /// The state of every batch the answers touched, after them.
    pub tallies: Vec<Tally>,
    /// Where the reports are.
    pub out: PathBuf,
}

/// Reads answers into the ledger (one transaction per file) and publishes
/// the reports in `out`, which must be absent or empty.
pub fn process(
    ledger: &mut Ledger,
    reference: &Reference,
    office: &str,
    inputs: &[(String, std::io::Result<Vec<u8>>)],
    out: &Path,
) -> Result<ReturnsRun, ReturnsError> {
    let started = std::time::Instant::now();
    let staging = Staging::new(out)?;
    let mut files = Vec::new();
    for (name, bytes) in inputs {
        let outcome = match bytes {
            Ok(bytes) => read_answer(ledger, name, bytes)?,
            Err(e) => FileOutcome {
                file: name.clone(),
                sha256: String::new(),
                answer: None,
                read_before: None,
                outcomes: Vec::new(),
                unmatched: vec![Unmatched::file(e)],
            },
        };
        files.push(outcome);
    }
    let mut batches: Vec<&str> = files
        .iter()
        .flat_map(|f| f.outcomes.iter().map(|o| o.payment.batch_id.as_str()))
        .collect();
    batches.sort_unstable();
    batches.dedup();
    let mut counts = Vec::new();
    for batch in batches {
        counts.extend(ledger.status_counts(PaymentFilter::Batch(batch))?);
    }
    let tallies = tally(reference, &counts);
    tracing::debug!(elapsed = ?started.elapsed(), "answers read and tallied");
    let sources = ledger.source_rows(
        files
            .iter()
            .flat_map(|f| &f.outcomes)
            .filter(|o| o.after.status.is_failed())
            .map(|o| &o.payment),
    )?;
    for (batch_id, why) in &sources.missing {
        tracing::warn!(
            batch = %batch_id,
            "the failed payments of batch `{batch_id}` are listed without contact details: {why}"
        );
    }
    let failed = failed(reference, &files, &sources);
    tracing::debug!(elapsed = ?started.elapsed(), "failed payments' rows read");
    write_reports(&staging, reference, &files, &failed, &tallies)?;
    staging.write_file("report.html", |w| {
        report::write_html(w, reference, office, &files, &failed, &tallies)
    })?;
    staging.write_file("outcomes.xlsx", |w| {
        report::write_xlsx(w, reference, &files, &failed, &tallies)
    })?;
    drop(failed);
    tracing::debug!(elapsed = ?started.elapsed(), "reports written");
    crate::failpoint::hit("reports-staged");
    let out = staging.seal()?.publish()?;
    Ok(ReturnsRun {
        files,
        tallies,
        out,
    })
}

fn csv_file(
    staging: &Staging,
    name: &str,
    fill: impl FnOnce(&mut csv::Writer<&mut dyn Write>) -> csv::Result<()>,
) -> Result<(), PublishError> {
    staging.write_file(name, |w| {
        let mut csv = writer(w as &mut dyn Write);
        fill(&mut csv).map_err(std::io::Error::other)?;
        csv.flush()
    })?;
    Ok(())
}

/// Writes `outcomes.csv`, `failed.csv`, `unmatched.csv` and `summary.csv`.
fn write_reports(
    staging: &Staging,
    reference: &Reference,
    files: &[FileOutcome],
    failed: &[Failed<'_>],
    tallies: &[Tally],
) -> Result<(), PublishError> {
    write_outcomes(staging, reference, files)?;
    write_failed(staging, reference, failed)?;
    write_unmatched(staging, files)?;
    write_summary(staging, tallies)
}

/// `outcomes.csv`: every payment an answer spoke of, in file order.
fn write_outcomes(
    staging: &Staging,
    reference: &Reference,
    files: &[FileOutcome],
) -> Result<(), PublishError> {
    let reasons = &reference.reasons;
    csv_file(staging, "outcomes.csv", |w| {
        write_record(
            w,
            [
                "answer_file",
                "location",
                "end_to_end_id",
                "batch_id",
                "row",
                "name",
                "bank_bin",
                "bank",
                "amount_vnd",
                "previous_status",
                "status",
                "change",
                "bank_status",
                "reason_code",
                "reason_vi",
                "reason_en",
                "bank_text",
            ],
        )?;
        for f in files {
            for o in &f.outcomes {
                let (vi, en) = reasons.meaning(&o.after.reason_code);
                write_record(
                    w,
                    [
                        f.file.as_str(),
                        &o.location,
                        &o.payment.end_to_end_id,
                        &o.payment.batch_id,
                        &o.payment.row.to_string(),
                        &o.payment.name,
                        &o.payment.bank_bin,
                        &reference.bank_name(&o.payment.bank_bin),
                        &o.payment.amount_vnd.to_string(),
                        o.before.status.as_str(),
                        o.after.status.as_str(),
                        o.change.as_str(),
                        &o.reported,
                        &o.after.reason_code,
                        &vi,
                        &en,
                        &o.after.reason_text,
                    ],
                )?;
            }
        }
        Ok(())
    })
}

/// `failed.csv`: the payments now rejected or returned, with whom to
/// contact and what to ask for.
fn write_failed(
    staging: &Staging,
    reference: &Reference,
    failed: &[Failed<'_>],
) -> Result<(), PublishError> {
    let reasons = &reference.reasons;
    csv_file(staging, "failed.csv", |w| {
        write_record(
            w,
            [
                "end_to_end_id",
                "batch_id",
                "period",
                "row",
                "name",
                "beneficiary_code",
                "citizen_id",
                "birth_date",
                "commune",
                "village",
                "phone",
                "bank",
                "account",
                "amount_vnd",
                "status",
                "reason_code",
                "reason_vi",
                "reason_en",
                "action_vi",
                "action_en",
                "reissue",
            ],
        )?;
        for f in failed {
            let last = f.outcome;
            let p = &last.payment;
            let c = &f.contact;
            let code = &last.after.reason_code;
            let (vi, en) = reasons.meaning(code);
            let (action_vi, action_en) = reasons
                .get(code)
                .map(|r| (r.action_vi.clone(), r.action_en.clone()))
                .unwrap_or_default();
            let reissue = match reasons.reissue(code) {
                Reissue::NewAccount => "new_account",
                Reissue::SameAccount => "yes",
                Reissue::No => "no",
            };
            write_record(
                w,
                [
                    p.end_to_end_id.as_str(),
                    &p.batch_id,
                    &p.period,
                    &p.row.to_string(),
                    &p.name,
                    &c.beneficiary_code,
                    &c.citizen_id,
                    &c.birth_date,
                    &c.commune,
                    &c.village,
                    &c.phone,
                    &reference.bank_name(&p.bank_bin),
                    &p.account,
                    &p.amount_vnd.to_string(),
                    last.after.status.as_str(),
                    code,
                    &vi,
                    &en,
                    &action_vi,
                    &action_en,
                    reissue,
                ],
            )?;
        }
        Ok(())
    })
}

/// `unmatched.csv`: what could not be applied, and why.
fn write_unmatched(staging: &Staging, files: &[FileOutcome]) -> Result<(), PublishError> {
    csv_file(staging, "unmatched.csv", |w| {
        write_record(
            w,
            [
                "answer_file",
                "location",
                "message_id",
                "end_to_end_id",
                "bank_status",
                "amount",
                "reason",
            ],
        )?;
        for f in files {
            for u in &f.unmatched {
                write_record(
                    w,
                    [
                        f.file.as_str(),
                        &u.location,
                        &u.message_id,
                        &u.end_to_end_id,
                        &u.code,
                        &u.amount,
                        &u.reason,
                    ],
                )?;
            }
        }
        Ok(())
    })
}

/// `summary.csv`: per batch and bank, and a total line.
fn write_summary(staging: &Staging, tallies: &[Tally]) -> Result<(), PublishError> {
    csv_file(staging, "summary.csv", |w| {
        write_record(
            w,
            [
                "batch_id",
                "bank_bin",
                "bank",
                "sent",
                "sent_vnd",
                "confirmed",
                "confirmed_vnd",
                "open",
                "open_vnd",
                "failed",
                "failed_vnd",
                "returned",
                "returned_vnd",
            ],
        )?;
        let sum = Tally {
            batch_id: "TOTAL".to_owned(),
            ..total(tallies)
        };
        for t in tallies.iter().chain(std::iter::once(&sum)) {
            let mut cells = vec![t.batch_id.clone(), t.bank_bin.clone(), t.bank.clone()];
            for c in [t.sent, t.confirmed, t.open, t.failed, t.returned] {
                cells.push(c.payments.to_string());
                cells.push(c.vnd.to_string());
            }
            write_record(w, &cells)?;
        }
        Ok(())
    })
}
