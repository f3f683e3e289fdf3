//! The ledger's records and the SQL that reads and writes them.

use rusqlite::{Connection, Row, Statement, params};
use serde::{Deserialize, Serialize};

use super::PaymentStatus;

/// A batch as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRecord {
    /// Batch id.
    pub batch_id: String,
    /// sha256 of the input file.
    pub input_sha256: String,
    /// The input's file name.
    pub input_file: String,
    /// Where the input was taken from (path or watch-folder claim).
    pub source: String,
    /// Paid month.
    pub period: String,
    /// Office code.
    pub office: String,
    /// Creation time.
    pub created_at: String,
    /// The published batch directory.
    pub out_dir: String,
    /// The staging directory it was written in.
    pub staging_dir: String,
    /// sha256 of its `manifest.json`.
    pub manifest_sha256: String,
    /// Rows paid.
    pub accepted: i64,
    /// Amount paid.
    pub accepted_vnd: i64,
    /// Rows rejected.
    pub rejected: i64,
    /// The roles that must sign the batch before its files go to the
    /// banks, comma-separated; empty when it needs no approval (and in the
    /// journal of batches recorded before approvals existed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub approval_roles: String,
}

impl BatchRecord {
    /// The roles that must sign it.
    pub fn roles(&self) -> impl Iterator<Item = &str> {
        self.approval_roles.split(',').filter(|r| !r.is_empty())
    }
}

/// A signature over a batch's manifest, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRecord {
    /// The batch signed.
    pub batch_id: String,
    /// The role signed in.
    pub role: String,
    /// Who signed, as the configuration names them.
    pub signer: String,
    /// Their Ed25519 public key, hex.
    pub public_key: String,
    /// When.
    pub signed_at: String,
    /// The manifest signed.
    pub manifest_sha256: String,
    /// The signature of the statement, hex.
    pub signature: String,
}

/// A batch handed over for the banks, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRecord {
    /// The batch.
    pub batch_id: String,
    /// When.
    pub released_at: String,
    /// Where its files were copied (directories, `;`-separated).
    pub destination: String,
    /// The manifest released.
    pub manifest_sha256: String,
}

/// A batch withdrawn before release, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidRecord {
    /// The batch.
    pub batch_id: String,
    /// When.
    pub voided_at: String,
    /// Why, in the words of who withdrew it.
    pub reason: String,
}

/// A bank file as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankFileRecord {
    /// `MsgId`.
    pub message_id: String,
    /// Its batch.
    pub batch_id: String,
    /// Path relative to the batch directory.
    pub path: String,
    /// Receiving bank.
    pub bank_bin: String,
    /// sha256 of the file.
    pub sha256: String,
    /// `NbOfTxs`.
    pub transactions: i64,
    /// `CtrlSum`.
    pub total_vnd: i64,
}

/// A payment as recorded when it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    /// `EndToEndId`.
    pub end_to_end_id: String,
    /// Its batch.
    pub batch_id: String,
    /// Its bank file's `MsgId`.
    pub message_id: String,
    /// Paid month.
    pub period: String,
    /// Payment type.
    pub payment_type: String,
    /// Beneficiary identity.
    pub beneficiary_key: String,
    /// 1 for a first payment, more for re-issues.
    pub attempt: u32,
    /// Receiving bank.
    pub bank_bin: String,
    /// Account number.
    pub account: String,
    /// Amount.
    pub amount_vnd: i64,
    /// Spreadsheet row of the input.
    pub row: u32,
    /// Beneficiary name.
    pub name: String,
    /// The beneficiary's identifiers the key does not hold
    /// (`cid:…;code:…;birth:…`).
    pub identifiers: String,
}

