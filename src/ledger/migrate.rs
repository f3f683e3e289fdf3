//! Migration of a ledger written with schema version 2, in place and in one
//! transaction: a kill at any point leaves the old ledger or the new one,
//! never a half.
//!
//! Version 2 kept every payment's whole input row as JSON, referenced its
//! batch and bank file by their text ids and indexed its hashed end-to-end
//! id; version 3 keeps the row in the batch's `accepted.csv` (see
//! `source.rs`), clusters payments by beneficiary and keeps the end-to-end
//! ids in a table of their own. The journal's seals of version 2 covered
//! the input rows, so the migration first checks every batch's payments
//! against its seal (a ledger changed behind the journal's back is not
//! migrated, so that its changes are not sealed anew), copies them, and
//! journals the new seals in a `migration` record that `verify` replays.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::journal::{self, PaymentsSeal};
use super::records::{self, PaymentFilter};
use super::{LedgerError, SCHEMA, SCHEMA_VERSION};

/// The version this module migrates from.
const FROM: i64 = 2;

/// The journal body of a migration.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Migration {
    /// The schema version migrated from.
    pub from: i64,
    /// The schema version migrated to.
    pub to: i64,
    /// Payments migrated.
    pub payments: u64,
    /// Each batch's payments sealed anew, as the new schema records them.
    pub seals: Vec<PaymentsSeal>,
}

/// A payment as version 2 recorded and sealed it: its fields in the order
/// of that release's records, the input row last.
#[derive(Serialize)]
struct V2Payment {
    end_to_end_id: String,
    batch_id: String,
    message_id: String,
    period: String,
    payment_type: String,
    beneficiary_key: String,
    attempt: u32,
    bank_bin: String,
    account: String,
    amount_vnd: i64,
    row: u32,
    name: String,
    source_row: String,
}

