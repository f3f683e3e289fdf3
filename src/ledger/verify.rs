//! `disburse ledger verify`: the journal's sha256 chain is unbroken; the
//! tables hold exactly what replaying the journal gives (so a record edited
//! or deleted in a table is found); and every published bank file still has
//! the sha256 recorded for it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::journal::{ChainHead, GENESIS, PaymentsSeal, payments_digest, record_hash};
use super::records::{
    AnswerRecord, ApprovalRecord, BankFileRecord, BatchRecord, PaymentRecord, ReleaseRecord,
    StatusChange, VoidRecord,
};
use super::{Ledger, LedgerError, PaymentStatus, records};

/// One thing found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What replaying the journal gives.
#[derive(Default)]
struct Replayed {
    batches: BTreeMap<String, (BatchRecord, String)>,
    files: BTreeMap<String, BankFileRecord>,
    seals: BTreeMap<String, PaymentsSeal>,
    status: HashMap<String, StatusChange>,
    answers: BTreeMap<String, AnswerRecord>,
    approvals: BTreeMap<(String, String), ApprovalRecord>,
    releases: BTreeMap<String, ReleaseRecord>,
    voids: BTreeMap<String, VoidRecord>,
}

fn parse<T: serde::de::DeserializeOwned>(seq: i64, body: &str) -> Result<T, Problem> {
    serde_json::from_str(body)
        .map_err(|e| Problem(format!("journal record {seq} cannot be read: {e}")))
}

/// Checks the ledger; an empty list means all is well.
pub fn verify(ledger: &Ledger) -> Result<(Vec<Problem>, ChainHead), LedgerError> {
    let conn = ledger.conn();
    let sql = ledger.sql();
    let mut problems = Vec::new();
    let mut replayed = Replayed::default();
    let mut prev = GENESIS.to_owned();
    let mut records_seen = 0;
    let mut last_seq = 0;
    {
        let mut stmt = conn
            .prepare("SELECT seq, kind, body, prev_hash, hash FROM journal ORDER BY seq")
            .map_err(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(&sql)?;
        for row in rows {
            let (seq, kind, body, prev_hash, hash) = row.map_err(&sql)?;
            records_seen += 1;
            last_seq = seq;
            if prev_hash != prev || record_hash(&prev_hash, &kind, &body) != hash {
                problems.push(Problem(format!("journal record {seq} ({kind}) does not match the chain: the journal was changed")));
            }
            prev = hash;
            if let Err(p) = replay(&mut replayed, seq, &kind, &body) {
                problems.push(p);
            }
        }
    }
    // The bank files are hashed on another thread while the tables are
    // compared with the journal.
    let files = published_files(ledger)?;
    let file_problems = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| check_files(&files));
        let compared = compare(ledger, &replayed, &mut problems);
        let found = hashing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        compared.map(|()| found)
    })?;
    problems.extend(file_problems);
    check_anchors(ledger, last_seq, &mut problems)?;
    Ok((
        problems,
        ChainHead {
            records: records_seen,
            hash: prev,
        },
    ))
}

fn replay(state: &mut Replayed, seq: i64, kind: &str, body: &str) -> Result<(), Problem> {
    match kind {
        "batch" => {
            let b: BatchRecord = parse(seq, body)?;
            state
                .batches
                .insert(b.batch_id.clone(), (b, "pending".to_owned()));
        }
        "bank_file" => {
            let f: BankFileRecord = parse(seq, body)?;
            state.files.insert(f.message_id.clone(), f);
        }
        "payments" => {
            let s: PaymentsSeal = parse(seq, body)?;
            state.seals.insert(s.batch_id.clone(), s);
        }
        "state" => {
            let v: serde_json::Value = parse(seq, body)?;
            let id = v["batch_id"].as_str().unwrap_or("");
            if let Some(entry) = state.batches.get_mut(id) {
                entry.1 = v["state"].as_str().unwrap_or("").to_owned();
            }
        }
        "status" => {
            let s: StatusChange = parse(seq, body)?;
            state.status.insert(s.end_to_end_id.clone(), s);
        }
        "statuses" => {
            let s: super::journal::Statuses<StatusChange> = parse(seq, body)?;
            for change in s.changes {
                state.status.insert(change.end_to_end_id.clone(), change);
            }
        }
        "answer" => {
            let a: AnswerRecord = parse(seq, body)?;
            state.answers.insert(a.sha256.clone(), a);
        }
        "approval" => {
            let a: ApprovalRecord = parse(seq, body)?;
            state
                .approvals
                .insert((a.batch_id.clone(), a.role.clone()), a);
        }
        "release" => {
            let r: ReleaseRecord = parse(seq, body)?;
            state.releases.insert(r.batch_id.clone(), r);
        }
        "void" => {
            let v: VoidRecord = parse(seq, body)?;
            state.voids.insert(v.batch_id.clone(), v);
        }
        "migration" => {
            // The schema changed: the batches' payments are sealed anew as
            // the new one records them.
            let m: super::migrate::Migration = parse(seq, body)?;
            for seal in m.seals {
                state.seals.insert(seal.batch_id.clone(), seal);
            }
        }
        "undo" => {
            let v: serde_json::Value = parse(seq, body)?;
            let id = v["batch_id"].as_str().unwrap_or("").to_owned();
            state.batches.remove(&id);
            state.files.retain(|_, f| f.batch_id != id);
            state.seals.remove(&id);
            state.approvals.retain(|(b, _), _| *b != id);
            state.releases.remove(&id);
            state.voids.remove(&id);
        }
        other => {
            return Err(Problem(format!(
                "journal record {seq} has unknown kind `{other}`"
            )));
        }
    }
    Ok(())
}

