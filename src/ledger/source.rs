//! The input rows of recorded payments. The ledger keeps what it decides on
//! (who, which month, which attempt, where the money went); the rest of a
//! payment's row (the citizen ID, the address, the columns an office added)
//! is in its batch's `accepted.csv`, which copies every cell of the list
//! and whose sha256 is in the batch's manifest, whose own sha256 the ledger
//! recorded. Read back only for the few payments that need it: the failed
//! ones a re-issue lists and the answers' reports name.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::records::{BatchRecord, PaymentRecord};
use super::{Ledger, LedgerError};
use crate::reference::{ColumnAliases, Field};
use crate::report::csv_safe;
use crate::report::listings::{ACCEPTED_COLUMNS, RENAMED};

/// The columns `accepted.csv` puts before the input's own.
const OWN_COLUMNS: usize = ACCEPTED_COLUMNS.len();

/// An input row: each header with its cell, in the list's column order.
pub type SourceRow = Vec<(String, String)>;

/// The input rows found, by batch and spreadsheet row, and the batches
/// whose rows could not be read, with why.
#[derive(Debug, Default)]
pub struct SourceRows {
    rows: HashMap<(String, u32), SourceRow>,
    /// Batches whose `accepted.csv` is missing, changed or unreadable.
    pub missing: Vec<(String, String)>,
}

impl SourceRows {
    /// The input row of a payment, if it was read.
    pub fn of(&self, payment: &PaymentRecord) -> Option<&SourceRow> {
        self.rows.get(&(payment.batch_id.clone(), payment.row))
    }
}

impl Ledger {
    /// The input rows of `payments`, read from their batches'
    /// `accepted.csv` and checked against the manifest the ledger recorded.
    /// A batch whose listing cannot be trusted is named in
    /// [`SourceRows::missing`], never read.
    pub fn source_rows<'p>(
        &self,
        payments: impl IntoIterator<Item = &'p PaymentRecord>,
    ) -> Result<SourceRows, LedgerError> {
        let mut wanted: HashMap<&str, HashSet<u32>> = HashMap::new();
        for p in payments {
            wanted.entry(&p.batch_id).or_default().insert(p.row);
        }
        let mut found = SourceRows::default();
        if wanted.is_empty() {
            return Ok(found);
        }
        let batches: HashMap<String, BatchRecord> = self
            .batches()?
            .into_iter()
            .map(|(b, _)| (b.batch_id.clone(), b))
            .collect();
        let mut ids: Vec<&str> = wanted.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let Some(batch) = batches.get(id) else {
                found
                    .missing
                    .push((id.to_owned(), "the batch is not in the ledger".to_owned()));
                continue;
            };
            match read_rows(batch, &wanted[id]) {
                Ok(rows) => found.rows.extend(
                    rows.into_iter()
                        .map(|(row, cells)| ((id.to_owned(), row), cells)),
                ),
                Err(why) => found.missing.push((id.to_owned(), why)),
            }
        }
        Ok(found)
    }
}

/// The rows `wanted` of a batch's `accepted.csv`, or why they cannot be
/// trusted.
fn read_rows(batch: &BatchRecord, wanted: &HashSet<u32>) -> Result<Vec<(u32, SourceRow)>, String> {
    let mut rows = Vec::new();
    read_listing(batch, |headers, row, record| {
        if wanted.contains(&row) {
            let cells = record
                .iter()
                .skip(OWN_COLUMNS)
                .map(|c| csv_safe::uncell(&String::from_utf8_lossy(c)).to_owned());
            rows.push((row, headers.iter().cloned().zip(cells).collect()));
        }
    })?;
    Ok(rows)
}

/// A listing's cells of `N` fields: spreadsheet row, then a cell a field.
pub type ListedCells<const N: usize> = Vec<(u32, [Option<Arc<str>>; N])>;