/// Migrates the version 2 ledger open on `conn` to the current version.
pub(super) fn from_v2(conn: &mut Connection, path: &Path) -> Result<(), LedgerError> {
    let sql = |source| LedgerError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let refuse = |message: String| LedgerError::Migration {
        path: path.to_owned(),
        message,
    };
    let Some(tx) = begin(conn, path, FROM)? else {
        return Ok(());
    };
    check_v2_seals(&tx)
        .map_err(sql)?
        .map_or(Ok(()), |why| Err(refuse(why)))?;
    let before: u64 = tx
        .query_row("SELECT count(*) FROM payments", [], |r| r.get(0))
        .map_err(sql)?;
    tx.execute_batch(&format!(
        "DROP INDEX one_live_payment;
         ALTER TABLE payments RENAME TO payments_v2;
         ALTER TABLE bank_files RENAME TO bank_files_v2;
         ALTER TABLE batches RENAME TO batches_v2;
         {SCHEMA}
         INSERT INTO batches (batch_id, input_sha256, input_file, source, period, office,
                              created_at, out_dir, staging_dir, manifest_sha256, accepted,
                              accepted_vnd, rejected, state)
             SELECT batch_id, input_sha256, input_file, source, period, office, created_at,
                    out_dir, staging_dir, manifest_sha256, accepted, accepted_vnd, rejected, state
             FROM batches_v2 ORDER BY created_at, batch_id;
         INSERT INTO bank_files (message_id, batch, path, bank_bin, sha256, transactions, total_vnd)
             SELECT f.message_id, b.id, f.path, f.bank_bin, f.sha256, f.transactions, f.total_vnd
             FROM bank_files_v2 f JOIN batches b ON b.batch_id = f.batch_id
             ORDER BY b.id, f.message_id;
         INSERT INTO payments (period, payment_type, beneficiary_key, slot, attempt,
                               end_to_end_id, file, account, amount_vnd, row, name, status,
                               reason_code, reason_text)
             SELECT p.period, p.payment_type, p.beneficiary_key,
                    CASE WHEN p.status IN ('rejected', 'returned') THEN p.attempt ELSE 0 END,
                    p.attempt, p.end_to_end_id, f.id, p.account, p.amount_vnd, p.row, p.name,
                    CASE p.status WHEN 'sent' THEN 0 WHEN 'pending' THEN 1 WHEN 'accepted' THEN 2
                                  WHEN 'settled' THEN 3 WHEN 'rejected' THEN 4
                                  WHEN 'returned' THEN 5 END,
                    p.reason_code, p.reason_text
             FROM payments_v2 p JOIN bank_files f ON f.message_id = p.message_id
             ORDER BY p.period, p.payment_type, p.beneficiary_key, 4;
         INSERT INTO end_to_end_ids (end_to_end_id, period, payment_type, beneficiary_key, attempt)
             SELECT end_to_end_id, period, payment_type, beneficiary_key, attempt
             FROM payments_v2 ORDER BY end_to_end_id;
         DROP TABLE payments_v2;
         DROP TABLE bank_files_v2;
         DROP TABLE batches_v2;"
    ))
    .map_err(sql)?;
    let after: u64 = tx
        .query_row("SELECT count(*) FROM end_to_end_ids", [], |r| r.get(0))
        .map_err(sql)?;
    let joined: u64 = tx
        .query_row("SELECT count(*) FROM payments", [], |r| r.get(0))
        .map_err(sql)?;
    if after != before || joined != before {
        return Err(refuse(format!(
            "{before} payments, {joined} of them in a recorded bank file"
        )));
    }
    let mut seals = Vec::new();
    for (batch, _) in records::all_batches(&tx).map_err(sql)? {
        let payments =
            records::payments(&tx, PaymentFilter::Batch(&batch.batch_id)).map_err(sql)?;
        if payments.is_empty() {
            continue;
        }
        let (count, digest) = journal::payments_digest(payments.iter().map(|(p, _)| p));
        seals.push(PaymentsSeal {
            batch_id: batch.batch_id,
            count,
            digest,
        });
    }
    commit(
        tx,
        path,
        &Migration {
            from: FROM,
            to: SCHEMA_VERSION,
            payments: before,
            seals,
        },
    )?;
    // The pages the old rows took go back to the file system; on its own
    // transaction, so a kill here leaves the migrated ledger as it was.
    conn.execute_batch("VACUUM").map_err(sql)?;
    Ok(())
}

/// Why the version 2 payments are not what the journal sealed, if they are
/// not.
fn check_v2_seals(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut seals: BTreeMap<String, PaymentsSeal> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT kind, body FROM journal WHERE kind IN ('payments', 'undo') ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let kind: String = row.get(0)?;
        let body: String = row.get(1)?;
        if kind == "payments" {
            let Ok(seal) = serde_json::from_str::<PaymentsSeal>(&body) else {
                return Ok(Some(format!(
                    "a seal of its journal cannot be read: {body}"
                )));
            };
            seals.insert(seal.batch_id.clone(), seal);
        } else if let Ok(v) = serde_json::from_str::<serde_json::Value>(&body) {
            seals.remove(v["batch_id"].as_str().unwrap_or_default());
        }
    }
    let mut stmt = conn.prepare(
        "SELECT end_to_end_id, batch_id, message_id, period, payment_type, beneficiary_key,
                attempt, bank_bin, account, amount_vnd, row, name, source_row
         FROM payments ORDER BY batch_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut batch: Option<(String, Vec<String>)> = None;
    let mut found: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut finish = |batch: Option<(String, Vec<String>)>| {
        if let Some((id, mut lines)) = batch {
            lines.sort_unstable();
            let mut h = Sha256::new();
            for line in &lines {
                h.update(line.as_bytes());
                h.update(b"\n");
            }
            found.insert(id, (lines.len(), hex::encode(h.finalize())));
        }
    };
    while let Some(r) = rows.next()? {
        let p = V2Payment {
            end_to_end_id: r.get(0)?,
            batch_id: r.get(1)?,
            message_id: r.get(2)?,
            period: r.get(3)?,
            payment_type: r.get(4)?,
            beneficiary_key: r.get(5)?,
            attempt: r.get(6)?,
            bank_bin: r.get(7)?,
            account: r.get(8)?,
            amount_vnd: r.get(9)?,
            row: r.get(10)?,
            name: r.get(11)?,
            source_row: r.get(12)?,
        };
        if batch.as_ref().is_none_or(|(id, _)| *id != p.batch_id) {
            finish(batch.take());
            batch = Some((p.batch_id.clone(), Vec::new()));
        }
        let line = serde_json::to_string(&p).expect("records serialise");
        if let Some((_, lines)) = batch.as_mut() {
            lines.push(line);
        }
    }
    finish(batch);
    for (id, (count, digest)) in &found {
        match seals.get(id) {
            Some(seal) if seal.count == *count && seal.digest == *digest => {}
            Some(_) => {
                return Ok(Some(format!(
                    "the payments of batch `{id}` are not those its journal sealed: the ledger was changed (`disburse ledger verify` with the release that wrote it names what)"
                )));
            }
            None => {
                return Ok(Some(format!(
                    "batch `{id}` has payments its journal never sealed"
                )));
            }
        }
    }
    if let Some(id) = seals.keys().find(|id| !found.contains_key(*id)) {
        return Ok(Some(format!(
            "the payments of batch `{id}` were deleted from the ledger"
        )));
    }
    Ok(None)
}