fn compare(
    ledger: &Ledger,
    replayed: &Replayed,
    problems: &mut Vec<Problem>,
) -> Result<(), LedgerError> {
    let sql = ledger.sql();
    let batches: BTreeMap<String, (BatchRecord, String)> = records::all_batches(ledger.conn())
        .map_err(&sql)?
        .into_iter()
        .map(|b| (b.0.batch_id.clone(), b))
        .collect();
    for (id, expected) in &replayed.batches {
        match batches.get(id) {
            None => problems.push(Problem(format!("batch `{id}` was deleted from the ledger"))),
            Some(found) if found != expected => {
                problems.push(Problem(format!("batch `{id}` was changed in the ledger")))
            }
            _ => {}
        }
    }
    for id in batches
        .keys()
        .filter(|id| !replayed.batches.contains_key(*id))
    {
        problems.push(Problem(format!(
            "batch `{id}` is in the ledger but not in its journal"
        )));
    }
    let files: BTreeMap<String, BankFileRecord> = records::bank_files(ledger.conn())
        .map_err(&sql)?
        .into_iter()
        .map(|f| (f.message_id.clone(), f))
        .collect();
    if files != replayed.files {
        problems.push(Problem(
            "the bank-file records differ from the journal".to_owned(),
        ));
    }
    let approvals: BTreeMap<(String, String), ApprovalRecord> =
        records::approvals(ledger.conn(), "")
            .map_err(&sql)?
            .into_iter()
            .map(|a| ((a.batch_id.clone(), a.role.clone()), a))
            .collect();
    if approvals != replayed.approvals {
        problems.push(Problem(
            "the approvals differ from the journal: a signature was added, changed or deleted behind it".to_owned(),
        ));
    }
    let releases: BTreeMap<String, ReleaseRecord> = records::releases(ledger.conn(), "")
        .map_err(&sql)?
        .into_iter()
        .map(|r| (r.batch_id.clone(), r))
        .collect();
    if releases != replayed.releases {
        problems.push(Problem(
            "the releases differ from the journal: a batch was marked released, or unreleased, behind it".to_owned(),
        ));
    }
    let voids: BTreeMap<String, VoidRecord> = records::voids(ledger.conn(), "")
        .map_err(&sql)?
        .into_iter()
        .map(|v| (v.batch_id.clone(), v))
        .collect();
    if voids != replayed.voids {
        problems.push(Problem(
            "the withdrawn batches differ from the journal".to_owned(),
        ));
    }
    let answers: BTreeMap<String, AnswerRecord> = records::answers(ledger.conn())
        .map_err(&sql)?
        .into_iter()
        .map(|a| (a.sha256.clone(), a))
        .collect();
    if answers != replayed.answers {
        problems.push(Problem(
            "the records of bank answers read differ from the journal".to_owned(),
        ));
    }
    compare_payments(ledger, replayed, problems)
}