/// A payment to record, borrowed from the batch that made it. Its fields
/// are [`PaymentRecord`]'s, in the same order, so that its JSON (a line of
/// the journal's payments digest) is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NewPayment<'a> {
    /// `EndToEndId`.
    pub end_to_end_id: &'a str,
    /// Its batch.
    pub batch_id: &'a str,
    /// Its bank file's `MsgId`.
    pub message_id: &'a str,
    /// Paid month.
    pub period: &'a str,
    /// Payment type.
    pub payment_type: &'a str,
    /// Beneficiary identity.
    pub beneficiary_key: &'a str,
    /// 1 for a first payment, more for re-issues.
    pub attempt: u32,
    /// Receiving bank.
    pub bank_bin: &'a str,
    /// Account number.
    pub account: &'a str,
    /// Amount.
    pub amount_vnd: i64,
    /// Spreadsheet row of the input.
    pub row: u32,
    /// Beneficiary name.
    pub name: &'a str,
    /// The beneficiary's identifiers the key does not hold.
    pub identifiers: &'a str,
}

/// A batch's payments to record, made one at a time: a national list's
/// payments are never all held as records at once.
pub trait NewPayments: Sync {
    /// How many.
    fn count(&self) -> usize;

    /// Payment `i`.
    fn payment(&self, i: usize) -> NewPayment<'_>;

    /// Payment `i`'s end-to-end id, payment type and beneficiary key (the
    /// keys it is inserted and digested by).
    fn keys(&self, i: usize) -> (&str, &str, &str);
}

impl<P: std::borrow::Borrow<PaymentRecord> + Sync> NewPayments for [P] {
    fn count(&self) -> usize {
        self.len()
    }

    fn payment(&self, i: usize) -> NewPayment<'_> {
        let p = self[i].borrow();
        NewPayment {
            end_to_end_id: &p.end_to_end_id,
            batch_id: &p.batch_id,
            message_id: &p.message_id,
            period: &p.period,
            payment_type: &p.payment_type,
            beneficiary_key: &p.beneficiary_key,
            attempt: p.attempt,
            bank_bin: &p.bank_bin,
            account: &p.account,
            amount_vnd: p.amount_vnd,
            row: p.row,
            name: &p.name,
            identifiers: &p.identifiers,
        }
    }

    fn keys(&self, i: usize) -> (&str, &str, &str) {
        let p = self[i].borrow();
        (&p.end_to_end_id, &p.payment_type, &p.beneficiary_key)
    }
}

/// A payment's status and its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The payment.
    pub end_to_end_id: String,
    /// Where it stands.
    pub status: PaymentStatus,
    /// ISO 20022 reason code.
    pub reason_code: String,
    /// The bank's text.
    pub reason_text: String,
}

/// A bank answer as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    /// sha256 of the file.
    pub sha256: String,
    /// Its name.
    pub file_name: String,
    /// `pain.002`, `camt.054` or `camt.053`.
    pub kind: String,
    /// Its `MsgId`.
    pub message_id: String,
    /// When it was read.
    pub received_at: String,
    /// Payments whose status it changed.
    pub updated: i64,
    /// Statements it made that could not be applied.
    pub unmatched: i64,
}

pub(super) fn insert_answer(conn: &Connection, a: &AnswerRecord) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO answers (sha256, file_name, kind, message_id, received_at, updated, unmatched)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            a.sha256,
            a.file_name,
            a.kind,
            a.message_id,
            a.received_at,
            a.updated,
            a.unmatched
        ],
    )?;
    Ok(())
}

pub(super) fn answers(conn: &Connection) -> rusqlite::Result<Vec<AnswerRecord>> {
    answers_where(conn, None)
}

/// The answers read, or the one with this sha256.
pub(super) fn answers_where(
    conn: &Connection,
    sha256: Option<&str>,
) -> rusqlite::Result<Vec<AnswerRecord>> {
    let mut stmt = conn.prepare(
        "SELECT sha256, file_name, kind, message_id, received_at, updated, unmatched FROM answers
         WHERE ?1 IS NULL OR sha256 = ?1 ORDER BY sha256",
    )?;
    stmt.query_map([sha256], |r| {
        Ok(AnswerRecord {
            sha256: r.get(0)?,
            file_name: r.get(1)?,
            kind: r.get(2)?,
            message_id: r.get(3)?,
            received_at: r.get(4)?,
            updated: r.get(5)?,
            unmatched: r.get(6)?,
        })
    })?
    .collect()
}

