//! The journal's head, kept outside the database: `<ledger>.head` holds the
//! number of records and the last record's hash, written with every commit,
//! and each batch's manifest holds the head the batch was recorded after.
//! A journal whose newest records were deleted, or one with records
//! appended or rewritten behind `disburse`'s back (hashes recomputed), no
//! longer agrees with them, which `verify` reports.
//!
//! A commit writes the new head to `<ledger>.head.next` first, commits,
//! then renames it over `<ledger>.head`. A crash in between leaves the
//! `.next` file, which opening the ledger settles by the journal itself:
//! kept if the commit happened, removed if not. Nothing else ever writes
//! the head, so it is never brought into line with a journal changed
//! behind its back.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::journal::GENESIS;

/// A point of the journal: its last record's number (`seq`, counted from
/// 1, so also how many records there are: none is ever removed) and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Records.
    pub records: i64,
    /// The last record's hash (the genesis hash for none).
    pub hash: String,
}

impl Head {
    fn line(&self) -> String {
        format!("{} {}\n", self.records, self.hash)
    }

    fn parse(text: &str) -> Option<Head> {
        let (records, hash) = text.trim().split_once(' ')?;
        Some(Head {
            records: records.parse().ok()?,
            hash: hash.to_owned(),
        })
    }
}

/// The journal's head now: one descent of its key, on every commit.
pub fn current(conn: &Connection) -> rusqlite::Result<Head> {
    let last: Option<Head> = conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(Head {
                    records: r.get(0)?,
                    hash: r.get(1)?,
                })
            },
        )
        .optional()?;
    Ok(last.unwrap_or_else(|| Head {
        records: 0,
        hash: GENESIS.to_owned(),
    }))
}

/// Record number `records` of the journal, as a head: what a head
/// recorded then must equal.
pub fn at(conn: &Connection, records: i64) -> rusqlite::Result<Option<Head>> {
    if records == 0 {
        return Ok(Some(Head {
            records: 0,
            hash: GENESIS.to_owned(),
        }));
    }
    conn.query_row("SELECT hash FROM journal WHERE seq = ?1", [records], |r| {
        r.get(0)
    })
    .optional()
    .map(|hash| hash.map(|hash| Head { records, hash }))
}

/// `<ledger>.head`.
pub fn path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".head");
    PathBuf::from(name)
}

fn next_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".head.next");
    PathBuf::from(name)
}

/// The head recorded beside the ledger, if any.
pub fn recorded(ledger: &Path) -> std::io::Result<Option<Head>> {
    match std::fs::read_to_string(path(ledger)) {
        Ok(text) => Head::parse(&text)
            .map(Some)
            .ok_or_else(|| std::io::Error::other("not a journal head")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Before a commit: the head it will leave, written to `.head.next`.
pub fn prepare(ledger: &Path, head: &Head) -> std::io::Result<()> {
    let mut file = std::fs::File::create(next_path(ledger))?;
    file.write_all(head.line().as_bytes())?;
    file.sync_all()
}

/// After the commit: `.head.next` becomes the head.
pub fn publish(ledger: &Path) -> std::io::Result<()> {
    std::fs::rename(next_path(ledger), path(ledger))
}

/// On opening: a `.head.next` left by a crash is kept if the journal ends
/// where it says (the commit happened), and removed if the journal ends
/// where the head says (it did not). Otherwise both stay, for `verify` to
/// report.
pub fn settle(ledger: &Path, now: &Head) -> std::io::Result<()> {
    let next = next_path(ledger);
    let text = match std::fs::read_to_string(&next) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if Head::parse(&text).as_ref() == Some(now) {
        publish(ledger)
    } else if recorded(ledger)?.as_ref() == Some(now)
        || (now.records == 0 && !path(ledger).exists())
    {
        std::fs::remove_file(next)
    } else {
        Ok(())
    }
}
