//! The payment ledger: every input file, batch, bank file and payment ever
//! made, in an embedded SQLite database. It is what makes paying twice
//! impossible:
//!
//! - the schema itself allows one batch per input sha256 and one live
//!   payment per beneficiary, period and payment type (a second only after
//!   the first was rejected or returned);
//! - a batch is recorded as `pending` in the same transaction that checks
//!   those rules, after its files are staged and synced, and becomes
//!   `published` once its directory is renamed into place; opening the
//!   ledger finishes (or undoes) whatever a crash interrupted;
//! - every change is also appended to a journal whose records form a sha256
//!   chain, so that an edited or deleted record is detected by `verify`.

mod head;
mod history;
mod journal;
mod migrate;
mod records;
mod source;
mod status;
mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

pub use head::Head;
pub use history::{History, RecordedSide};
pub use journal::ChainHead;
pub use records::{
    AnswerRecord, ApprovalRecord, BankFileRecord, BatchRecord, NewPayment, NewPayments,
    PaymentFilter, PaymentRecord, ReleaseRecord, StatusChange, StatusCount, VoidRecord,
};
pub use source::{SourceRow, SourceRows};
pub use status::{PaymentStatus, UnknownStatus};
pub use verify::{Problem, verify};

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_VERSION: i64 = 4;
/// The page size of a new ledger, in bytes.
const PAGE_SIZE: i64 = 16384;
/// SQLite's page cache while a batch's payments are inserted, per payment:
/// a little less than the two B-trees it writes take.
const CACHE_PER_PAYMENT: i64 = 160;
/// The page cache outside a batch's recording, in KiB.
const READ_CACHE_KIB: i64 = 64 << 10;
/// How much of the database file is read through a memory map.
const MMAP_BYTES: i64 = 4 << 30;
/// The most the page cache is raised to, in KiB.
const MAX_CACHE_KIB: i64 = 768 << 10;

/// A ledger that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// SQLite said no.
    #[error("cannot use the ledger `{path}`")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was made by a newer `disburse`, or by one too old to
    /// migrate.
    #[error(
        "ledger `{path}` has schema version {found}; this disburse reads version {SCHEMA_VERSION} and migrates versions 2 and 3"
    )]
    Version {
        /// The database file.
        path: PathBuf,
        /// Its version.
        found: i64,
    },
    /// A ledger of an earlier schema could not be migrated; it is left as
    /// it was.
    #[error(
        "ledger `{path}` cannot be migrated to schema version {SCHEMA_VERSION}: {message}; it is left as it was"
    )]
    Migration {
        /// The database file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The input rows of a batch's payments cannot be read back from its
    /// `accepted.csv`.
    #[error("the input rows of batch `{batch_id}` cannot be read: {message}")]
    Source {
        /// The batch.
        batch_id: String,
        /// Why.
        message: String,
    },
    /// The journal's head file beside the ledger cannot be written.
    #[error("cannot write the journal head `{path}`")]
    HeadFile {
        /// The head file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A file system step of recovery failed.
    #[error("ledger recovery of batch `{batch_id}`: {message}")]
    Recovery {
        /// The batch.
        batch_id: String,
        /// What failed.
        message: String,
    },
}

/// The ledger's publication lock, held while alive.
#[derive(Debug)]
pub struct PublicationLock {
    _file: std::fs::File,
}

/// The payment ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// A payment that already exists for a beneficiary, period and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorPayment {
    /// Its batch.
    pub batch_id: String,
    /// Its end-to-end id.
    pub end_to_end_id: String,
    /// Its status.
    pub status: PaymentStatus,
    /// Its attempt number.
    pub attempt: u32,
}

/// A failed (rejected or returned) payment, for checking a re-issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedPayment {
    /// Its end-to-end id.
    pub end_to_end_id: String,
    /// `rejected` or `returned`.
    pub status: PaymentStatus,
    /// The bank's reason code.
    pub reason_code: String,
    /// The bank it was sent to.
    pub bank_bin: String,
    /// The account it was sent to.
    pub account: String,
}

