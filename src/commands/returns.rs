//! `disburse returns`: banks' answers into the ledger, reports for staff.

use serde::Serialize;

use crate::batch::{RunError, RunSettings};
use crate::cli::ReturnsArgs;
use crate::commands::{Failure, ledger_path, open_existing_ledger, print};
use crate::returns::{self, Change, FileOutcome, ReturnsError, ReturnsRun, Tally};

/// Runs the command.
pub fn run(args: &ReturnsArgs, quiet: bool) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let path = ledger_path(args.ledger.as_deref(), &settings)?;
    crate::write::publish::check_target(&args.out).map_err(RunError::from)?;
    let mut ledger = open_existing_ledger(&path)?;
    let inputs: Vec<(String, std::io::Result<Vec<u8>>)> = args
        .files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read(f)))
        .collect();
    let run = returns::process(
        &mut ledger,
        &settings.reference,
        &settings.config.office.name,
        &inputs,
        &args.out,
    )
    .map_err(|e| match e {
        ReturnsError::Ledger(e) => Failure::from(RunError::from(e)),
        ReturnsError::Publish(e) => Failure::from(RunError::from(e)),
    })?;
    if args.json {
        let text = serde_json::to_string_pretty(&Json::new(&run)).map_err(Failure::internal)?;
        return print(&format!("{text}\n"));
    }
    if quiet {
        return Ok(());
    }
    print(&summary(&run))
}

/// What one file did, for people and scripts.
#[derive(Debug, Serialize)]
pub struct FileSummary<'a> {
    /// The file.
    pub file: &'a str,
    /// `pain.002`, `camt.054` or `camt.053`; null when unreadable.
    pub kind: Option<&'static str>,
    /// Its `MsgId`.
    pub message_id: Option<&'a str>,
    /// When it was read before, if it was (then nothing changed).
    pub read_before: Option<&'a str>,
    /// Payments whose status changed.
    pub updated: usize,
    /// Payments that already had the status.
    pub unchanged: usize,
    /// Payments with a later status already.
    pub kept: usize,
    /// Payments the answer contradicts.
    pub conflicts: usize,
    /// Statements not applied.
    pub unmatched: usize,
}

impl<'a> FileSummary<'a> {
    fn new(f: &'a FileOutcome) -> Self {
        let count = |c: Change| f.outcomes.iter().filter(|o| o.change == c).count();
        FileSummary {
            file: &f.file,
            kind: f.answer.as_ref().map(|(k, _)| k.message()),
            message_id: f.answer.as_ref().map(|(_, m)| m.as_str()),
            read_before: f.read_before.as_deref(),
            updated: count(Change::Updated),
            unchanged: count(Change::Unchanged),
            kept: count(Change::Kept),
            conflicts: count(Change::Conflict),
            unmatched: f.unmatched.len(),
        }
    }
}

#[derive(Serialize)]
struct Json<'a> {
    files: Vec<FileSummary<'a>>,
    banks: &'a [Tally],
    total: Tally,
    out: String,
}

impl<'a> Json<'a> {
    fn new(run: &'a ReturnsRun) -> Self {
        Json {
            files: run.files.iter().map(FileSummary::new).collect(),
            banks: &run.tallies,
            total: returns::total(&run.tallies),
            out: run.out.display().to_string(),
        }
    }
}

/// The terminal summary.
pub fn summary(run: &ReturnsRun) -> String {
    let mut out = String::new();
    for f in &run.files {
        let s = FileSummary::new(f);
        let head = match (s.kind, s.message_id) {
            (Some(kind), Some(id)) => format!("{}: {kind} {id}", s.file),
            _ => format!("{}: not read", s.file),
        };
        let mut parts = Vec::new();
        if let Some(when) = s.read_before {
            parts.push(format!("already read on {when}, nothing changed"));
        }
        for (n, what) in [
            (s.updated, "updated"),
            (s.unchanged, "unchanged"),
            (s.kept, "kept (a later status was already recorded)"),
            (s.conflicts, "in conflict with the ledger"),
            (s.unmatched, "not applied (see unmatched.csv)"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        if s.kind.is_none()
            && let Some(u) = f.unmatched.first()
        {
            parts.push(u.reason.clone());
        }
        out.push_str(&format!("{head}: {}\n", parts.join(", ")));
    }
    if !run.tallies.is_empty() {
        out.push_str("\nthe batches these answers concern, now:\n");
        out.push_str(&super::status::table(&run.tallies));
    }
    let unmatched: usize = run.files.iter().map(|f| f.unmatched.len()).sum();
    if unmatched > 0 {
        out.push_str(&format!(
            "\nWARNING: {unmatched} statement(s) could not be applied; see unmatched.csv\n"
        ));
    }
    out.push_str(&format!("\nreports in {}\n", run.out.display()));
    out
}
