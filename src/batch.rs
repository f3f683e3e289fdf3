//! One list through the whole pipeline: read, validate, route, then write
//! every file into a staging directory, record the batch in the ledger when
//! there is one, and publish it in one rename. `run` and the hot folder
//! call this; it never prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use compact_str::CompactString;
use rayon::prelude::*;

use crate::config::ConfigError;
use crate::ingest::{IngestError, Table};
use crate::ledger::{
    BankFileRecord, BatchRecord, Ledger, LedgerError, NewPayment, NewPayments, PaidIndex,
};
use crate::period::Period;
use crate::prepared::Prepared;
use crate::reference::ReferenceError;
use crate::report::{self, listings, reconciliation};
use crate::route::{BankBatch, Payment, RouteSettings, route};
use crate::settings::{RunSettings, SettingsError};
use crate::validate::{Candidate, Context, Severity, validate};
use crate::write::manifest::{FileEntry, InputInfo, Manifest, Totals};
use crate::write::pain001::{self, MessageHeader};
use crate::write::{PublishError, Staged, Staging};
use crate::{clock, ids};

/// Why a batch could not be made. Nothing is written when any of these
/// happens.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input cannot be used.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The configuration cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A reference table cannot be used.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// No period given and none found.
    #[error("no period given, and none found in the list's title or file name")]
    NoPeriod,
    /// The output cannot be written.
    #[error(transparent)]
    Publish(#[from] PublishError),
    /// The pinned clock is malformed.
    #[error("{0}")]
    Clock(String),
    /// A bank's profile cannot route its payments.
    #[error(transparent)]
    Route(#[from] crate::route::RouteError),
    /// The ledger cannot be used.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The rows do not add up to the declared total (`--strict-totals`).
    #[error(
        "the rows add up to {rows_vnd} đồng but the list declares {declared_vnd} đồng on row {row} (difference {difference})"
    )]
    DeclaredTotal {
        /// The totals row.
        row: u32,
        /// What the office declared.
        declared_vnd: i64,
        /// What the rows add up to.
        rows_vnd: i64,
        /// rows - declared.
        difference: i64,
    },
    /// The list's amounts add up to more than a total can hold.
    #[error(
        "the amounts of `{file}` add up to more than a total can hold; check the amount column with the office"
    )]
    TotalTooLarge {
        /// The list.
        file: String,
    },
    /// The same file (by content) was already made into a batch.
    #[error(
        "`{file}` was already processed: it is batch `{batch_id}` (from `{earlier_file}`, {created_at})"
    )]
    AlreadyProcessed {
        /// The file refused.
        file: String,
        /// The earlier batch.
        batch_id: String,
        /// The earlier batch's input file name.
        earlier_file: String,
        /// When the earlier batch was made.
        created_at: String,
    },
}

impl From<SettingsError> for RunError {
    fn from(e: SettingsError) -> RunError {
        match e {
            SettingsError::Config(e) => RunError::Config(e),
            SettingsError::Reference(e) => RunError::Reference(e),
        }
    }
}

impl RunError {
    /// How to fix it, where that can be said (the `hint:` line, and the
    /// hot folder's error reports).
    pub fn hint(&self) -> Option<String> {
        let text = match self {
            RunError::Ingest(i) => return i.hint(),
            RunError::NoPeriod => {
                "pass --period YYYY-MM, or write the month in the title (THÁNG 07/2024) or the file name"
            }
            RunError::Publish(e) => return e.hint().map(str::to_owned),
            RunError::AlreadyProcessed { .. } => {
                "nothing was paid again; to correct a batch, send a supplementary list of the changed rows"
            }
            RunError::DeclaredTotal { .. } => {
                "correct the rows or the totals row with the office, or run without --strict-totals to review it"
            }
            _ => return None,
        };
        Some(text.to_owned())
    }
}

/// Records in the ledger that an input (sent as `name`) was refused or
/// could not be used.
pub fn record_refusal(ledger: &mut Ledger, input: &Path, name: &str, error: &RunError) {
    let Ok(sha) = crate::ingest::file_sha256(input) else {
        return;
    };
    let (outcome, batch_id) = match error {
        RunError::AlreadyProcessed { batch_id, .. } => ("refused", Some(batch_id.as_str())),
        _ => ("failed", None),
    };
    if let Err(e) = ledger.record_input(&sha, name, outcome, batch_id, &error.to_string()) {
        tracing::error!("cannot record the refused input in the ledger: {e}");
    }
}

