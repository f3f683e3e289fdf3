//! A list read, validated and routed: what the writers of the bank files,
//! the listings and the reports are handed. It lives apart from the
//! orchestration (`batch`) that makes it, so that the reports depend on the
//! data, not on the pipeline that calls them.

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::ingest::Table;
use crate::period::Period;
use crate::route::BankBatch;
use crate::validate::Candidate;
use crate::write::manifest::Totals;

/// A list read, validated and routed, ready to write.
#[derive(Debug)]
pub struct Prepared {
    /// The input as read.
    pub table: Table,
    /// Every non-blank row.
    pub candidates: Vec<Candidate>,
    /// Payments per bank.
    pub batches: Vec<BankBatch>,
    /// Counts and amounts.
    pub totals: Totals,
    /// The paid month.
    pub period: Period,
    /// Batch id.
    pub batch_id: String,
    /// The configuration used.
    pub config: Config,
    /// Creation time.
    pub created: DateTime<FixedOffset>,
    /// The keys rows take from the ledger: candidate index to the key of
    /// the beneficiary the ledger found them to be under another
    /// identifier (a row not named here is recorded under its own).
    pub adopted: std::collections::HashMap<u32, String>,
    /// The ledger's journal head the batch is recorded after (with a
    /// ledger), which its manifest holds.
    pub journal_head: Option<crate::ledger::Head>,
    /// What changed since the ledger's most recent earlier period (with a
    /// ledger that has one).
    pub changes: Option<crate::changes::Changes>,
    /// The execution date the bank files request.
    pub execution_date: chrono::NaiveDate,
    /// What the bank's operator or the treasury should know before loading
    /// the files (summary, report and manifest say each).
    pub notices: Vec<Notice>,
    /// What each bank's channel loads (and the templates of those that
    /// load their own workbook).
    pub profiles: crate::reference::BankProfiles,
}

/// Something about a batch to know before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    /// A stable code.
    pub code: &'static str,
    /// What it is and what to do, in English.
    pub message: String,
    /// The same in Vietnamese.
    pub message_vi: String,
}