const BATCH_COLUMNS: &str = "batch_id, input_sha256, input_file, source, period, office, created_at, out_dir, \
     staging_dir, manifest_sha256, accepted, accepted_vnd, rejected, approval_roles, state";

fn batch_from(r: &Row<'_>) -> rusqlite::Result<(BatchRecord, String)> {
    Ok((
        BatchRecord {
            batch_id: r.get(0)?,
            input_sha256: r.get(1)?,
            input_file: r.get(2)?,
            source: r.get(3)?,
            period: r.get(4)?,
            office: r.get(5)?,
            created_at: r.get(6)?,
            out_dir: r.get(7)?,
            staging_dir: r.get(8)?,
            manifest_sha256: r.get(9)?,
            accepted: r.get(10)?,
            accepted_vnd: r.get(11)?,
            rejected: r.get(12)?,
            approval_roles: r.get(13)?,
        },
        r.get(14)?,
    ))
}

pub(super) fn batch_where(
    conn: &Connection,
    filter: &str,
    value: &str,
) -> rusqlite::Result<Option<BatchRecord>> {
    batch_and_state_where(conn, filter, value).map(|b| b.map(|(b, _)| b))
}

/// [`batch_where`], with the batch's state.
pub(super) fn batch_and_state_where(
    conn: &Connection,
    filter: &str,
    value: &str,
) -> rusqlite::Result<Option<(BatchRecord, String)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {BATCH_COLUMNS} FROM batches WHERE {filter}"
    ))?;
    let mut rows = stmt.query_map([value], batch_from)?;
    rows.next().transpose()
}

pub(super) fn batches_where(conn: &Connection, filter: &str) -> rusqlite::Result<Vec<BatchRecord>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {BATCH_COLUMNS} FROM batches WHERE {filter} ORDER BY created_at, batch_id"
    ))?;
    stmt.query_map([], batch_from)?
        .map(|r| r.map(|(b, _)| b))
        .collect()
}

pub(super) fn all_batches(conn: &Connection) -> rusqlite::Result<Vec<(BatchRecord, String)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {BATCH_COLUMNS} FROM batches ORDER BY created_at, batch_id"
    ))?;
    stmt.query_map([], batch_from)?.collect()
}

/// The batches of a period, with their row id.
pub(super) fn batches_of_period(
    conn: &Connection,
    period: &str,
) -> rusqlite::Result<Vec<(i64, BatchRecord)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {BATCH_COLUMNS}, id FROM batches WHERE period = ?1 ORDER BY id"
    ))?;
    stmt.query_map([period], |r| Ok((r.get(15)?, batch_from(r)?.0)))?
        .collect()
}