/// Reads, validates and routes a list, without a ledger.
pub fn prepare(input: &Path, settings: &RunSettings) -> Result<Prepared, RunError> {
    let started = std::time::Instant::now();
    let name = input
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    settings.progress.stage("reading");
    let table =
        crate::ingest::read_table_as(input, &name, &settings.reference.columns, &settings.read)?;
    tracing::debug!(rows = table.height(), elapsed = ?started.elapsed(), "read");
    prepare_table(table, settings, None)
}

/// Validates and routes a list already read; `known` is what the ledger
/// knows of the period and the months before.
pub fn prepare_table(
    table: Table,
    settings: &RunSettings,
    known: Option<crate::validate::Known<'_>>,
) -> Result<Prepared, RunError> {
    let paid = known.map(|k| k.paid);
    let period = period_of(&table, settings)?;
    let ctx = Context {
        reference: &settings.reference,
        config: &settings.config,
        period,
    };
    let started = std::time::Instant::now();
    settings.progress.stage("checking");
    let validated = validate(&table, &ctx, known);
    tracing::debug!(elapsed = ?started.elapsed(), "validated");
    let empty = HashMap::new();
    let attempts = paid.map_or(&empty, |p| &p.next_attempt);
    finish(
        table,
        validated.candidates,
        validated.blank_rows,
        settings,
        period,
        attempts,
        validated.adopted,
    )
    .map(|mut prepared| {
        prepared.changes = validated.changes;
        prepared
    })
}

/// The period given, else the one the list's title or file name names.
pub fn period_of(table: &Table, settings: &RunSettings) -> Result<Period, RunError> {
    settings
        .period
        .or_else(|| crate::period::detect(&table.title_lines, &table.file_name))
        .ok_or(RunError::NoPeriod)
}

/// Routes validated candidates and totals the batch.
pub fn finish(
    table: Table,
    candidates: Vec<Candidate>,
    blank_rows: usize,
    settings: &RunSettings,
    period: Period,
    attempts: &HashMap<(String, String), u32>,
    adopted: HashMap<u32, String>,
) -> Result<Prepared, RunError> {
    let config = &settings.config;
    let batch_id = ids::batch_id(&config.office.code, period, &table.sha256);
    let declared = table.declared.as_ref();
    let mut totals = Totals {
        declared_vnd: declared.and_then(|d| d.amount),
        declared_rows: declared.and_then(|d| d.count),
        rows: candidates.len(),
        blank_rows,
        ..Totals::default()
    };
    // Every sum is checked: with the per-row ceiling none can overflow,
    // but a total that does not fit refuses the list rather than wrap.
    let too_large = || RunError::TotalTooLarge {
        file: table.file_name.clone(),
    };
    for c in &candidates {
        if c.rejected {
            totals.rejected += 1;
            match c.amount {
                Some(a) => {
                    totals.rejected_vnd =
                        totals.rejected_vnd.checked_add(a).ok_or_else(too_large)?
                }
                None => totals.rejected_without_amount += 1,
            }
        } else {
            totals.accepted += 1;
            totals.accepted_vnd = totals
                .accepted_vnd
                .checked_add(c.amount.unwrap_or(0))
                .ok_or_else(too_large)?;
            if c.diagnostics
                .iter()
                .any(|d| config.severity(d.code) == Severity::Warn)
            {
                totals.warned += 1;
            }
        }
    }
    totals
        .accepted_vnd
        .checked_add(totals.rejected_vnd)
        .ok_or_else(too_large)?;
    // Each bank's total is part of the accepted total: it fits.
    let started = std::time::Instant::now();
    let batches = route(
        &candidates,
        &settings.reference.banks,
        &RouteSettings {
            office: &config.office.code,
            period,
            batch_id: &batch_id,
            remittance: &config.payment.remittance,
            attempts,
            adopted: &adopted,
            profiles: &settings.reference.profiles,
        },
    )?;
    tracing::debug!(elapsed = ?started.elapsed(), "routed");
    // A totals row whose amount cannot be read declares nothing that adds up.
    if let (true, Some(declared)) = (settings.strict_totals, &table.declared)
        && totals.adds_up() != Some(true)
    {
        let declared_vnd = declared.amount.unwrap_or(0);
        return Err(RunError::DeclaredTotal {
            row: declared.row,
            declared_vnd,
            rows_vnd: totals.rows_vnd(),
            difference: totals.rows_vnd() - declared_vnd,
        });
    }
    let created = clock::now().map_err(RunError::Clock)?;
    let (execution_date, mut notices) = execution_and_notices(config, period, created);
    if totals.accepted > config.treasury.mau_09_max_lines {
        notices.push(crate::prepared::Notice {
            code: "MAU_09_BY_BANK",
            message: format!(
                "Mẫu 09 lists each bank's count and total, not the {} payments one by one (more than [treasury] mau_09_max_lines = {}); accepted.csv has every line",
                totals.accepted, config.treasury.mau_09_max_lines
            ),
            message_vi: format!(
                "Mẫu 09 chỉ ghi số món và tổng tiền từng ngân hàng, không liệt kê {} khoản chi (quá [treasury] mau_09_max_lines = {}); accepted.csv có đủ từng dòng",
                totals.accepted, config.treasury.mau_09_max_lines
            ),
        });
    }
    Ok(Prepared {
        table,
        candidates,
        batches,
        totals,
        period,
        batch_id,
        config: config.clone(),
        created,
        adopted,
        journal_head: None,
        changes: None,
        execution_date,
        notices,
        profiles: settings.reference.profiles.clone(),
    })
}