/// What the ledger knows of a period: live payments, and the next attempt
/// number of beneficiaries whose earlier payments all failed.
#[derive(Debug, Default)]
pub struct PaidIndex {
    /// Live (not failed) payments by (payment type, beneficiary key).
    pub live: HashMap<(String, String), PriorPayment>,
    /// Next attempt by (payment type, beneficiary key), for re-issues.
    pub next_attempt: HashMap<(String, String), u32>,
    /// The latest failed payment of beneficiaries with no live one.
    pub failed: HashMap<(String, String), FailedPayment>,
    /// Every payment of the period with what identifies its beneficiary,
    /// so that a list naming a person by another identifier than the key
    /// they were recorded under still finds them.
    pub people: Vec<Person>,
}

/// Who a recorded payment paid, by every identifier it was recorded with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Payment type.
    pub payment_type: String,
    /// The key the payment is recorded under.
    pub beneficiary_key: String,
    /// Citizen ID.
    pub citizen_id: Option<String>,
    /// The office's code, folded.
    pub code: Option<String>,
    /// Name, folded.
    pub name: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Bank.
    pub bank_bin: String,
    /// Account.
    pub account: String,
}

impl Person {
    /// The person of a payment: its key (`cid:…`, `code:…` or
    /// `name:<name>|<birth>|<bank>|<account>`) and its other identifiers.
    pub fn of(
        payment_type: &str,
        key: &str,
        name: &str,
        identifiers: &str,
        bank_bin: &str,
        account: &str,
    ) -> Person {
        let mut person = Person {
            payment_type: payment_type.to_owned(),
            beneficiary_key: key.to_owned(),
            name: crate::text::fold_key(name),
            bank_bin: bank_bin.to_owned(),
            account: account.to_owned(),
            ..Person::default()
        };
        let known = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        if let Some(id) = key.strip_prefix("cid:") {
            person.citizen_id = known(id);
        } else if let Some(code) = key.strip_prefix("code:") {
            person.code = known(code);
        }
        for part in identifiers.split(';') {
            if let Some(id) = part.strip_prefix("cid:") {
                person.citizen_id = known(id);
            } else if let Some(code) = part.strip_prefix("code:") {
                person.code = known(code);
            }
        }
        person.birth_date = recorded_birth(key, identifiers).and_then(known);
        person
    }
}