/// Records a batch as pending; its row id.
pub(super) fn insert_batch(conn: &Connection, b: &BatchRecord) -> rusqlite::Result<i64> {
    conn.execute(
        &format!("INSERT INTO batches ({BATCH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'pending')"),
        params![
            b.batch_id, b.input_sha256, b.input_file, b.source, b.period, b.office, b.created_at,
            b.out_dir, b.staging_dir, b.manifest_sha256, b.accepted, b.accepted_vnd, b.rejected,
            b.approval_roles
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records a bank file of the batch with row id `batch`; its row id.
pub(super) fn insert_bank_file(
    conn: &Connection,
    f: &BankFileRecord,
    batch: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO bank_files (message_id, batch, path, bank_bin, sha256, transactions, total_vnd)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![f.message_id, batch, f.path, f.bank_bin, f.sha256, f.transactions, f.total_vnd],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn bank_files(conn: &Connection) -> rusqlite::Result<Vec<BankFileRecord>> {
    bank_files_where(conn, None)
}

pub(super) fn bank_files_where(
    conn: &Connection,
    message_id: Option<&str>,
) -> rusqlite::Result<Vec<BankFileRecord>> {
    let mut stmt = conn.prepare(
        "SELECT f.message_id, b.batch_id, f.path, f.bank_bin, f.sha256, f.transactions, f.total_vnd
         FROM bank_files f JOIN batches b ON b.id = f.batch
         WHERE ?1 IS NULL OR f.message_id = ?1 ORDER BY f.message_id",
    )?;
    stmt.query_map([message_id], |r| {
        Ok(BankFileRecord {
            message_id: r.get(0)?,
            batch_id: r.get(1)?,
            path: r.get(2)?,
            bank_bin: r.get(3)?,
            sha256: r.get(4)?,
            transactions: r.get(5)?,
            total_vnd: r.get(6)?,
        })
    })?
    .collect()
}

/// The columns of a payment read with its bank file `f` and batch `b`, in
/// [`payment_from`]'s order.
const PAYMENT_COLUMNS: &str = "p.end_to_end_id, b.batch_id, f.message_id, p.period, p.payment_type, \
     p.beneficiary_key, p.attempt, f.bank_bin, p.account, p.amount_vnd, p.row, p.name, p.identifiers, \
     p.status, p.reason_code, p.reason_text";

/// Payments with their bank file and batch. The payments come first and
/// the order is fixed (`CROSS JOIN`), so that a condition on the period
/// reads one period's range of the table, never the whole of it.
const PAYMENT_JOIN: &str = "payments p CROSS JOIN bank_files f ON f.id = p.file \
     CROSS JOIN batches b ON b.id = f.batch";

pub(super) fn payment_insert(conn: &Connection) -> rusqlite::Result<Statement<'_>> {
    conn.prepare(
        "INSERT INTO payments (period, payment_type, beneficiary_key, slot, attempt, end_to_end_id,
                               file, account, amount_vnd, row, name, identifiers, status)
         VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0)",
    )
}

/// Records a payment, as `sent`, in the bank file with row id `file`.
pub(super) fn insert_payment(
    stmt: &mut Statement<'_>,
    p: &NewPayment<'_>,
    file: i64,
) -> rusqlite::Result<()> {
    stmt.execute(params![
        p.period,
        p.payment_type,
        p.beneficiary_key,
        p.attempt,
        p.end_to_end_id,
        file,
        p.account,
        p.amount_vnd,
        p.row,
        p.name,
        p.identifiers,
    ])?;
    Ok(())
}

pub(super) fn end_to_end_id_insert(conn: &Connection) -> rusqlite::Result<Statement<'_>> {
    conn.prepare(
        "INSERT INTO end_to_end_ids (end_to_end_id, period, payment_type, beneficiary_key, attempt)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
}

/// Records a payment's end-to-end id.
pub(super) fn insert_end_to_end_id(
    stmt: &mut Statement<'_>,
    p: &NewPayment<'_>,
) -> rusqlite::Result<()> {
    stmt.execute(params![
        p.end_to_end_id,
        p.period,
        p.payment_type,
        p.beneficiary_key,
        p.attempt
    ])?;
    Ok(())
}

fn payment_from(r: &Row<'_>) -> rusqlite::Result<(PaymentRecord, StatusChange)> {
    let id: String = r.get(0)?;
    Ok((
        PaymentRecord {
            end_to_end_id: id.clone(),
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
            identifiers: r.get(12)?,
        },
        StatusChange {
            end_to_end_id: id,
            status: r.get(13)?,
            reason_code: r.get(14)?,
            reason_text: r.get(15)?,
        },
    ))
}

/// Which payments to read.
#[derive(Debug, Clone, Copy)]
pub enum PaymentFilter<'a> {
    /// Every payment.
    All,
    /// A month's.
    Period(&'a str),
    /// A batch's.
    Batch(&'a str),
    /// One bank file's (`MsgId`).
    Message(&'a str),
}

impl<'a> PaymentFilter<'a> {
    /// The SQL condition on [`PAYMENT_JOIN`], and its parameter `?1`: a
    /// batch's or a bank file's payments are looked for in its period only.
    fn condition(self) -> (&'static str, Option<&'a str>) {
        match self {
            PaymentFilter::All => ("?1 IS NULL", None),
            PaymentFilter::Period(p) => ("p.period = ?1", Some(p)),
            PaymentFilter::Batch(b) => (
                "p.period = (SELECT period FROM batches WHERE batch_id = ?1) AND b.batch_id = ?1",
                Some(b),
            ),
            PaymentFilter::Message(m) => (
                "p.period = (SELECT b2.period FROM bank_files f2 JOIN batches b2 ON b2.id = f2.batch
                             WHERE f2.message_id = ?1) AND f.message_id = ?1",
                Some(m),
            ),
        }
    }
}

pub(super) fn payments(
    conn: &Connection,
    filter: PaymentFilter<'_>,
) -> rusqlite::Result<Vec<(PaymentRecord, StatusChange)>> {
    payments_where(conn, filter, true)
}

/// The payments `filter` selects: in batch and row order if `ordered`,
/// else in the table's.
pub(super) fn payments_where(
    conn: &Connection,
    filter: PaymentFilter<'_>,
    ordered: bool,
) -> rusqlite::Result<Vec<(PaymentRecord, StatusChange)>> {
    let (condition, value) = filter.condition();
    let order = if ordered {
        " ORDER BY b.batch_id, p.row, p.end_to_end_id"
    } else {
        ""
    };
    let sql = format!("SELECT {PAYMENT_COLUMNS} FROM {PAYMENT_JOIN} WHERE {condition}{order}");
    let mut stmt = conn.prepare(&sql)?;
    stmt.query_map([value], payment_from)?.collect()
}

/// Every payment, in the table's own order (by period and beneficiary).
pub(super) fn payments_in_table_order(
    conn: &Connection,
) -> rusqlite::Result<Vec<(PaymentRecord, StatusChange)>> {
    payments_where(conn, PaymentFilter::All, false)
}

/// How many payments of one batch at one bank have one status, and their
/// sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    /// Batch.
    pub batch_id: String,
    /// Receiving bank.
    pub bank_bin: String,
    /// Status.
    pub status: PaymentStatus,
    /// How many.
    pub payments: u64,
    /// Their sum in đồng.
    pub vnd: i64,
}

pub(super) fn status_counts(
    conn: &Connection,
    filter: PaymentFilter<'_>,
) -> rusqlite::Result<Vec<StatusCount>> {
    let (condition, value) = filter.condition();
    let sql = format!(
        "SELECT b.batch_id, f.bank_bin, p.status, count(*), sum(p.amount_vnd) FROM {PAYMENT_JOIN} \
         WHERE {condition} GROUP BY b.batch_id, f.bank_bin, p.status ORDER BY b.batch_id, f.bank_bin, p.status"
    );
    let mut stmt = conn.prepare(&sql)?;
    stmt.query_map([value], |r| {
        Ok(StatusCount {
            batch_id: r.get(0)?,
            bank_bin: r.get(1)?,
            status: r.get(2)?,
            payments: r.get(3)?,
            vnd: r.get(4)?,
        })
    })?
    .collect()
}

pub(super) fn payment_by_id(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<(PaymentRecord, StatusChange)> {
    conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM end_to_end_ids i CROSS JOIN {PAYMENT_JOIN}
         WHERE i.end_to_end_id = ?1 AND p.period = i.period AND p.payment_type = i.payment_type
           AND p.beneficiary_key = i.beneficiary_key AND p.attempt = i.attempt"
    ))?
    .query_row([id], payment_from)
}