/// The execution date to request, and what to say about it and the
/// debtor's bank: a requested date already past is kept and warned of, or
/// moved to the next business day (`[payment] past_execution_date`); a
/// debtor's bank given only by name is warned of.
fn execution_and_notices(
    config: &crate::config::Config,
    period: Period,
    created: chrono::DateTime<chrono::FixedOffset>,
) -> (chrono::NaiveDate, Vec<crate::prepared::Notice>) {
    use crate::prepared::Notice;
    use chrono::{Datelike, Weekday};
    let requested = config.execution_date(period);
    let today = created.date_naive();
    let mut notices = Vec::new();
    let mut date = requested;
    if requested < today {
        let mut next = today.succ_opt().unwrap_or(today);
        while matches!(next.weekday(), Weekday::Sat | Weekday::Sun) {
            next = next.succ_opt().unwrap_or(next);
        }
        match config.payment.past_execution_date {
            crate::config::PastExecution::Warn => notices.push(Notice {
                code: "EXECUTION_DATE_PAST",
                message: format!(
                    "the requested execution date {requested} is before today ({today}): a bank may refuse the files or pay late; set [payment] past_execution_date = \"next_business_day\" to ask for {next}"
                ),
                message_vi: format!(
                    "ngày chi trả yêu cầu {requested} đã qua (hôm nay {today}): ngân hàng có thể từ chối hoặc chi chậm; đặt [payment] past_execution_date = \"next_business_day\" để yêu cầu ngày {next}"
                ),
            }),
            crate::config::PastExecution::NextBusinessDay => {
                date = next;
                notices.push(Notice {
                    code: "EXECUTION_DATE_MOVED",
                    message: format!(
                        "the requested execution date {requested} was past: the files ask for the next business day, {next}"
                    ),
                    message_vi: format!(
                        "ngày chi trả yêu cầu {requested} đã qua: các tệp yêu cầu ngày làm việc kế tiếp, {next}"
                    ),
                });
            }
        }
    }
    let d = &config.debtor;
    if d.agent_bic.is_none() && d.agent_member_id.is_none() {
        notices.push(Notice {
            code: "DEBTOR_AGENT_BY_NAME",
            message: format!(
                "the paying bank is given only by name ({}): banks route on a BIC or a NAPAS member id; set [debtor] agent_bic or agent_member_id",
                d.agent_name.as_deref().unwrap_or("")
            ),
            message_vi: format!(
                "ngân hàng của tài khoản chi chỉ có tên ({}): ngân hàng định tuyến theo BIC hoặc mã thành viên NAPAS; đặt [debtor] agent_bic hoặc agent_member_id",
                d.agent_name.as_deref().unwrap_or("")
            ),
        });
    }
    (date, notices)
}

