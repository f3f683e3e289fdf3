//! Rows to payments: every non-blank row of a [`Table`] becomes a
//! [`Candidate`] with typed values and the [`Diagnostic`]s of the rules it
//! breaks, and ends accepted or rejected. A bad row is data, never an error.
//!
//! One rule a file, named for the problem it finds. Row rules read one row
//! (in parallel); list rules ([`duplicate_beneficiary`], [`shared_account`],
//! [`already_paid`]) compare rows with each other or with the ledger.

pub mod account_changed;
pub mod already_paid;
pub mod amount_mismatch;
pub mod bad_account;
pub mod bad_amount;
pub mod bad_birth_date;
pub mod bad_citizen_id;
pub mod bad_name;
mod candidate;
pub mod coefficient_mismatch;
pub mod duplicate_beneficiary;
pub mod malformed_row;
pub mod missing_name;
pub mod repeated_failure;
pub mod shared_account;
pub mod unknown_bank;

use rayon::prelude::*;

pub use crate::rules::{Code, Severity};
pub use candidate::{ByCode, Candidate, RowMemo, Shared};

use crate::config::Config;
use crate::ingest::Table;
use crate::period::Period;
use crate::reference::{Field, Reference};

/// One problem found in one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The rule's stable code.
    pub code: Code,
    /// The field at fault, when one is.
    pub field: Option<Field>,
    /// What is wrong, in words an officer can act on.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for `code` about `field`.
    pub fn new(code: Code, field: Option<Field>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            field,
            message: message.into(),
        }
    }
}

/// What validation needs besides the rows.
pub struct Context<'a> {
    /// Reference tables.
    pub reference: &'a Reference,
    /// The office's settings.
    pub config: &'a Config,
    /// The month being paid.
    pub period: Period,
}

impl Context<'_> {
    /// The base level in force for the period.
    pub fn base_level(&self) -> Option<i64> {
        self.config
            .payment
            .base_level_vnd
            .or_else(|| self.reference.base_levels.on(self.period.first_day()))
    }
}

/// The result of validating a list.
#[derive(Debug)]
pub struct Validated {
    /// Every non-blank row, in input order.
    pub candidates: Vec<Candidate>,
    /// Rows with no text at all, which are not beneficiaries.
    pub blank_rows: usize,
    /// The keys rows take from the ledger, found under another identifier.
    pub adopted: already_paid::Adopted,
    /// What changed since the ledger's most recent earlier period (with a
    /// ledger that has one).
    pub changes: Option<crate::changes::Changes>,
}

/// What the ledger knows that validation uses: the period's payments and
/// the months before.
#[derive(Clone, Copy)]
pub struct Known<'a> {
    /// What has been paid in the period.
    pub paid: &'a crate::ledger::PaidIndex,
    /// The earlier months.
    pub history: &'a crate::ledger::History,
}

/// Validates every row of `table`; list rules see all rows, and `paid`
/// (what the ledger knows of the period) when there is a ledger.
pub fn validate(table: &Table, ctx: &Context<'_>, known: Option<Known<'_>>) -> Validated {
    let paid = known.map(|k| k.paid);
    let started = std::time::Instant::now();
    let shared = candidate::Shared::new(table, ctx);
    tracing::debug!(elapsed = ?started.elapsed(), "bank cells resolved");
    // The non-blank rows first, so that the candidates are built straight
    // into a vector of their exact size.
    let rows: Vec<usize> = (0..table.height())
        .into_par_iter()
        .filter(|i| !table.is_blank(*i))
        .collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    rows.par_iter()
        .map_init(RowMemo::default, |memo, &i| {
            Candidate::read(table, i, ctx, &shared, memo)
        })
        .collect_into_vec(&mut candidates);
    tracing::debug!(elapsed = ?started.elapsed(), "rows checked");
    let blank_rows = table.height() - candidates.len();
    duplicate_beneficiary::check(&mut candidates);
    tracing::debug!(elapsed = ?started.elapsed(), "duplicates checked");
    shared_account::check(&mut candidates);
    tracing::debug!(elapsed = ?started.elapsed(), "shared accounts checked");
    let adopted = match paid {
        Some(paid) => already_paid::check(
            &mut candidates,
            paid,
            &ctx.period.to_string(),
            ctx.reference,
        ),
        None => already_paid::Adopted::new(),
    };
    let changes = known.and_then(|k| {
        let changes = compare_months(&mut candidates, table, ctx, k, &adopted);
        tracing::debug!(elapsed = ?started.elapsed(), "months compared");
        changes
    });
    settle(&mut candidates, ctx.config);
    Validated {
        candidates,
        blank_rows,
        adopted,
        changes,
    }
}