/// A batch's approvals, by role.
pub(super) fn approvals(
    conn: &Connection,
    batch_id: &str,
) -> rusqlite::Result<Vec<ApprovalRecord>> {
    let mut stmt = conn.prepare(
        "SELECT b.batch_id, a.role, a.signer, a.public_key, a.signed_at, a.manifest_sha256, a.signature
         FROM approvals a JOIN batches b ON b.id = a.batch
         WHERE b.batch_id = ?1 OR ?1 IS NULL ORDER BY b.id, a.role",
    )?;
    let batch = (!batch_id.is_empty()).then_some(batch_id);
    stmt.query_map([batch], |r| {
        Ok(ApprovalRecord {
            batch_id: r.get(0)?,
            role: r.get(1)?,
            signer: r.get(2)?,
            public_key: r.get(3)?,
            signed_at: r.get(4)?,
            manifest_sha256: r.get(5)?,
            signature: r.get(6)?,
        })
    })?
    .collect()
}

/// An insert that selects its batch by id wrote exactly one row: none
/// means the batch is not recorded.
fn one_row(inserted: usize) -> rusqlite::Result<()> {
    match inserted {
        1 => Ok(()),
        _ => Err(rusqlite::Error::QueryReturnedNoRows),
    }
}

/// Records an approval.
pub(super) fn insert_approval(conn: &Connection, a: &ApprovalRecord) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO approvals (batch, role, signer, public_key, signed_at, manifest_sha256, signature)
         SELECT id, ?2, ?3, ?4, ?5, ?6, ?7 FROM batches WHERE batch_id = ?1",
        params![
            a.batch_id,
            a.role,
            a.signer,
            a.public_key,
            a.signed_at,
            a.manifest_sha256,
            a.signature
        ],
    )
    .and_then(one_row)
}