/// A batch written and synced beside its target, not yet published.
#[derive(Debug)]
pub struct StagedBatch {
    /// Its manifest.
    pub manifest: Manifest,
    /// sha256 of `manifest.json`.
    pub manifest_sha256: String,
    /// The staged directory.
    pub staged: Staged,
}

/// Writes the batch into `out` atomically and returns its manifest.
pub fn write(result: &Prepared, out: &Path) -> Result<(Manifest, PathBuf), RunError> {
    let staged = stage(result, out)?;
    let published = staged.staged.publish()?;
    tracing::debug!("published");
    Ok((staged.manifest, published))
}

/// Writes every file of the batch into a synced staging directory beside
/// `out`.
pub fn stage(result: &Prepared, out: &Path) -> Result<StagedBatch, RunError> {
    let started = std::time::Instant::now();
    let staging = Staging::new(out)?;
    let header = message_header(result);
    // Every file is independent of the others: the bank files (in
    // parallel) and the reports are written at the same time.
    let (banks, reports) = rayon::join(
        || {
            let files = write_banks(&staging, result, &header);
            tracing::debug!(elapsed = ?started.elapsed(), "bank files written");
            files
        },
        || {
            let (files, charts) = rayon::join(
                || write_listings(&staging, result),
                || report::html::Charts::new(result),
            );
            tracing::debug!(elapsed = ?started.elapsed(), "listings written");
            (files, charts)
        },
    );
    let (reports, charts) = reports;
    let mut files = banks?;
    files.extend(reports?);
    // `accepted.csv` copied rows from the list: they are the rows read
    // only if the list is as it was.
    result.table.check_source()?;
    tracing::debug!(elapsed = ?started.elapsed(), "bank files and listings written");
    // The page shows each bank file's sha256: written once they are.
    let written = staging.write_file("report.html", |w| {
        report::html::write(w, result, &files, &charts)
    })?;
    files.push(FileEntry::document("report.html", "report", written));
    tracing::debug!(elapsed = ?started.elapsed(), "files written");
    let manifest = manifest(result, &header, files);
    let written = staging.write_file("manifest.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        w.write_all(b"\n")
    })?;
    crate::failpoint::hit("staged-files");
    let staged = staging.seal()?;
    tracing::debug!(elapsed = ?started.elapsed(), "staged and synced");
    Ok(StagedBatch {
        manifest,
        manifest_sha256: written.sha256,
        staged,
    })
}

/// What every bank file of the batch says of the debtor and the dates.
fn message_header(result: &Prepared) -> MessageHeader {
    let config = &result.config;
    MessageHeader {
        created: result.created,
        initiating_party: config.office.name.clone(),
        debtor_name: config.debtor.name.clone(),
        debtor_account: config.debtor.account.clone(),
        debtor_agent_bic: config.debtor.agent_bic.clone(),
        debtor_agent_name: config.debtor.agent_name.clone(),
        debtor_agent_member_id: config.debtor.agent_member_id.clone(),
        execution_date: result.execution_date,
        batch_booking: config.payment.batch_booking,
    }
}

/// The bank files, one pain.001 a receiving bank, written in parallel.
fn write_banks(
    staging: &Staging,
    result: &Prepared,
    header: &MessageHeader,
) -> Result<Vec<FileEntry>, PublishError> {
    result
        .batches
        .par_iter()
        .map(|b| {
            let path = format!("banks/{}", b.file_name());
            let profiles = &result.profiles;
            let (written, kind) = match b.template {
                Some(t) if b.format == crate::reference::BankFormat::Template => {
                    let period = result.period.slashed();
                    let context = crate::write::template::Context {
                        office: &result.config.office.name,
                        period: &period,
                        batch: &result.batch_id,
                        created: result.created,
                    };
                    let template = profiles.template(t);
                    let written = staging.write_file(&path, |w| {
                        crate::write::template::write(w, b, &result.candidates, template, &context)
                    })?;
                    (written, "bank-workbook")
                }
                _ => (
                    staging
                        .write_file(&path, |w| pain001::write(w, b, &result.candidates, header))?,
                    "pain.001",
                ),
            };
            Ok(FileEntry {
                path,
                kind,
                sha256: written.sha256,
                bytes: written.bytes,
                bank_bin: Some(b.bank.bin.clone()),
                format: match (b.format, b.template) {
                    (crate::reference::BankFormat::Pain001V09, _) => None,
                    (crate::reference::BankFormat::Template, Some(t)) => {
                        Some(format!("template:{}", profiles.template(t).file))
                    }
                    (format, _) => Some(format.as_str().to_owned()),
                },
                part: b.part,
                message_id: Some(b.message_id.clone()),
                transactions: Some(b.payments.len()),
                total_vnd: Some(b.total),
            })
        })
        .collect()
}