/// Change control: this month's list against the ledger's most recent
/// earlier period, with the list rules that read it (`ACCOUNT_CHANGED`,
/// `REPEATED_FAILURE`).
fn compare_months(
    candidates: &mut [Candidate],
    table: &Table,
    ctx: &Context<'_>,
    known: Known<'_>,
    adopted: &already_paid::Adopted,
) -> Option<crate::changes::Changes> {
    let previous = known.history.previous.as_ref()?;
    // Which rows are rejected so far: a rejected row is not new. Settled
    // again once the rules the comparison adds are in.
    settle(candidates, ctx.config);
    let later =
        crate::changes::Side::of_list(candidates, table, ctx.period, adopted, &ctx.reference.banks);
    tracing::debug!("this month's side built");
    let mut changes = match crate::changes::compare(&previous.side, &later, ctx.reference) {
        Ok(changes) => changes,
        Err(e) => {
            // polars failing on two well-formed columns is a bug: say so,
            // and pay the month without its comparison rather than not at
            // all (the rules that read it only warn by default).
            tracing::error!("cannot compare the months: {e}");
            return None;
        }
    };
    let paid_now: std::collections::HashSet<&str> = known
        .paid
        .people
        .iter()
        .filter(|p| p.payment_type == "monthly")
        .map(|p| p.beneficiary_key.as_str())
        .collect();
    if !paid_now.is_empty() {
        changes.keep_stopped(|key| paid_now.contains(key));
    }
    changes.not_compared = previous
        .not_compared
        .iter()
        .map(|(b, _)| b.clone())
        .collect();
    account_changed::check(candidates, &changes);
    repeated_failure::check(candidates, &later, &known.history.repeated_failures);
    Some(changes)
}

/// `UNKNOWN_BANK`'s verdict for every distinct bank cell: a list names a
/// few dozen banks in a million rows, so each spelling is resolved once.
pub type BankMemo<'t> = rustc_hash::FxHashMap<&'t str, Result<crate::reference::BankId, String>>;

fn bank_memo<'t>(table: &'t Table, ctx: &Context<'_>) -> BankMemo<'t> {
    type Cells<'t> = rustc_hash::FxHashSet<&'t str>;
    // The distinct spellings, gathered in parallel, then resolved.
    let cells: Cells<'t> = (0..table.height())
        .into_par_iter()
        .fold(Cells::default, |mut cells, i| {
            cells.insert(table.get(Field::Bank, i));
            cells
        })
        .reduce(Cells::default, |mut a, b| {
            a.extend(b);
            a
        });
    cells
        .into_iter()
        .map(|cell| (cell, unknown_bank::check(cell, &ctx.reference.banks)))
        .collect()
}

/// Rows named in one message of a list rule: a group of thousands (one
/// value repeated down a whole column) names the first few and counts the
/// rest, so that each message stays short and the listings grow with the
/// list, not with its square.
const NAMED_ROWS: usize = 10;

/// `row 3, 7`: the first [`NAMED_ROWS`] of `rows` (in order) of the
/// `count` meant, then `and 4989 other rows` for the rest. Takes no more of
/// `rows` than it names.
fn row_list(rows: impl Iterator<Item = u32>, count: usize) -> String {
    let named: Vec<String> = rows.take(NAMED_ROWS).map(|r| r.to_string()).collect();
    let mut text = format!("row {}", named.join(", "));
    let rest = count.saturating_sub(named.len());
    if rest > 0 {
        text.push_str(&format!(" and {rest} other rows"));
    }
    text
}

/// Decides each candidate's fate from its diagnostics and the configured
/// severities.
pub fn settle(candidates: &mut [Candidate], config: &Config) {
    for c in candidates {
        c.rejected = c
            .diagnostics
            .iter()
            .any(|d| config.severity(d.code) == Severity::Reject);
    }
}
