//! What the ledger knows of earlier months, for month-over-month control:
//! one period's beneficiaries of the monthly allowance (the latest payment
//! of each, with the commune, category and coefficient of its input row,
//! read back from its batch's `accepted.csv`), and who has gone three
//! months without receiving anything.

use std::collections::{HashMap, HashSet};

use compact_str::CompactString;
use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension};

use super::records;
use super::{Ledger, LedgerError, LedgerTx, PaymentStatus};
use crate::changes::{Entry, Side};
use crate::period::Period;
use crate::reference::{ColumnAliases, Field};
use crate::validate::coefficient_mismatch::Birth;

use super::source::ListedCells;

/// The payment type change control compares.
const MONTHLY: &str = "monthly";

/// A period's beneficiaries as the ledger recorded them.
#[derive(Debug, Clone)]
pub struct RecordedSide {
    /// The beneficiaries.
    pub side: Side,
    /// Batches whose listing could not be read, with why: their rows'
    /// commune, category and coefficient are unknown.
    pub not_compared: Vec<(String, String)>,
}

/// What change control needs of the months before a list's.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The most recent earlier period's beneficiaries, if there is one.
    pub previous: Option<RecordedSide>,
    /// Beneficiary keys whose monthly payments of each of the three
    /// previous months all failed or were returned.
    pub repeated_failures: HashSet<String>,
}

impl LedgerTx<'_> {
    /// What change control needs for a list of `period`.
    pub fn history(&self, period: Period, columns: &ColumnAliases) -> Result<History, LedgerError> {
        history(&self.tx, period, columns).map_err(self.sql())
    }
}

impl Ledger {
    /// The beneficiaries the ledger recorded for `period` (none recorded:
    /// `None`).
    pub fn recorded_side(
        &self,
        period: Period,
        columns: &ColumnAliases,
    ) -> Result<Option<RecordedSide>, LedgerError> {
        recorded_side(self.conn(), period, columns).map_err(self.sql())
    }
}

fn history(
    conn: &Connection,
    period: Period,
    columns: &ColumnAliases,
) -> rusqlite::Result<History> {
    let mut history = History::default();
    let earlier: Option<String> = conn
        .query_row(
            "SELECT period FROM payments WHERE period < ?1 AND payment_type = ?2
             ORDER BY period DESC LIMIT 1",
            (period.to_string(), MONTHLY),
            |r| r.get(0),
        )
        .optional()?;
    let Some(earlier) = earlier.and_then(|p| p.parse::<Period>().ok()) else {
        return Ok(history);
    };
    let previous = recorded_side(conn, earlier, columns)?;
    if let Some(previous) = &previous
        && earlier == period.previous()
    {
        history.repeated_failures = repeated_failures(conn, period, &previous.side)?;
    }
    history.previous = previous;
    Ok(history)
}

/// The keys whose latest payment of the previous month failed, and whose
/// payments of the two months before it all failed too.
fn repeated_failures(
    conn: &Connection,
    period: Period,
    previous: &Side,
) -> rusqlite::Result<HashSet<String>> {
    let failed = |e: &&Entry| e.status.is_some_and(PaymentStatus::is_failed);
    let mut stmt = conn.prepare_cached(
        "SELECT MIN(slot) FROM payments
         WHERE period = ?1 AND payment_type = ?2 AND beneficiary_key = ?3",
    )?;
    let two = period.previous().previous();
    let three = two.previous();
    let mut keys = HashSet::new();
    for e in previous.entries.iter().filter(failed) {
        let mut all_failed = true;
        for p in [two, three] {
            let slot: Option<i64> =
                stmt.query_row((p.to_string(), MONTHLY, e.key.as_str()), |r| r.get(0))?;
            // No payment, or a live one (slot 0): not three failed months.
            if slot.is_none_or(|s| s == 0) {
                all_failed = false;
                break;
            }
        }
        if all_failed {
            keys.insert(e.key.to_string());
        }
    }
    Ok(keys)
}