/// Releases, of one batch or (with an empty id) of all.
pub(super) fn releases(conn: &Connection, batch_id: &str) -> rusqlite::Result<Vec<ReleaseRecord>> {
    let mut stmt = conn.prepare(
        "SELECT b.batch_id, r.released_at, r.destination, r.manifest_sha256
         FROM releases r JOIN batches b ON b.id = r.batch
         WHERE b.batch_id = ?1 OR ?1 IS NULL ORDER BY b.id",
    )?;
    let batch = (!batch_id.is_empty()).then_some(batch_id);
    stmt.query_map([batch], |r| {
        Ok(ReleaseRecord {
            batch_id: r.get(0)?,
            released_at: r.get(1)?,
            destination: r.get(2)?,
            manifest_sha256: r.get(3)?,
        })
    })?
    .collect()
}

/// Records a release.
pub(super) fn insert_release(conn: &Connection, r: &ReleaseRecord) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO releases (batch, released_at, destination, manifest_sha256)
         SELECT id, ?2, ?3, ?4 FROM batches WHERE batch_id = ?1",
        params![r.batch_id, r.released_at, r.destination, r.manifest_sha256],
    )
    .and_then(one_row)
}

/// Whether a batch's payments are sent: it needs no approval (released
/// when published) or it was released. `None` for a batch not recorded.
pub(super) fn released(conn: &Connection, batch_id: &str) -> rusqlite::Result<Option<bool>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.approval_roles = '' OR EXISTS (SELECT 1 FROM releases r WHERE r.batch = b.id)
         FROM batches b WHERE b.batch_id = ?1",
    )?;
    let mut rows = stmt.query_map([batch_id], |r| r.get::<_, bool>(0))?;
    rows.next().transpose()
}

/// Withdrawals, of one batch or (with an empty id) of all.
pub(super) fn voids(conn: &Connection, batch_id: &str) -> rusqlite::Result<Vec<VoidRecord>> {
    let mut stmt = conn.prepare(
        "SELECT b.batch_id, v.voided_at, v.reason
         FROM voids v JOIN batches b ON b.id = v.batch
         WHERE b.batch_id = ?1 OR ?1 IS NULL ORDER BY b.id",
    )?;
    let batch = (!batch_id.is_empty()).then_some(batch_id);
    stmt.query_map([batch], |r| {
        Ok(VoidRecord {
            batch_id: r.get(0)?,
            voided_at: r.get(1)?,
            reason: r.get(2)?,
        })
    })?
    .collect()
}

/// Records a withdrawal.
pub(super) fn insert_void(conn: &Connection, v: &VoidRecord) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO voids (batch, voided_at, reason)
         SELECT id, ?2, ?3 FROM batches WHERE batch_id = ?1",
        params![v.batch_id, v.voided_at, v.reason],
    )
    .and_then(one_row)
}