/// Migrates the version 3 ledger open on `conn` to the current version, in
/// one transaction: batches gain the roles that must approve them (none for
/// every batch recorded so far), and the approvals, releases and
/// withdrawals get their tables. Journalled as a `migration` record with
/// nothing to seal anew.
pub(super) fn from_v3(conn: &mut Connection, path: &Path) -> Result<(), LedgerError> {
    let sql = |source| LedgerError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let Some(tx) = begin(conn, path, 3)? else {
        return Ok(());
    };
    tx.execute_batch(&format!(
        "ALTER TABLE batches ADD COLUMN approval_roles TEXT NOT NULL DEFAULT '';
         {SCHEMA}"
    ))
    .map_err(sql)?;
    let payments: u64 = tx
        .query_row("SELECT count(*) FROM end_to_end_ids", [], |r| r.get(0))
        .map_err(sql)?;
    commit(
        tx,
        path,
        &Migration {
            from: 3,
            to: SCHEMA_VERSION,
            payments,
            seals: Vec::new(),
        },
    )
}

/// The migration's write transaction, once the ledger is found at version
/// `from`; `None` when another process migrated it while this one waited.
fn begin<'c>(
    conn: &'c mut Connection,
    path: &Path,
    from: i64,
) -> Result<Option<rusqlite::Transaction<'c>>, LedgerError> {
    let sql = |source| LedgerError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if version == SCHEMA_VERSION {
        // Another process migrated it while this one waited.
        return Ok(None);
    }
    if version != from {
        return Err(LedgerError::Version {
            path: path.to_owned(),
            found: version,
        });
    }
    tracing::warn!(
        "migrating ledger `{}` from schema version {from} to {SCHEMA_VERSION}",
        path.display()
    );
    Ok(Some(tx))
}

/// Journals the migration, sets the new version and commits, with the
/// journal's head anchored beside the ledger as every commit does.
fn commit(
    tx: rusqlite::Transaction<'_>,
    path: &Path,
    migration: &Migration,
) -> Result<(), LedgerError> {
    let sql = |source| LedgerError::Sqlite {
        path: path.to_owned(),
        source,
    };
    journal::append(&tx, "migration", migration).map_err(sql)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(sql)?;
    crate::failpoint::hit("migration-copied");
    let head_file = |source| LedgerError::HeadFile {
        path: super::head::path(path),
        source,
    };
    super::head::prepare(path, &super::head::current(&tx).map_err(sql)?).map_err(head_file)?;
    tx.commit().map_err(sql)?;
    super::head::publish(path).map_err(head_file)?;
    crate::failpoint::hit("migration-committed");
    Ok(())
}