/// The birth date (`YYYY-MM-DD`) a payment was recorded with: in its
/// identifiers (`birth:…`), else in a name key (`name:<name>|<birth>|…`).
pub(crate) fn recorded_birth<'a>(key: &'a str, identifiers: &'a str) -> Option<&'a str> {
    identifiers
        .split(';')
        .find_map(|p| p.strip_prefix("birth:"))
        .or_else(|| key.strip_prefix("name:")?.split('|').nth(1))
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` and finishes any
    /// batch a crash left pending.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| LedgerError::Recovery {
                batch_id: String::new(),
                message: format!("cannot create `{}`: {e}", parent.display()),
            })?;
        }
        let sql = |source| LedgerError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(Duration::from_secs(60)).map_err(sql)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sql)?;
        if tables == 0 {
            // Larger pages: fewer, shallower B-tree levels for the
            // millions of payments (only a new database can take them).
            conn.pragma_update(None, "page_size", PAGE_SIZE)
                .map_err(sql)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        // Reads through the page cache of the system rather than copies of
        // each page; a page cache of its own for the writes' working set.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)
            .map_err(sql)?;
        conn.pragma_update(None, "cache_size", -READ_CACHE_KIB)
            .map_err(sql)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        let mut conn = conn;
        match version {
            SCHEMA_VERSION => {}
            0 if tables == 0 => {
                conn.execute_batch(&format!(
                    "BEGIN IMMEDIATE; {SCHEMA}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                ))
                .map_err(sql)?;
            }
            2 => migrate::from_v2(&mut conn, path)?,
            3 => migrate::from_v3(&mut conn, path)?,
            found => {
                return Err(LedgerError::Version {
                    path: path.to_owned(),
                    found,
                });
            }
        }
        let now = head::current(&conn).map_err(sql)?;
        head::settle(path, &now).map_err(|source| LedgerError::HeadFile {
            path: head::path(path),
            source,
        })?;
        let mut ledger = Ledger {
            conn,
            path: path.to_owned(),
        };
        ledger.recover()?;
        Ok(ledger)
    }

    /// Takes the ledger's publication lock (`<ledger>.lock` beside it),
    /// waiting for it: a run holds it from its checks until its batch is
    /// published, and recovery takes it before it touches a pending batch,
    /// so that another process never publishes (or undoes) a batch whose
    /// run is still publishing it. Released when dropped.
    pub fn publication_lock(&self) -> Result<PublicationLock, LedgerError> {
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        let path = PathBuf::from(name);
        let recovery = |e: std::io::Error| LedgerError::Recovery {
            batch_id: String::new(),
            message: format!("cannot lock `{}`: {e}", path.display()),
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(recovery)?;
        file.lock().map_err(recovery)?;
        Ok(PublicationLock { _file: file })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> LedgerError + '_ {
        |source| LedgerError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Starts a write transaction, taking the database's write lock so that
    /// the checks and the records of one batch cannot interleave with
    /// another's.
    pub fn begin(&mut self) -> Result<LedgerTx<'_>, LedgerError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| LedgerError::Sqlite {
                path: path.clone(),
                source,
            })?;
        Ok(LedgerTx { tx, path })
    }

    /// Records a file that was refused or could not be used.
    pub fn record_input(
        &mut self,
        sha256: &str,
        file: &str,
        outcome: &str,
        batch_id: Option<&str>,
        detail: &str,
    ) -> Result<(), LedgerError> {
        let mut tx = self.begin()?;
        tx.record_input(sha256, file, outcome, batch_id, detail)?;
        tx.commit()
    }

    /// Marks a pending batch published.
    pub fn mark_published(&mut self, batch_id: &str) -> Result<(), LedgerError> {
        let mut tx = self.begin()?;
        tx.set_state(batch_id, "published")?;
        tx.commit()
    }

    /// The batch made from an input, if any.
    pub fn batch_for_input(&self, sha256: &str) -> Result<Option<BatchRecord>, LedgerError> {
        records::batch_where(&self.conn, "input_sha256 = ?1", sha256).map_err(self.sql())
    }

    /// The batch made from the input taken from `source` (a path, or a
    /// watched folder's claim), if any.
    pub fn batch_for_source(&self, source: &str) -> Result<Option<BatchRecord>, LedgerError> {
        records::batch_where(&self.conn, "source = ?1", source).map_err(self.sql())
    }

    /// Every batch, oldest first.
    pub fn batches(&self) -> Result<Vec<(BatchRecord, String)>, LedgerError> {
        records::all_batches(&self.conn).map_err(self.sql())
    }

    /// Payments with their current status, in batch and row order.
    pub fn payments(
        &self,
        filter: PaymentFilter<'_>,
    ) -> Result<Vec<(PaymentRecord, StatusChange)>, LedgerError> {
        records::payments(&self.conn, filter).map_err(self.sql())
    }

    /// Payments counted and summed per batch, bank and status, without
    /// reading them.
    pub fn status_counts(
        &self,
        filter: PaymentFilter<'_>,
    ) -> Result<Vec<StatusCount>, LedgerError> {
        records::status_counts(&self.conn, filter).map_err(self.sql())
    }

    /// The batch with this id, and its state (`pending`, `published`).
    pub fn batch(&self, batch_id: &str) -> Result<Option<(BatchRecord, String)>, LedgerError> {
        records::batch_and_state_where(&self.conn, "batch_id = ?1", batch_id).map_err(self.sql())
    }

    /// A batch's approvals, by role.
    pub fn approvals(&self, batch_id: &str) -> Result<Vec<ApprovalRecord>, LedgerError> {
        records::approvals(&self.conn, batch_id).map_err(self.sql())
    }

    /// A batch's release, if it was released after approval.
    pub fn release(&self, batch_id: &str) -> Result<Option<ReleaseRecord>, LedgerError> {
        Ok(records::releases(&self.conn, batch_id)
            .map_err(self.sql())?
            .pop())
    }

    /// Records (and journals) an approval; refused by the schema when the
    /// role, or the key, already signed the batch.
    pub fn record_approval(&mut self, approval: &ApprovalRecord) -> Result<(), LedgerError> {
        let tx = self.begin()?;
        records::insert_approval(&tx.tx, approval).map_err(tx.sql())?;
        journal::append(&tx.tx, "approval", approval).map_err(tx.sql())?;
        crate::failpoint::hit("approval-recorded");
        tx.commit()
    }

    /// Records (and journals) a release: the batch's payments are sent
    /// from now on.
    pub fn record_release(&mut self, release: &ReleaseRecord) -> Result<(), LedgerError> {
        let tx = self.begin()?;
        records::insert_release(&tx.tx, release).map_err(tx.sql())?;
        journal::append(&tx.tx, "release", release).map_err(tx.sql())?;
        tx.commit()
    }

    /// A batch's withdrawal, if it was withdrawn.
    pub fn void(&self, batch_id: &str) -> Result<Option<VoidRecord>, LedgerError> {
        Ok(records::voids(&self.conn, batch_id)
            .map_err(self.sql())?
            .pop())
    }

    /// Withdraws a batch not released: journals the withdrawal and rejects
    /// its payments with reason `VOID`, in one transaction, so that a
    /// corrected list may pay the same people.
    pub fn void_batch(&mut self, void: &VoidRecord) -> Result<usize, LedgerError> {
        let mut tx = self.begin()?;
        records::insert_void(&tx.tx, void).map_err(tx.sql())?;
        journal::append(&tx.tx, "void", void).map_err(tx.sql())?;
        let payments = tx.payments(PaymentFilter::Batch(&void.batch_id))?;
        let changes: Vec<StatusChange> = payments
            .iter()
            .map(|(p, _)| StatusChange {
                end_to_end_id: p.end_to_end_id.clone(),
                status: PaymentStatus::Rejected,
                reason_code: "VOID".to_owned(),
                reason_text: void.reason.clone(),
            })
            .collect();
        let pairs: Vec<(&PaymentRecord, &StatusChange)> = payments
            .iter()
            .map(|(p, _)| p)
            .zip(changes.iter())
            .collect();
        tx.set_statuses(&pairs)?;
        tx.commit()?;
        Ok(changes.len())
    }

    /// Every bank file.
    pub fn bank_files(&self) -> Result<Vec<BankFileRecord>, LedgerError> {
        records::bank_files(&self.conn).map_err(self.sql())
    }

    /// The connection, for verification and reports.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Finishes batches a crash left pending: their files were staged and
    /// synced before they were recorded, so the staged directory is renamed
    /// into place (or found there already). A pending batch whose files are
    /// gone entirely from the absolute paths it recorded is undone, so that
    /// its input can be processed again; one recorded with relative paths
    /// (an older release) that cannot be found from here stays pending.
    fn recover(&mut self) -> Result<(), LedgerError> {
        let pending = |conn: &Connection| records::batches_where(conn, "state = 'pending'");
        if pending(&self.conn).map_err(self.sql())?.is_empty() {
            return Ok(());
        }
        // A run may be publishing it right now: wait for it, then look again.
        let _lock = self.publication_lock()?;
        let pending: Vec<BatchRecord> = pending(&self.conn).map_err(self.sql())?;
        for batch in pending {
            let out = Path::new(&batch.out_dir);
            let staged = Path::new(&batch.staging_dir);
            let recovery = |message: String| LedgerError::Recovery {
                batch_id: batch.batch_id.clone(),
                message,
            };
            if manifest_matches(out, &batch.manifest_sha256) {
                tracing::warn!(batch = %batch.batch_id, "finishing a batch interrupted after publication");
            } else if manifest_matches(staged, &batch.manifest_sha256) {
                tracing::warn!(batch = %batch.batch_id, "publishing a batch interrupted before publication");
                // A target that cannot take it (a link, a mount point, a
                // full disk) leaves the batch pending, and the ledger usable:
                // its payments stand, so nothing is paid again.
                if let Err(e) = crate::write::publish::rename_into_place(staged, out) {
                    let cause = std::error::Error::source(&e)
                        .map(|c| format!(": {c}"))
                        .unwrap_or_default();
                    tracing::error!(
                        "{}",
                        recovery(format!(
                            "cannot move its files from `{}` to `{}` ({e}{cause}); it stays pending until they can be",
                            staged.display(),
                            out.display()
                        ))
                    );
                    continue;
                }
            } else if !(out.is_absolute() && staged.is_absolute()) {
                // Recorded by an older release, relative to the directory
                // it ran in: from another one, the files cannot be looked
                // for. Undoing would let the list be paid again.
                tracing::warn!(
                    batch = %batch.batch_id,
                    "batch `{}` was left pending and its files are not at `{}` from this directory; it stays pending: open the ledger from the directory the batch was made in",
                    batch.batch_id,
                    batch.out_dir
                );
                continue;
            } else {
                tracing::warn!(batch = %batch.batch_id, "undoing a batch whose files never reached the disk");
                let mut tx = self.begin()?;
                tx.undo(&batch.batch_id)?;
                tx.commit()?;
                continue;
            }
            self.mark_published(&batch.batch_id)?;
        }
        Ok(())
    }
}

fn manifest_matches(dir: &Path, sha256: &str) -> bool {
    recorded_manifest(dir, sha256).is_ok_and(|m| m.is_some())
}

/// The bytes of `dir/manifest.json` when they are the manifest with this
/// sha256 (`None` when the file is another), or why it cannot be read.
fn recorded_manifest(dir: &Path, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(dir.join("manifest.json"))?;
    Ok((hex::encode(Sha256::digest(&bytes)) == sha256).then_some(bytes))
}

/// A write transaction on the ledger.
pub struct LedgerTx<'a> {
    tx: Transaction<'a>,
    path: PathBuf,
}

impl LedgerTx<'_> {
    fn sql(&self) -> impl Fn(rusqlite::Error) -> LedgerError + '_ {
        |source| LedgerError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Commits, and writes the journal's new head beside the ledger (see
    /// `head.rs`).
    pub fn commit(self) -> Result<(), LedgerError> {
        let path = self.path;
        let head_file = |source| LedgerError::HeadFile {
            path: head::path(&path),
            source,
        };
        let now = head::current(&self.tx).map_err(|source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        })?;
        head::prepare(&path, &now).map_err(head_file)?;
        self.tx.commit().map_err(|source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        })?;
        head::publish(&path).map_err(head_file)
    }

    /// The journal's head now: what a batch recorded in this transaction
    /// is recorded after.
    pub fn head(&self) -> Result<Head, LedgerError> {
        head::current(&self.tx).map_err(self.sql())
    }

    /// The batch made from an input, if any.
    pub fn batch_for_input(&self, sha256: &str) -> Result<Option<BatchRecord>, LedgerError> {
        records::batch_where(&self.tx, "input_sha256 = ?1", sha256).map_err(self.sql())
    }

    /// What has been paid in a period.
    pub fn paid_index(&self, period: &str) -> Result<PaidIndex, LedgerError> {
        let mut stmt = self
            .tx
            .prepare(
                "SELECT p.payment_type, p.beneficiary_key, b.batch_id, p.end_to_end_id, p.status,
                        p.attempt, p.reason_code, f.bank_bin, p.account, p.name, p.identifiers
                 FROM payments p CROSS JOIN bank_files f ON f.id = p.file
                      CROSS JOIN batches b ON b.id = f.batch
                 WHERE p.period = ?1 ORDER BY p.attempt",
            )
            .map_err(self.sql())?;
        let mut index = PaidIndex::default();
        let rows = stmt
            .query_map([period], |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    PriorPayment {
                        batch_id: r.get(2)?,
                        end_to_end_id: r.get(3)?,
                        status: r.get(4)?,
                        attempt: r.get(5)?,
                    },
                    (
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ),
                    (r.get::<_, String>(9)?, r.get::<_, String>(10)?),
                ))
            })
            .map_err(self.sql())?;
        for row in rows {
            let (key, prior, (reason_code, bank_bin, account), (name, identifiers)) =
                row.map_err(self.sql())?;
            index.people.push(Person::of(
                &key.0,
                &key.1,
                &name,
                &identifiers,
                &bank_bin,
                &account,
            ));
            let next = index.next_attempt.entry(key.clone()).or_insert(1);
            *next = (*next).max(prior.attempt + 1);
            if prior.status.is_failed() {
                // Rows come in attempt order: the latest failure stays.
                index.failed.insert(
                    key,
                    FailedPayment {
                        end_to_end_id: prior.end_to_end_id,
                        status: prior.status,
                        reason_code,
                        bank_bin,
                        account,
                    },
                );
            } else {
                index.live.insert(key, prior);
            }
        }
        index
            .next_attempt
            .retain(|k, _| !index.live.contains_key(k));
        index.failed.retain(|k, _| !index.live.contains_key(k));
        Ok(index)
    }

    /// Records an input file's outcome.
    pub fn record_input(
        &mut self,
        sha256: &str,
        file: &str,
        outcome: &str,
        batch_id: Option<&str>,
        detail: &str,
    ) -> Result<(), LedgerError> {
        let now = crate::clock::now()
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        self.tx
            .execute(
                "INSERT INTO inputs (sha256, file_name, received_at, outcome, batch_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![sha256, file, now, outcome, batch_id, detail],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// Records a staged batch, its bank files and payments as `pending`.
    ///
    /// The payments are inserted in payment type and beneficiary order (the
    /// table's own), their end-to-end ids in id order (theirs): a month's
    /// payments go at the end of both, or into one range of each, never at
    /// random. Their digest for the journal is worked out on the other
    /// threads meanwhile.
    pub fn record_batch(
        &mut self,
        batch: &BatchRecord,
        files: &[BankFileRecord],
        payments: &dyn NewPayments,
    ) -> Result<(), LedgerError> {
        let batch_row = records::insert_batch(&self.tx, batch).map_err(self.sql())?;
        journal::append(&self.tx, "batch", batch).map_err(self.sql())?;
        let mut file_rows = HashMap::with_capacity(files.len());
        for f in files {
            let row = records::insert_bank_file(&self.tx, f, batch_row).map_err(self.sql())?;
            file_rows.insert(f.message_id.as_str(), row);
            journal::append(&self.tx, "bank_file", f).map_err(self.sql())?;
        }
        let count = payments.count();
        let (by_beneficiary, by_id) = rayon::join(
            || {
                let mut keyed: Vec<(&str, &str, usize)> = (0..count)
                    .into_par_iter()
                    .map(|i| {
                        let (_, payment_type, beneficiary) = payments.keys(i);
                        (payment_type, beneficiary, i)
                    })
                    .collect();
                keyed.par_sort_unstable();
                keyed.into_iter().map(|(_, _, i)| i).collect::<Vec<usize>>()
            },
            || journal::id_order(payments),
        );
        // Room for most of the pages the batch writes, so that they are not
        // spilled to the write-ahead log and read back mid-transaction.
        let cache: i64 = self
            .tx
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .map_err(self.sql())?;
        let wanted = -(i64::try_from(count).unwrap_or(i64::MAX) * CACHE_PER_PAYMENT / 1024)
            .clamp(-MAX_CACHE_KIB, 0);
        // A negative size is in KiB, a positive one in pages.
        let raise = wanted < cache.min(-READ_CACHE_KIB);
        if raise {
            self.tx
                .pragma_update(None, "cache_size", wanted)
                .map_err(self.sql())?;
        }
        let started = std::time::Instant::now();
        let (inserted, (sealed, digest)) = std::thread::scope(|scope| {
            let digest = scope.spawn(|| {
                let digest = journal::new_payments_digest(payments, &by_id);
                tracing::debug!(elapsed = ?started.elapsed(), "payments digested");
                digest
            });
            let inserted = self.insert_payments(payments, &by_beneficiary, &by_id, &file_rows);
            tracing::debug!(elapsed = ?started.elapsed(), "payments inserted");
            let digest = digest
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (inserted, digest)
        });
        if raise {
            self.tx
                .pragma_update(None, "cache_size", cache)
                .map_err(self.sql())?;
        }
        inserted?;
        if sealed > 0 {
            journal::append(
                &self.tx,
                "payments",
                &journal::PaymentsSeal {
                    batch_id: batch.batch_id.clone(),
                    count: sealed,
                    digest,
                },
            )
            .map_err(self.sql())?;
        }
        self.record_input(
            &batch.input_sha256,
            &batch.input_file,
            "batch",
            Some(&batch.batch_id),
            "",
        )
    }

    fn insert_payments(
        &self,
        payments: &dyn NewPayments,
        by_beneficiary: &[usize],
        by_id: &[usize],
        file_rows: &HashMap<&str, i64>,
    ) -> Result<(), LedgerError> {
        let mut insert = records::payment_insert(&self.tx).map_err(self.sql())?;
        for &i in by_beneficiary {
            let p = payments.payment(i);
            let file = *file_rows
                .get(p.message_id)
                .ok_or_else(|| LedgerError::Sqlite {
                    path: self.path.clone(),
                    source: rusqlite::Error::QueryReturnedNoRows,
                })?;
            records::insert_payment(&mut insert, &p, file).map_err(self.sql())?;
        }
        tracing::debug!("payments inserted by beneficiary");
        let mut insert = records::end_to_end_id_insert(&self.tx).map_err(self.sql())?;
        for &i in by_id {
            records::insert_end_to_end_id(&mut insert, &payments.payment(i)).map_err(self.sql())?;
        }
        Ok(())
    }

    /// Changes a batch's state.
    pub fn set_state(&mut self, batch_id: &str, state: &str) -> Result<(), LedgerError> {
        self.tx
            .execute(
                "UPDATE batches SET state = ?2 WHERE batch_id = ?1",
                params![batch_id, state],
            )
            .map_err(self.sql())?;
        journal::append(
            &self.tx,
            "state",
            &serde_json::json!({ "batch_id": batch_id, "state": state }),
        )
        .map_err(self.sql())?;
        Ok(())
    }

    /// Records payments' new statuses: journalled in the order given (a
    /// record per 1,024 changes), the
    /// table updated in its own order (period, payment type, beneficiary),
    /// so that a national answer rewrites its pages once each rather than
    /// at random. A payment that fails moves to its attempt's slot, which
    /// frees the beneficiary's live one for a re-issue. Each payment
    /// appears at most once.
    pub fn set_statuses(
        &mut self,
        changes: &[(&PaymentRecord, &StatusChange)],
    ) -> Result<(), LedgerError> {
        for chunk in changes.chunks(journal::STATUSES_PER_RECORD) {
            let changes: Vec<&StatusChange> = chunk.iter().map(|(_, c)| *c).collect();
            journal::append(&self.tx, "statuses", &journal::Statuses { changes })
                .map_err(self.sql())?;
        }
        let mut order: Vec<&(&PaymentRecord, &StatusChange)> = changes.iter().collect();
        order.sort_by_key(|(p, _)| (&p.period, &p.payment_type, &p.beneficiary_key, p.attempt));
        // A live payment stays in its slot: only a failure moves the row
        // (SQLite rewrites a row whose key column is set, even to itself).
        let statement = |failed: bool| {
            self.tx.prepare_cached(if failed {
                "UPDATE payments SET status = ?5, reason_code = ?6, reason_text = ?7, slot = attempt
                 WHERE period = ?1 AND payment_type = ?2 AND beneficiary_key = ?3 AND attempt = ?4"
            } else {
                "UPDATE payments SET status = ?5, reason_code = ?6, reason_text = ?7
                 WHERE period = ?1 AND payment_type = ?2 AND beneficiary_key = ?3 AND attempt = ?4"
            })
        };
        let mut live = statement(false).map_err(self.sql())?;
        let mut failed = statement(true).map_err(self.sql())?;
        for (p, change) in order {
            let update = if change.status.is_failed() {
                &mut failed
            } else {
                &mut live
            };
            update
                .execute(params![
                    p.period,
                    p.payment_type,
                    p.beneficiary_key,
                    p.attempt,
                    change.status,
                    change.reason_code,
                    change.reason_text
                ])
                .map_err(self.sql())?;
        }
        Ok(())
    }

    /// Removes a batch that never reached the disk.
    fn undo(&mut self, batch_id: &str) -> Result<(), LedgerError> {
        let of_batch = "(period, payment_type, beneficiary_key, attempt) IN (
                SELECT p.period, p.payment_type, p.beneficiary_key, p.attempt FROM payments p
                WHERE p.period = (SELECT period FROM batches WHERE batch_id = ?1)
                  AND p.file IN (SELECT f.id FROM bank_files f JOIN batches b ON b.id = f.batch
                                 WHERE b.batch_id = ?1))";
        for sql in [
            format!("DELETE FROM end_to_end_ids WHERE {of_batch}"),
            format!("DELETE FROM payments WHERE {of_batch}"),
            "DELETE FROM bank_files WHERE batch = (SELECT id FROM batches WHERE batch_id = ?1)"
                .to_owned(),
            "DELETE FROM batches WHERE batch_id = ?1".to_owned(),
        ] {
            self.tx.execute(&sql, [batch_id]).map_err(self.sql())?;
        }
        self.tx
            .execute("UPDATE inputs SET outcome = 'failed', detail = 'interrupted before its files were written' WHERE batch_id = ?1", [batch_id])
            .map_err(self.sql())?;
        journal::append(
            &self.tx,
            "undo",
            &serde_json::json!({ "batch_id": batch_id }),
        )
        .map_err(self.sql())?;
        Ok(())
    }

    /// The answer with this sha256, if it was read before.
    pub fn answer(&self, sha256: &str) -> Result<Option<AnswerRecord>, LedgerError> {
        Ok(records::answers_where(&self.tx, Some(sha256))
            .map_err(self.sql())?
            .pop())
    }

    /// What the answer with this sha256 changed when it was read: each
    /// payment's status before and after, from the journal (`None` when
    /// the journal cannot tell).
    pub fn answer_changes(
        &self,
        sha256: &str,
    ) -> Result<Option<Vec<(StatusChange, StatusChange)>>, LedgerError> {
        journal::answer_changes(&self.tx, sha256).map_err(self.sql())
    }

    /// Records a bank answer read.
    pub fn record_answer(&mut self, answer: &AnswerRecord) -> Result<(), LedgerError> {
        records::insert_answer(&self.tx, answer).map_err(self.sql())?;
        journal::append(&self.tx, "answer", answer).map_err(self.sql())?;
        Ok(())
    }

    /// Whether a batch's payments are sent: it needed no approval, or it
    /// was released; `None` for a batch not recorded.
    pub fn released(&self, batch_id: &str) -> Result<Option<bool>, LedgerError> {
        records::released(&self.tx, batch_id).map_err(self.sql())
    }

    /// The bank file with this `MsgId`.
    pub fn bank_file(&self, message_id: &str) -> Result<Option<BankFileRecord>, LedgerError> {
        Ok(records::bank_files_where(&self.tx, Some(message_id))
            .map_err(self.sql())?
            .pop())
    }

    /// Payments with their current status.
    pub fn payments(
        &self,
        filter: PaymentFilter<'_>,
    ) -> Result<Vec<(PaymentRecord, StatusChange)>, LedgerError> {
        records::payments(&self.tx, filter).map_err(self.sql())
    }

    /// Payments with their current status, in the table's order (by
    /// period and beneficiary).
    pub fn payments_in_table_order(
        &self,
        filter: PaymentFilter<'_>,
    ) -> Result<Vec<(PaymentRecord, StatusChange)>, LedgerError> {
        records::payments_where(&self.tx, filter, false).map_err(self.sql())
    }

    /// The payment with this end-to-end id.
    pub fn payment(
        &self,
        end_to_end_id: &str,
    ) -> Result<Option<(PaymentRecord, StatusChange)>, LedgerError> {
        records::payment_by_id(&self.tx, end_to_end_id)
            .optional()
            .map_err(self.sql())
    }
}