/// The cells of the input columns `fields` in every row of a batch's
/// `accepted.csv`, in row order (an empty cell, or a column the list did
/// not have, is `None`; a text written alike in many rows is held once),
/// or why the listing cannot be trusted.
pub fn read_fields<const N: usize>(
    batch: &BatchRecord,
    fields: &[Field; N],
    columns: &ColumnAliases,
) -> Result<ListedCells<N>, String> {
    let mut found = Vec::new();
    let mut at: Option<Vec<Option<usize>>> = None;
    let mut interned: HashMap<Box<[u8]>, Arc<str>> = HashMap::new();
    read_listing(batch, |headers, row, record| {
        let at = at.get_or_insert_with(|| {
            fields
                .iter()
                .map(|f| {
                    headers
                        .iter()
                        .position(|h| columns.field(h) == Some(*f))
                        .map(|i| i + OWN_COLUMNS)
                })
                .collect()
        });
        let cells = std::array::from_fn(|k| {
            let cell = at[k].and_then(|i| record.get(i))?;
            if cell.iter().all(u8::is_ascii_whitespace) {
                return None;
            }
            if let Some(known) = interned.get(cell) {
                return Some(Arc::clone(known));
            }
            let text = std::str::from_utf8(cell).ok()?;
            let shared: Arc<str> = Arc::from(csv_safe::uncell(text));
            interned.insert(Box::from(cell), Arc::clone(&shared));
            Some(shared)
        });
        found.push((row, cells));
    })?;
    found.sort_by_key(|(row, _)| *row);
    Ok(found)
}

/// Reads a batch's `accepted.csv`, handing each row (the input's headers,
/// its spreadsheet row and the record) to `each`, and checks the file
/// against the manifest the ledger recorded: what `each` saw is to be
/// trusted only when this returns `Ok`.
fn read_listing(
    batch: &BatchRecord,
    mut each: impl FnMut(&[String], u32, &csv::ByteRecord),
) -> Result<(), String> {
    let dir = Path::new(&batch.out_dir);
    let manifest_path = dir.join("manifest.json");
    let manifest = super::recorded_manifest(dir, &batch.manifest_sha256)
        .map_err(|e| format!("cannot read `{}`: {e}", manifest_path.display()))?
        .ok_or_else(|| {
            format!(
                "`{}` is not the manifest the ledger recorded",
                manifest_path.display()
            )
        })?;
    let expected = listed_sha256(&manifest, "accepted.csv")
        .ok_or_else(|| format!("`{}` does not list accepted.csv", manifest_path.display()))?;
    let path: PathBuf = dir.join("accepted.csv");
    let file =
        std::fs::File::open(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    // Streamed and hashed as it passes: a national listing is a gigabyte,
    // never held. What the parse saw is used only once the hash agrees.
    let mut hashing = Hashing {
        inner: std::io::BufReader::with_capacity(1 << 20, file),
        hash: Sha256::new(),
    };
    {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&mut hashing);
        let mut record = csv::ByteRecord::new();
        let unreadable = |e: csv::Error| format!("cannot read `{}`: {e}", path.display());
        if !csv.read_byte_record(&mut record).map_err(unreadable)? {
            return Err(format!("`{}` is empty", path.display()));
        }
        let headers: Vec<String> = record
            .iter()
            .skip(OWN_COLUMNS)
            .map(|h| original_header(&String::from_utf8_lossy(h)).to_owned())
            .collect();
        while csv.read_byte_record(&mut record).map_err(unreadable)? {
            let row = record
                .get(0)
                .and_then(|r| std::str::from_utf8(r).ok()?.parse::<u32>().ok());
            if let Some(row) = row {
                each(&headers, row, &record);
            }
        }
    }
    // What the reader left unread (nothing, for a well-formed file).
    std::io::copy(&mut hashing, &mut std::io::sink())
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if hex::encode(hashing.hash.finalize()) != expected {
        return Err(format!(
            "`{}` was changed after its batch was written",
            path.display()
        ));
    }
    Ok(())
}

/// The header an input column had before `accepted.csv` renamed it.
fn original_header(header: &str) -> &str {
    header
        .strip_suffix(RENAMED)
        .filter(|h| ACCEPTED_COLUMNS.contains(h))
        .unwrap_or(header)
}

/// The sha256 a manifest gives for one of its files.
fn listed_sha256(manifest: &[u8], path: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(manifest).ok()?;
    value["files"]
        .as_array()?
        .iter()
        .find(|f| f["path"] == path)?["sha256"]
        .as_str()
        .map(str::to_owned)
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}
