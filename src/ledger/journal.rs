//! The ledger's journal: every change as a record whose sha256 covers the
//! previous record's hash, its kind and its canonical JSON body. Changing,
//! removing or reordering any record breaks the chain from there on.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::records::PaymentRecord;

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The last record of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// How many records.
    pub records: i64,
    /// The last record's hash.
    pub hash: String,
}

/// The hash of a record.
pub fn record_hash(prev: &str, kind: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(kind.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    hex::encode(h.finalize())
}

/// Appends a record.
pub fn append<T: Serialize>(conn: &Connection, kind: &str, body: &T) -> rusqlite::Result<()> {
    let body = serde_json::to_string(body).expect("records serialise");
    let prev: String = conn
        .query_row(
            "SELECT hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let hash = record_hash(&prev, kind, &body);
    conn.execute(
        "INSERT INTO journal (kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4)",
        params![kind, body, prev, hash],
    )?;
    Ok(())
}

/// The digest of a batch's payments: sha256 over their canonical JSON lines
/// in end-to-end id order.
pub fn payments_digest<'a>(
    payments: impl IntoIterator<Item = &'a PaymentRecord>,
) -> (usize, String) {
    let mut lines: Vec<String> = payments
        .into_iter()
        .map(|p| serde_json::to_string(p).expect("records serialise"))
        .collect();
    lines.sort_unstable();
    let mut h = Sha256::new();
    for line in &lines {
        h.update(line.as_bytes());
        h.update(b"\n");
    }
    (lines.len(), hex::encode(h.finalize()))
}

/// The journal body that seals a batch's payments.
#[derive(Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct PaymentsSeal {
    /// The batch.
    pub batch_id: String,
    /// How many payments.
    pub count: usize,
    /// Their digest.
    pub digest: String,
}

/// Appends the seal of a batch's payments (one record for the batch, so that
/// the journal does not grow by a record per payment).
pub fn append_payments(conn: &Connection, payments: &[PaymentRecord]) -> rusqlite::Result<()> {
    let Some(first) = payments.first() else {
        return Ok(());
    };
    let (count, digest) = payments_digest(payments);
    append(
        conn,
        "payments",
        &PaymentsSeal {
            batch_id: first.batch_id.clone(),
            count,
            digest,
        },
    )
}