/// The payments against the journal: each one's status, and each batch's
/// payments against its seal.
fn compare_payments(
    ledger: &Ledger,
    replayed: &Replayed,
    problems: &mut Vec<Problem>,
) -> Result<(), LedgerError> {
    let sql = ledger.sql();
    let payments = records::payments_in_table_order(ledger.conn()).map_err(&sql)?;
    let mut by_batch: BTreeMap<&str, Vec<&PaymentRecord>> = BTreeMap::new();
    for (p, status) in &payments {
        by_batch.entry(&p.batch_id).or_default().push(p);
        let expected = replayed
            .status
            .get(&p.end_to_end_id)
            .cloned()
            .unwrap_or_else(|| StatusChange {
                end_to_end_id: p.end_to_end_id.clone(),
                status: PaymentStatus::Sent,
                reason_code: String::new(),
                reason_text: String::new(),
            });
        if *status != expected {
            problems.push(Problem(format!(
                "payment `{}` has a status the journal never recorded",
                p.end_to_end_id
            )));
        }
    }
    use rayon::prelude::*;
    let digests: BTreeMap<&str, (usize, String)> = replayed
        .seals
        .par_iter()
        .map(|(id, _)| {
            let payments = by_batch.get(id.as_str()).into_iter().flatten().copied();
            (id.as_str(), payments_digest(payments))
        })
        .collect();
    for (id, seal) in &replayed.seals {
        let (count, digest) = &digests[id.as_str()];
        let (count, digest) = (*count, digest.clone());
        if count != seal.count || digest != seal.digest {
            problems.push(Problem(format!(
                "the payments of batch `{id}` were changed in the ledger ({count} found, {} recorded)",
                seal.count
            )));
        }
    }
    for id in by_batch
        .keys()
        .filter(|id| !replayed.seals.contains_key(**id))
    {
        problems.push(Problem(format!(
            "batch `{id}` has payments the journal never sealed"
        )));
    }
    Ok(())
}

/// Every bank file of a published batch: its path and recorded sha256.
fn published_files(ledger: &Ledger) -> Result<Vec<(std::path::PathBuf, String)>, LedgerError> {
    let batches = ledger.batches()?;
    let dirs: HashMap<&str, &str> = batches
        .iter()
        .filter(|(_, state)| state == "published")
        .map(|(b, _)| (b.batch_id.as_str(), b.out_dir.as_str()))
        .collect();
    Ok(ledger
        .bank_files()?
        .into_iter()
        .filter_map(|f| {
            let dir = dirs.get(f.batch_id.as_str())?;
            Some((Path::new(dir).join(&f.path), f.sha256))
        })
        .collect())
}

fn check_files(files: &[(std::path::PathBuf, String)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (path, sha256) in files {
        match std::fs::read(path) {
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == *sha256 => {}
            Ok(_) => problems.push(Problem(format!(
                "bank file `{}` was modified after it was written",
                path.display()
            ))),
            Err(_) => problems.push(Problem(format!(
                "bank file `{}` is missing",
                path.display()
            ))),
        }
    }
    problems
}

/// The journal against its anchors outside the database: the head file
/// beside the ledger, and the head each published batch's manifest holds.
fn check_anchors(
    ledger: &Ledger,
    records: i64,
    problems: &mut Vec<Problem>,
) -> Result<(), LedgerError> {
    let sql = ledger.sql();
    let file = super::head::path(ledger.path());
    match super::head::recorded(ledger.path()) {
        Ok(None) if records > 0 => problems.push(Problem(format!(
            "the journal's head file `{}` is missing",
            file.display()
        ))),
        Ok(None) => {}
        Ok(Some(head)) if head.records > records => problems.push(Problem(format!(
            "the journal ends at record {records}, but its head file `{}` names record {}: its newest records were deleted",
            file.display(),
            head.records
        ))),
        Ok(Some(head)) => {
            if super::head::at(ledger.conn(), head.records).map_err(&sql)? != Some(head.clone()) {
                problems.push(Problem(format!(
                    "journal record {} is not the one its head file `{}` names: the journal was rewritten",
                    head.records,
                    file.display()
                )));
            } else if head.records < records {
                problems.push(Problem(format!(
                    "the journal has {} record(s) after the head its file `{}` names: they were added behind disburse's back",
                    records - head.records,
                    file.display()
                )));
            }
        }
        Err(e) => problems.push(Problem(format!(
            "the journal's head file `{}` cannot be read: {e}",
            file.display()
        ))),
    }
    for (batch, state) in ledger.batches()? {
        if state != "published" {
            continue;
        }
        let bytes =
            match super::recorded_manifest(Path::new(&batch.out_dir), &batch.manifest_sha256) {
                Err(_) => continue,
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    problems.push(Problem(format!(
                        "the manifest of batch `{}` was changed after it was written",
                        batch.batch_id
                    )));
                    continue;
                }
            };
        let anchor = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|m| serde_json::from_value::<super::Head>(m["journal_head"].clone()).ok());
        if let Some(anchor) = anchor
            && super::head::at(ledger.conn(), anchor.records).map_err(&sql)? != Some(anchor.clone())
        {
            problems.push(Problem(format!(
                "the manifest of batch `{}` anchors the journal at record {}, which the journal no longer has as it was: the journal was rewritten",
                batch.batch_id, anchor.records
            )));
        }
    }
    Ok(())
}