/// The listings and the reconciliation, written in parallel.
fn write_listings(staging: &Staging, result: &Prepared) -> Result<Vec<FileEntry>, PublishError> {
    type Writer = fn(&mut (dyn std::io::Write + Send), &Prepared) -> std::io::Result<()>;
    let mut reports: Vec<(&str, &'static str, Writer)> = vec![
        ("accepted.csv", "accepted", listings::write_accepted),
        ("rejected.csv", "rejected", listings::write_rejected),
        (
            "reconciliation.csv",
            "reconciliation",
            reconciliation::write,
        ),
        ("reconciliation.xlsx", "workbook", report::workbook::write),
        (
            "treasury/mau-09.xlsx",
            "mau-09",
            report::mau09::write_workbook,
        ),
        (
            "treasury/mau-09.html",
            "mau-09-page",
            report::mau09::write_page,
        ),
    ];
    if result.changes.is_some() {
        reports.push(("changes.csv", "changes", |w, result| {
            let changes = result.changes.as_ref().expect("pushed with changes");
            crate::changes::listing::write(w, changes)
        }));
    }
    reports
        .par_iter()
        .map(|(path, kind, fill)| {
            let started = std::time::Instant::now();
            let written = staging.write_file(path, |w| fill(w, result))?;
            tracing::debug!(file = path, elapsed = ?started.elapsed(), "listing written");
            Ok(FileEntry::document(path, kind, written))
        })
        .collect()
}

/// The batch's manifest: what it pays, from which input, and every file.
fn manifest(result: &Prepared, header: &MessageHeader, files: Vec<FileEntry>) -> Manifest {
    let table = &result.table;
    Manifest {
        format: 1,
        generator: format!("disburse {}", env!("CARGO_PKG_VERSION")),
        batch_id: result.batch_id.clone(),
        period: result.period.to_string(),
        office: result.config.office.code.clone(),
        created: result.created.to_rfc3339(),
        execution_date: header.execution_date.to_string(),
        input: InputInfo {
            file: table.file_name.clone(),
            sha256: table.sha256.clone(),
            rows: result.totals.rows,
            format: table.format.kind,
            encoding: table.format.encoding,
            delimiter: table.format.delimiter.map(String::from),
            sheet: table.format.sheet.clone(),
            header_row: table.header_row,
            layout_rows: table.skipped.clone(),
            totals_row: table.declared.as_ref().map(|d| d.row),
        },
        totals: result.totals.clone(),
        files,
        journal_head: result.journal_head.clone(),
        changes: result.changes.as_ref().map(|c| c.summary()),
        approval: crate::write::manifest::ApprovalRequirement {
            required: result.config.required_roles(),
        },
        notices: result.notices.clone(),
    }
}

/// `path` absolute, with its parent's symbolic links resolved (the path
/// itself may not exist yet: a target is renamed into place later).
fn canonical(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(parent), path.file_name()) {
        (Ok(parent), Some(name)) => parent.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_owned()),
    }
}

/// What a recorded run made.
#[derive(Debug)]
pub struct Recorded {
    /// The manifest.
    pub manifest: Manifest,
    /// The published directory.
    pub out: PathBuf,
}