/// A period's beneficiaries of the monthly allowance: the live payment of
/// each, else the latest failed one.
fn recorded_side(
    conn: &Connection,
    period: Period,
    columns: &ColumnAliases,
) -> rusqlite::Result<Option<RecordedSide>> {
    let started = std::time::Instant::now();
    let batches = records::batches_of_period(conn, &period.to_string())?;
    let fields = [Field::Commune, Field::Category, Field::Coefficient];
    // The listings are read (and hashed) on other threads while this one
    // reads the payments.
    let (mut entries, batch_of, read) = std::thread::scope(|scope| {
        let listings = scope.spawn(|| {
            let read: Vec<(i64, String, Result<ListedCells<3>, String>)> = batches
                .par_iter()
                .map(|(id, b)| {
                    (
                        *id,
                        b.batch_id.clone(),
                        super::source::read_fields(b, &fields, columns),
                    )
                })
                .collect();
            tracing::debug!(elapsed = ?started.elapsed(), "earlier month's listings read");
            read
        });
        let payments = payments_of(conn, period);
        tracing::debug!(elapsed = ?started.elapsed(), "earlier month's payments read");
        let read = listings.join().expect("the listing reader does not panic");
        payments.map(|(entries, batch_of)| (entries, batch_of, read))
    })?;
    if entries.is_empty() {
        return Ok(None);
    }
    let mut not_compared = Vec::new();
    let mut cells: HashMap<i64, ListedCells<3>> = HashMap::new();
    for (id, batch_id, result) in read {
        match result {
            Ok(rows) => {
                cells.insert(id, rows);
            }
            Err(why) => not_compared.push((batch_id, why)),
        }
    }
    not_compared.sort();
    // Entries in row order, batch by batch, walked beside each listing's
    // rows (also in row order): a merge, not a search per entry.
    let mut order: Vec<(i64, u32, usize)> = entries
        .iter()
        .zip(&batch_of)
        .enumerate()
        .map(|(i, (e, batch))| (*batch, e.row, i))
        .collect();
    order.sort_unstable();
    let mut coefficients: HashMap<*const u8, Option<u32>> = HashMap::new();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let Some(rows) = cells.get(&group[0].0) else {
            continue;
        };
        let mut listed = rows.iter().peekable();
        for &(_, row, i) in group {
            while listed.next_if(|(r, _)| *r < row).is_some() {}
            let Some((_, cells)) = listed.next_if(|(r, _)| *r == row) else {
                continue;
            };
            let e = &mut entries[i];
            e.commune = cells[0].clone();
            e.category = cells[1].clone();
            e.coefficient = cells[2].as_ref().and_then(|c| {
                *coefficients
                    .entry(c.as_ptr())
                    .or_insert_with(|| crate::cells::parse_coefficient(c))
            });
        }
    }
    tracing::debug!(elapsed = ?started.elapsed(), "earlier month's cells matched");
    Ok(Some(RecordedSide {
        side: Side { period, entries },
        not_compared,
    }))
}

/// A period's monthly payments, the live one of each beneficiary else the
/// latest failed one, in key order, with the row id of each one's batch.
fn payments_of(conn: &Connection, period: Period) -> rusqlite::Result<(Vec<Entry>, Vec<i64>)> {
    let mut stmt = conn.prepare(
        "SELECT beneficiary_key, slot, row, name, file, account, amount_vnd, identifiers, status
         FROM payments WHERE period = ?1 AND payment_type = ?2",
    )?;
    // A month has a few dozen bank files: their bank and batch by id.
    let files: HashMap<i64, (CompactString, i64)> = conn
        .prepare("SELECT id, bank_bin, batch FROM bank_files")?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                (CompactString::from(r.get_ref(1)?.as_str()?), r.get(2)?),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut batch_of: Vec<i64> = Vec::new();
    let mut live = false;
    let mut rows = stmt.query((period.to_string(), MONTHLY))?;
    let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<CompactString> {
        Ok(CompactString::from(r.get_ref(i)?.as_str()?))
    };
    // In key order, each key's live payment (slot 0) first, then its failed
    // ones by attempt.
    while let Some(r) = rows.next()? {
        let key = r.get_ref(0)?.as_str()?;
        let slot: i64 = r.get(1)?;
        let same = entries.last().is_some_and(|e| e.key == key);
        if same && live {
            continue;
        }
        let (bank_bin, batch) = files.get(&r.get::<_, i64>(4)?).cloned().unwrap_or_default();
        let entry = Entry {
            birth: birth_of(key, r.get_ref(7)?.as_str()?),
            key: CompactString::from(key),
            row: r.get(2)?,
            name: text(r, 3)?,
            bank_bin,
            account: text(r, 5)?,
            amount: r.get(6)?,
            status: Some(r.get(8)?),
            ..Entry::default()
        };
        live = slot == 0;
        if same {
            *entries.last_mut().expect("same key") = entry;
            *batch_of.last_mut().expect("same key") = batch;
        } else {
            entries.push(entry);
            batch_of.push(batch);
        }
    }
    Ok((entries, batch_of))
}

/// The birth date a payment was recorded with, as a date.
fn birth_of(key: &str, identifiers: &str) -> Option<Birth> {
    let text = super::recorded_birth(key, identifiers)?;
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(Birth::Date)
}
