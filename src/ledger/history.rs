//! What the ledger knows of earlier months, for month-over-month control:
//! one period's beneficiaries of the monthly allowance (the latest payment
//! of each, with the commune, category and coefficient of its input row,
//! read back from its batch's `accepted.csv`), and who has gone three
//! months without receiving anything.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension};

use super::records::{self, BatchRecord};
use super::{Ledger, LedgerError, LedgerTx, PaymentStatus};
use crate::changes::{Entry, Side};
use crate::period::Period;
use crate::reference::{ColumnAliases, Field};
use crate::validate::coefficient_mismatch::Birth;

/// A listing's cells of the fields read, by spreadsheet row.
type ListedCells = HashMap<u32, Vec<Option<String>>>;

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
                stmt.query_row((p.to_string(), MONTHLY, &e.key), |r| r.get(0))?;
            // No payment, or a live one (slot 0): not three failed months.
            if slot.is_none_or(|s| s == 0) {
                all_failed = false;
                break;
            }
        }
        if all_failed {
            keys.insert(e.key.clone());
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
    let mut stmt = conn.prepare(
        "SELECT p.beneficiary_key, p.slot, p.row, p.name, f.bank_bin, p.account, p.amount_vnd,
                p.identifiers, p.status, f.batch
         FROM payments p CROSS JOIN bank_files f ON f.id = p.file
         WHERE p.period = ?1 AND p.payment_type = ?2",
    )?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut batch_of: Vec<i64> = Vec::new();
    let mut live = false;
    let mut rows = stmt.query((period.to_string(), MONTHLY))?;
    // In key order, each key's live payment (slot 0) first, then its failed
    // ones by attempt.
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        let slot: i64 = r.get(1)?;
        let same = entries.last().is_some_and(|e| e.key == key);
        if same && live {
            continue;
        }
        let identifiers: String = r.get(7)?;
        let entry = Entry {
            birth: birth_of(&key, &identifiers),
            key,
            row: r.get(2)?,
            name: r.get(3)?,
            bank_bin: r.get(4)?,
            account: r.get(5)?,
            amount: r.get(6)?,
            status: Some(r.get(8)?),
            ..Entry::default()
        };
        live = slot == 0;
        if same {
            *entries.last_mut().expect("same key") = entry;
            *batch_of.last_mut().expect("same key") = r.get(9)?;
        } else {
            entries.push(entry);
            batch_of.push(r.get(9)?);
        }
    }
    drop(rows);
    if entries.is_empty() {
        return Ok(None);
    }
    // The input rows' other cells, batch by batch.
    let ids: HashSet<i64> = batch_of.iter().copied().collect();
    let batches: Vec<(i64, BatchRecord)> = records::batches_by_id(conn, &ids)?;
    let fields = [Field::Commune, Field::Category, Field::Coefficient];
    let read: Vec<(i64, String, Result<ListedCells, String>)> = batches
        .par_iter()
        .map(|(id, b)| {
            (
                *id,
                b.batch_id.clone(),
                super::source::read_fields(b, &fields, columns),
            )
        })
        .collect();
    let mut not_compared = Vec::new();
    let mut cells: HashMap<i64, ListedCells> = HashMap::new();
    for (id, batch_id, result) in read {
        match result {
            Ok(rows) => {
                cells.insert(id, rows);
            }
            Err(why) => not_compared.push((batch_id, why)),
        }
    }
    not_compared.sort();
    for (e, batch) in entries.iter_mut().zip(&batch_of) {
        if let Some(row) = cells.get(batch).and_then(|rows| rows.get(&e.row)) {
            e.commune = row[0].clone();
            e.category = row[1].clone();
            e.coefficient = row[2].as_deref().and_then(crate::cells::parse_coefficient);
        }
    }
    Ok(Some(RecordedSide {
        side: Side { period, entries },
        not_compared,
    }))
}

/// The birth date a payment was recorded with: in its identifiers
/// (`birth:YYYY-MM-DD`), or in a name key (`name:<name>|<birth>|…`).
fn birth_of(key: &str, identifiers: &str) -> Option<Birth> {
    let text = identifiers
        .split(';')
        .find_map(|p| p.strip_prefix("birth:"))
        .or_else(|| key.strip_prefix("name:")?.split('|').nth(1))?;
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(Birth::Date)
}