/// Runs a list with the ledger: refuses a file already made into a batch,
/// rejects beneficiaries already paid (`ALREADY_PAID`), and records the
/// batch in the same transaction that made those checks. The files are
/// staged and synced before the transaction commits and renamed into place
/// after; a crash in between is finished when the ledger is next opened.
/// `name` is the input's name as sent; `out_for` names the output directory
/// from the batch id; `source` says where the input came from.
pub fn run_recorded(
    input: &Path,
    name: &str,
    out_for: &dyn Fn(&str) -> PathBuf,
    settings: &RunSettings,
    ledger: &mut Ledger,
    source: &str,
) -> Result<Recorded, RunError> {
    settings.progress.stage("reading");
    let table =
        crate::ingest::read_table_as(input, name, &settings.reference.columns, &settings.read)?;
    crate::failpoint::hit("read");
    // Held until the batch is published: no other process's recovery may
    // publish or undo it meanwhile. Taken before the ledger's write lock,
    // as recovery takes it, so that the two never wait on each other.
    let _publishing = ledger.publication_lock()?;
    let mut tx = ledger.begin()?;
    if let Some(earlier) = tx.batch_for_input(&table.sha256)? {
        return Err(RunError::AlreadyProcessed {
            file: table.file_name.clone(),
            batch_id: earlier.batch_id,
            earlier_file: earlier.input_file,
            created_at: earlier.created_at,
        });
    }
    let period = period_of(&table, settings)?;
    let paid = tx.paid_index(&period.to_string())?;
    let history = tx.history(period, &settings.reference.columns)?;
    let known = crate::validate::Known {
        paid: &paid,
        history: &history,
    };
    let mut result = prepare_table(table, settings, Some(known))?;
    // The earlier month is compared: not held while the batch is written.
    drop(history);
    result.journal_head = Some(tx.head()?);
    crate::failpoint::hit("validated");
    let out = out_for(&result.batch_id);
    settings.progress.stage("writing");
    let staged = stage(&result, &out)?;
    settings.progress.stage("recording");
    let started = std::time::Instant::now();
    let (batch, files, payments) = records(&result, &staged, source, &paid);
    if let Err(e) = tx.record_batch(&batch, &files, &payments).and_then(|()| {
        crate::failpoint::hit("recorded");
        tracing::debug!(elapsed = ?started.elapsed(), "recorded");
        tx.commit()
    }) {
        staged.staged.discard();
        return Err(e.into());
    }
    crate::failpoint::hit("committed");
    tracing::debug!(elapsed = ?started.elapsed(), "committed");
    let published = staged.staged.publish()?;
    crate::failpoint::hit("renamed");
    ledger.mark_published(&result.batch_id)?;
    crate::failpoint::hit("published");
    tracing::debug!(elapsed = ?started.elapsed(), "published");
    Ok(Recorded {
        manifest: staged.manifest,
        out: published,
    })
}

/// The ledger records of a staged batch: the batch and its bank files, and
/// its payments as a view made one at a time.
fn records<'r>(
    result: &'r Prepared,
    staged: &StagedBatch,
    source: &str,
    paid: &PaidIndex,
) -> (BatchRecord, Vec<BankFileRecord>, Recording<'r>) {
    let t = &result.totals;
    let batch = BatchRecord {
        batch_id: result.batch_id.clone(),
        input_sha256: result.table.sha256.clone(),
        input_file: result.table.file_name.clone(),
        source: source.to_owned(),
        period: result.period.to_string(),
        office: result.config.office.code.clone(),
        created_at: result.created.to_rfc3339(),
        // Absolute and canonical: recovery may open the ledger from any
        // directory, and must find the files where they are.
        out_dir: canonical(staged.staged.target()).display().to_string(),
        staging_dir: canonical(staged.staged.path()).display().to_string(),
        manifest_sha256: staged.manifest_sha256.clone(),
        accepted: t.accepted as i64,
        accepted_vnd: t.accepted_vnd,
        rejected: t.rejected as i64,
        approval_roles: result.config.required_roles().join(","),
    };
    let files = result
        .batches
        .iter()
        .zip(staged.manifest.files.iter().filter(|f| f.is_bank_file()))
        .map(|(b, entry)| BankFileRecord {
            message_id: b.message_id.clone(),
            batch_id: result.batch_id.clone(),
            path: entry.path.clone(),
            bank_bin: b.bank.bin.clone(),
            sha256: entry.sha256.clone(),
            transactions: b.payments.len() as i64,
            total_vnd: b.total,
        })
        .collect();
    (batch, files, Recording::new(result, paid))
}

