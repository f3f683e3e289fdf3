//! The ledger's journal: every change as a record whose sha256 covers the
//! previous record's hash, its kind and its canonical JSON body. Changing,
//! removing or reordering any record breaks the chain from there on.

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use std::collections::HashMap;

use super::PaymentStatus;
use super::records::{AnswerRecord, NewPayments, PaymentRecord, StatusChange};

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
        .prepare_cached("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let hash = record_hash(&prev, kind, &body);
    conn.prepare_cached(
        "INSERT INTO journal (kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![kind, body, prev, hash])?;
    Ok(())
}

/// Status changes journalled per record.
pub const STATUSES_PER_RECORD: usize = 1024;

/// The journal body of payments' new statuses, in the order they were
/// made. (A ledger of schema version 2 journalled one `status` record, a
/// bare [`StatusChange`], per change; both are read.)
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Statuses<C> {
    /// The changes.
    pub changes: Vec<C>,
}

/// The status changes of a journal record of kind `status` or
/// `statuses`; `None` for any other kind, or a body that cannot be read.
pub fn status_changes(kind: &str, body: &str) -> Option<Vec<StatusChange>> {
    match kind {
        "status" => serde_json::from_str(body).ok().map(|c| vec![c]),
        "statuses" => serde_json::from_str::<Statuses<StatusChange>>(body)
            .ok()
            .map(|s| s.changes),
        _ => None,
    }
}

/// What a recorded answer changed, read back from the journal: for each
/// payment it updated, in the order it journalled them, the status before
/// and after. An answer's records are its status changes followed by the
/// answer itself (with their count), all in one transaction. `None` when
/// no answer with this sha256 was journalled, or its records are not in
/// that shape.
pub fn answer_changes(
    conn: &Connection,
    sha256: &str,
) -> rusqlite::Result<Option<Vec<(StatusChange, StatusChange)>>> {
    let found: Option<(i64, String)> = conn
        .prepare(
            "SELECT seq, body FROM journal WHERE kind = 'answer'
             AND json_extract(body, '$.sha256') = ?1 ORDER BY seq LIMIT 1",
        )?
        .query_row([sha256], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((seq, body)) = found else {
        return Ok(None);
    };
    let Ok(answer) = serde_json::from_str::<AnswerRecord>(&body) else {
        return Ok(None);
    };
    // Back from the answer over its status records, until they hold as
    // many changes as it made.
    let mut records: Vec<Vec<StatusChange>> = Vec::new();
    let mut held = 0i64;
    let mut first = seq;
    {
        let mut stmt =
            conn.prepare("SELECT seq, kind, body FROM journal WHERE seq < ?1 ORDER BY seq DESC")?;
        let mut rows = stmt.query([seq])?;
        while held < answer.updated {
            let Some(row) = rows.next()? else {
                return Ok(None);
            };
            let kind: String = row.get(1)?;
            let body: String = row.get(2)?;
            let Some(changes) = status_changes(&kind, &body) else {
                return Ok(None);
            };
            first = row.get(0)?;
            held += changes.len() as i64;
            records.push(changes);
        }
    }
    if held != answer.updated {
        return Ok(None);
    }
    let afters: Vec<StatusChange> = records.into_iter().rev().flatten().collect();
    let wanted: HashMap<String, usize> = afters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.end_to_end_id.clone(), i))
        .collect();
    let mut befores: Vec<StatusChange> = afters
        .iter()
        .map(|c| StatusChange {
            end_to_end_id: c.end_to_end_id.clone(),
            status: PaymentStatus::Sent,
            reason_code: String::new(),
            reason_text: String::new(),
        })
        .collect();
    let mut stmt = conn.prepare(
        "SELECT kind, body FROM journal WHERE kind IN ('status', 'statuses') AND seq < ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([first])?;
    while let Some(row) = rows.next()? {
        let kind: String = row.get(0)?;
        let body: String = row.get(1)?;
        for change in status_changes(&kind, &body).into_iter().flatten() {
            if let Some(&i) = wanted.get(&change.end_to_end_id) {
                befores[i] = change;
            }
        }
    }
    Ok(Some(befores.into_iter().zip(afters).collect()))
}

/// The digest of a batch's payments: sha256 over their canonical JSON lines
/// in end-to-end id order.
pub fn payments_digest<'a>(
    payments: impl IntoIterator<Item = &'a PaymentRecord>,
) -> (usize, String) {
    let payments: Vec<&PaymentRecord> = payments.into_iter().collect();
    let mut lines: Vec<String> = payments
        .par_iter()
        .map(|p| serde_json::to_string(p).expect("records serialise"))
        .collect();
    lines.par_sort_unstable();
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

/// The payments' indexes in end-to-end id order: the order their ids are
/// inserted in, and their digest lines made in.
pub fn id_order<N: NewPayments + ?Sized>(payments: &N) -> Vec<usize> {
    let mut keyed: Vec<(&str, usize)> = (0..payments.count())
        .into_par_iter()
        .map(|i| (payments.keys(i).0, i))
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// [`payments_digest`] of payments made one at a time, the lines made in
/// parallel; `by_id` is their [`id_order`]. Each line starts
/// `{"end_to_end_id":"<id>"`, so when every id has the same length and
/// needs no escaping (letters, digits and `-`, as [`crate::ids`] makes
/// them) the lines sort as their ids do: they are then made in id order, a
/// window at a time, instead of all held and sorted.
pub fn new_payments_digest<N: NewPayments + ?Sized>(
    payments: &N,
    by_id: &[usize],
) -> (usize, String) {
    const WINDOW: usize = 1 << 16;
    const CHUNK: usize = 2048;
    let n = payments.count();
    let id_len = (n > 0).then(|| payments.keys(0).0.len());
    let plain = |id: &str| {
        Some(id.len()) == id_len && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let line = |i: usize, out: &mut Vec<u8>| {
        serde_json::to_writer(&mut *out, &payments.payment(i)).expect("records serialise");
        out.push(b'\n');
    };
    let mut h = Sha256::new();
    if (0..n).into_par_iter().all(|i| plain(payments.keys(i).0)) {
        for window in by_id.chunks(WINDOW) {
            let parts: Vec<Vec<u8>> = window
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut out = Vec::new();
                    for &i in chunk {
                        line(i, &mut out);
                    }
                    out
                })
                .collect();
            parts.iter().for_each(|p| h.update(p));
        }
    } else {
        // No line is a prefix of another (each is one JSON object), so
        // their newlines do not change their order.
        let mut lines: Vec<Vec<u8>> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mut out = Vec::new();
                line(i, &mut out);
                out
            })
            .collect();
        lines.par_sort_unstable();
        lines.iter().for_each(|l| h.update(l));
    }
    (n, hex::encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(id: String, n: usize) -> PaymentRecord {
        PaymentRecord {
            end_to_end_id: id,
            batch_id: "HUYENX-202401-1A2B3C4D".into(),
            message_id: "HUYENX-202401-1A2B3C4D-970405".into(),
            period: "2024-01".into(),
            payment_type: if n.is_multiple_of(3) { "TCXH" } else { "NCC" }.into(),
            beneficiary_key: format!("{:012}", n * 7919 % 1_000_003),
            attempt: 1 + (n % 2) as u32,
            bank_bin: "970405".into(),
            account: format!("{}", 3_700_000_000_000u64 + n as u64),
            amount_vnd: 500_000 + n as i64,
            row: n as u32 + 2,
            name: format!("Nguyễn \"Văn\" {n}"),
            identifiers: format!("code:pl{n};birth:1950-01-01"),
        }
    }

    /// Ids as [`crate::ids`] makes them, in no particular order.
    fn plain(n: usize) -> Vec<PaymentRecord> {
        (0..n)
            .map(|i| {
                payment(
                    format!(
                        "HUYENX202401-{:016X}",
                        (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    ),
                    i,
                )
            })
            .collect()
    }

    #[test]
    fn made_one_at_a_time_the_digest_is_the_reference_one() {
        // More than a window, so that windows follow each other in order.
        for n in [0, 1, 2, 5_000, 70_000] {
            let payments = plain(n);
            assert_eq!(
                new_payments_digest(payments.as_slice(), &id_order(payments.as_slice())),
                payments_digest(&payments),
                "{n} payments"
            );
        }
    }

    #[test]
    fn ids_of_other_lengths_or_characters_give_the_reference_digest() {
        let mut payments = plain(3_000);
        payments[17].end_to_end_id = "SHORT-1".into();
        payments[18].end_to_end_id = "HUYENX202401-\"QUOTED\"-ID".into();
        payments[19].end_to_end_id = "HUYENX202401-ĐẶC-BIỆT-ID".into();
        payments[20].end_to_end_id = "HUYENX202401-0000000000000000".into();
        let (count, digest) =
            new_payments_digest(payments.as_slice(), &id_order(payments.as_slice()));
        assert_eq!((count, digest.clone()), payments_digest(&payments));
        // The digest covers every field: one đồng changes it.
        payments[2_000].amount_vnd += 1;
        assert_ne!(
            new_payments_digest(payments.as_slice(), &id_order(payments.as_slice())).1,
            digest
        );
    }
}
