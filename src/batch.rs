//! One list through the whole pipeline: read, validate, route, then write
//! every file into a staging directory and publish it in one rename. The
//! commands (`run`, and later `watch`) call this; it never prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::{Config, ConfigError};
use crate::ingest::{IngestError, Table};
use crate::period::Period;
use crate::reference::{Reference, ReferenceError};
use crate::report::{listings, reconciliation};
use crate::route::{BankBatch, RouteSettings, route};
use crate::validate::{Candidate, Context, Severity, validate};
use crate::write::manifest::{FileEntry, InputInfo, Manifest, Totals};
use crate::write::pain001::{self, MessageHeader};
use crate::write::{PublishError, Staging};
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
    #[error("no period given: pass --period YYYY-MM")]
    NoPeriod,
    /// The output cannot be written.
    #[error(transparent)]
    Publish(#[from] PublishError),
    /// The pinned clock is malformed.
    #[error("{0}")]
    Clock(String),
}

/// What a run is given.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// The office's settings.
    pub config: Config,
    /// Reference tables.
    pub reference: Reference,
    /// The month paid, when given.
    pub period: Option<Period>,
}

impl RunSettings {
    /// Settings from an optional configuration file: its reference tables
    /// when it names a directory, else the built-in ones.
    pub fn load(
        config_path: Option<&Path>,
        period: Option<Period>,
    ) -> Result<RunSettings, RunError> {
        let config = match config_path {
            Some(path) => Config::load(path)?,
            None => Config::builtin(),
        };
        let reference = match &config.schemas_dir {
            Some(dir) => Reference::load(dir)?,
            None => Reference::builtin()?,
        };
        Ok(RunSettings {
            config,
            reference,
            period,
        })
    }
}

/// A list read, validated and routed, ready to write.
#[derive(Debug)]
pub struct BatchResult {
    /// The input as read.
    pub table: Table,
    /// Every non-blank row.
    pub candidates: Vec<Candidate>,
    /// Payments per bank.
    pub batches: Vec<BankBatch>,
    /// Counts and amounts.
    pub totals: Totals,
    /// The paid month.
    pub period: Period,
    /// Batch id.
    pub batch_id: String,
    /// The configuration used.
    pub config: Config,
    /// Creation time.
    pub created: DateTime<FixedOffset>,
}

/// Reads, validates and routes a list. `attempts` gives the attempt number
/// of beneficiaries paid again after a failure (empty for a first payment).
pub fn prepare(
    input: &Path,
    settings: &RunSettings,
    attempts: &HashMap<String, u32>,
) -> Result<BatchResult, RunError> {
    let table = crate::ingest::read_table(input, &settings.reference.columns)?;
    let period = settings.period.ok_or(RunError::NoPeriod)?;
    let ctx = Context {
        reference: &settings.reference,
        config: &settings.config,
        period,
    };
    let validated = validate(&table, &ctx);
    finish(
        table,
        validated.candidates,
        validated.blank_rows,
        settings,
        period,
        attempts,
    )
}

/// Routes validated candidates and totals the batch.
pub fn finish(
    table: Table,
    candidates: Vec<Candidate>,
    blank_rows: usize,
    settings: &RunSettings,
    period: Period,
    attempts: &HashMap<String, u32>,
) -> Result<BatchResult, RunError> {
    let config = &settings.config;
    let batch_id = ids::batch_id(&config.office.code, period, &table.sha256);
    let batches = route(
        &candidates,
        &settings.reference.banks,
        &RouteSettings {
            office: &config.office.code,
            period,
            batch_id: &batch_id,
            remittance: &config.payment.remittance,
            attempts,
        },
    );
    let mut totals = Totals {
        rows: candidates.len(),
        blank_rows,
        ..Totals::default()
    };
    for c in &candidates {
        if c.rejected {
            totals.rejected += 1;
            match c.amount {
                Some(a) => totals.rejected_vnd += a,
                None => totals.rejected_without_amount += 1,
            }
        } else {
            totals.accepted += 1;
            totals.accepted_vnd += c.amount.unwrap_or(0);
            if c.diagnostics
                .iter()
                .any(|d| config.severity(d.code) == Severity::Warn)
            {
                totals.warned += 1;
            }
        }
    }
    let created = clock::now().map_err(RunError::Clock)?;
    Ok(BatchResult {
        table,
        candidates,
        batches,
        totals,
        period,
        batch_id,
        config: config.clone(),
        created,
    })
}

/// Writes the batch into `out` atomically and returns its manifest.
pub fn write(result: &BatchResult, out: &Path) -> Result<(Manifest, PathBuf), RunError> {
    let staging = Staging::new(out)?;
    let config = &result.config;
    let header = MessageHeader {
        created: result.created,
        initiating_party: config.office.name.clone(),
        debtor_name: config.debtor.name.clone(),
        debtor_account: config.debtor.account.clone(),
        debtor_agent_bic: config.debtor.agent_bic.clone(),
        debtor_agent_name: config.debtor.agent_name.clone(),
        execution_date: config.execution_date(result.period),
        batch_booking: config.payment.batch_booking,
    };
    // Bank files are independent: write them in parallel.
    let bank_files: Vec<FileEntry> = result
        .batches
        .par_iter()
        .map(|b| {
            let path = format!("banks/{}", b.file_name());
            let written = staging.write_file(&path, |w| pain001::write(w, b, &header))?;
            Ok(FileEntry {
                path,
                kind: "pain.001",
                sha256: written.sha256,
                bytes: written.bytes,
                bank_bin: Some(b.bank.bin.clone()),
                message_id: Some(b.message_id.clone()),
                transactions: Some(b.payments.len()),
                total_vnd: Some(b.total),
            })
        })
        .collect::<Result<_, PublishError>>()?;
    let mut files = bank_files;
    type Writer = fn(&mut dyn std::io::Write, &BatchResult) -> std::io::Result<()>;
    let reports: [(&str, &'static str, Writer); 3] = [
        ("accepted.csv", "accepted", listings::write_accepted),
        ("rejected.csv", "rejected", listings::write_rejected),
        (
            "reconciliation.csv",
            "reconciliation",
            reconciliation::write,
        ),
    ];
    for (path, kind, fill) in reports {
        let written = staging.write_file(path, |w| fill(w, result))?;
        files.push(FileEntry {
            path: path.to_owned(),
            kind,
            sha256: written.sha256,
            bytes: written.bytes,
            bank_bin: None,
            message_id: None,
            transactions: None,
            total_vnd: None,
        });
    }
    let table = &result.table;
    let manifest = Manifest {
        format: 1,
        generator: format!("disburse {}", env!("CARGO_PKG_VERSION")),
        batch_id: result.batch_id.clone(),
        period: result.period.to_string(),
        office: config.office.code.clone(),
        created: result.created.to_rfc3339(),
        execution_date: header.execution_date.to_string(),
        input: InputInfo {
            file: table.file_name.clone(),
            sha256: table.sha256.clone(),
            rows: result.totals.rows,
            format: table.format.kind,
            encoding: table.format.encoding,
            delimiter: table.format.delimiter.to_string(),
            header_row: table.header_row,
        },
        totals: result.totals.clone(),
        files,
    };
    staging.write_file("manifest.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        w.write_all(b"\n")
    })?;
    let published = staging.publish()?;
    Ok((manifest, published))
}