/// A batch's payments as the ledger records them, each made when it is
/// asked for: a national list's payments are never all held as owned
/// records.
struct Recording<'r> {
    result: &'r Prepared,
    period: String,
    /// Bank batch and payment index of each payment, bank by bank.
    at: Vec<(u32, u32)>,
    /// Each payment's beneficiary key.
    keys: Vec<CompactString>,
    /// Each payment's beneficiary's identifiers the key does not hold.
    identifiers: Vec<CompactString>,
    /// Each payment's attempt, when some beneficiary's earlier payments in
    /// the period failed (otherwise every attempt is the first).
    attempts: Vec<u32>,
}

impl<'r> Recording<'r> {
    fn new(result: &'r Prepared, paid: &PaidIndex) -> Recording<'r> {
        let at: Vec<(u32, u32)> = result
            .batches
            .iter()
            .enumerate()
            .flat_map(|(b, batch)| (0..batch.payments.len()).map(move |p| (b as u32, p as u32)))
            .collect();
        let candidate = |&(b, p): &(u32, u32)| {
            &result.candidates[result.batches[b as usize].payments[p as usize].candidate()]
        };
        let (keys, identifiers): (Vec<CompactString>, Vec<CompactString>) = at
            .par_iter()
            .map_init(
                || (String::new(), String::new()),
                |(key, identifiers), at| {
                    let c = candidate(at);
                    match result.adopted.get(&c.index) {
                        Some(adopted) => adopted.clone_into(key),
                        None => c.beneficiary_key_into(key),
                    }
                    c.identifiers_into(key, identifiers);
                    (
                        CompactString::from(key.as_str()),
                        CompactString::from(identifiers.as_str()),
                    )
                },
            )
            .unzip();
        let attempts = if paid.next_attempt.is_empty() {
            Vec::new()
        } else {
            at.par_iter()
                .zip(&keys)
                .map(|(at, key)| {
                    let key = (candidate(at).payment_type.to_string(), key.to_string());
                    paid.next_attempt.get(&key).copied().unwrap_or(1)
                })
                .collect()
        };
        Recording {
            result,
            period: result.period.to_string(),
            at,
            keys,
            identifiers,
            attempts,
        }
    }

    fn parts(&self, i: usize) -> (&BankBatch, &Payment, &Candidate) {
        let (b, p) = self.at[i];
        let batch = &self.result.batches[b as usize];
        let payment = &batch.payments[p as usize];
        (batch, payment, &self.result.candidates[payment.candidate()])
    }
}

impl NewPayments for Recording<'_> {
    fn count(&self) -> usize {
        self.at.len()
    }

    fn payment(&self, i: usize) -> NewPayment<'_> {
        let (batch, payment, c) = self.parts(i);
        NewPayment {
            end_to_end_id: &payment.end_to_end_id,
            batch_id: &self.result.batch_id,
            message_id: &batch.message_id,
            period: &self.period,
            payment_type: &c.payment_type,
            beneficiary_key: &self.keys[i],
            attempt: self.attempts.get(i).copied().unwrap_or(1),
            bank_bin: &batch.bank.bin,
            account: c.account.as_deref().unwrap_or_default(),
            amount_vnd: c.amount.expect("a payment's row has an amount"),
            row: c.row,
            name: &c.name,
            identifiers: &self.identifiers[i],
        }
    }

    fn keys(&self, i: usize) -> (&str, &str, &str) {
        let (_, payment, c) = self.parts(i);
        (&payment.end_to_end_id, &c.payment_type, &self.keys[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `accepted.csv` copies rows from the list as it is at write time:
    /// a list rewritten since it was read is refused, and nothing is left.
    #[test]
    fn a_list_rewritten_after_it_was_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        let mut list = Vec::new();
        crate::generate::write_csv(&mut list, &crate::generate::Spec::district(50, 3)).unwrap();
        std::fs::write(&path, &list).unwrap();
        let settings = RunSettings::load(None, Period::new(2024, 1)).unwrap();
        let result = prepare(&path, &settings).unwrap();
        assert!(
            result.table.line(0).is_some(),
            "rows are copied from the list"
        );
        list.extend_from_slice(b"51,PL9,Someone else\r\n");
        std::fs::write(&path, &list).unwrap();
        let out = dir.path().join("out");
        let error = write(&result, &out).unwrap_err();
        assert!(
            matches!(error, RunError::Ingest(IngestError::Changed { .. })),
            "{error}"
        );
        assert!(!out.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the list is left: {left:?}");
    }
}
