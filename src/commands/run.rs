//! `disburse run`: one list to one batch directory, with a summary for the
//! person who ran it.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::batch::{self, RunSettings};
use crate::cells::format_vnd;
use crate::cli::RunArgs;
use crate::commands::Failure;
use crate::ledger::Ledger;
use crate::write::manifest::{Manifest, Totals};

/// Runs the command.
pub fn run(args: &RunArgs, quiet: bool) -> Result<(), Failure> {
    crate::write::publish::check_target(&args.out).map_err(batch::RunError::from)?;
    let mut settings = RunSettings::load(args.config.as_deref(), args.period)?;
    settings.read.sheet = args.sheet.clone();
    settings.read.encoding = args.encoding;
    settings.strict_totals = args.strict_totals;
    let ledger_path = args
        .ledger
        .clone()
        .or_else(|| settings.config.ledger.clone());
    let (manifest, out) = match &ledger_path {
        Some(path) => {
            let mut ledger = Ledger::open(path).map_err(batch::RunError::from)?;
            let out = args.out.clone();
            let source = args.input.display().to_string();
            let name = args
                .input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match batch::run_recorded(
                &args.input,
                &name,
                &|_| out.clone(),
                &settings,
                &mut ledger,
                &source,
            ) {
                Ok(recorded) => (recorded.manifest, recorded.out),
                Err(e) => {
                    batch::record_refusal(&mut ledger, &args.input, &name, &e);
                    return Err(e.into());
                }
            }
        }
        None => {
            let result = batch::prepare(&args.input, &settings)?;
            let written = batch::write(&result, &args.out)?;
            if !quiet {
                eprintln!(
                    "warning: no ledger: this batch was not checked against earlier payments \
                     (pass --ledger FILE)"
                );
            }
            written
        }
    };
    let mut stdout = std::io::stdout().lock();
    let printed = if args.json {
        serde_json::to_writer_pretty(&mut stdout, &JsonSummary::new(&manifest, &out))
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n"))
    } else if quiet {
        Ok(())
    } else {
        write_summary(&mut stdout, &manifest, &out)
    };
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::internal(e)),
        _ => Ok(()),
    }
}

/// The summary printed by `--json`.
#[derive(Serialize)]
struct JsonSummary<'a> {
    batch_id: &'a str,
    period: &'a str,
    out: String,
    totals: &'a Totals,
    banks: Vec<JsonBank<'a>>,
}

#[derive(Serialize)]
struct JsonBank<'a> {
    bank_bin: &'a str,
    file: &'a str,
    transactions: usize,
    total_vnd: i64,
}

impl<'a> JsonSummary<'a> {
    fn new(m: &'a Manifest, out: &Path) -> Self {
        JsonSummary {
            batch_id: &m.batch_id,
            period: &m.period,
            out: out.display().to_string(),
            totals: &m.totals,
            banks: m
                .files
                .iter()
                .filter(|f| f.kind == "pain.001")
                .map(|f| JsonBank {
                    bank_bin: f.bank_bin.as_deref().unwrap_or(""),
                    file: &f.path,
                    transactions: f.transactions.unwrap_or(0),
                    total_vnd: f.total_vnd.unwrap_or(0),
                })
                .collect(),
        }
    }
}

/// The summary for people.
fn write_summary(w: &mut dyn Write, m: &Manifest, out: &Path) -> std::io::Result<()> {
    let t = &m.totals;
    writeln!(
        w,
        "batch {} for {} written to {}",
        m.batch_id,
        m.period,
        out.display()
    )?;
    writeln!(
        w,
        "  input     {} ({} rows, sha256 {})",
        m.input.file,
        t.rows,
        &m.input.sha256[..16]
    )?;
    let warned = if t.warned > 0 {
        format!("  {} with warnings to review", t.warned)
    } else {
        String::new()
    };
    writeln!(
        w,
        "  accepted  {:>7} rows  {:>17} đ{warned}",
        t.accepted,
        format_vnd(t.accepted_vnd)
    )?;
    let see = if t.rejected > 0 {
        "  see rejected.csv"
    } else {
        ""
    };
    writeln!(
        w,
        "  rejected  {:>7} rows  {:>17} đ{see}",
        t.rejected,
        format_vnd(t.rejected_vnd)
    )?;
    if let (Some(declared), Some(adds_up)) = (t.declared_vnd, t.adds_up()) {
        if adds_up {
            let amount = format_vnd(declared);
            writeln!(
                w,
                "  declared  {:>7}       {amount:>17} đ  the rows add up to the list's total",
                ""
            )?;
        } else {
            let unreadable = if t.rejected_without_amount > 0 {
                format!(
                    " ({} rejected rows have no readable amount)",
                    t.rejected_without_amount
                )
            } else {
                String::new()
            };
            writeln!(
                w,
                "  WARNING   the rows add up to {} đ but the list declares {} đ: difference {} đ{unreadable}",
                format_vnd(t.rows_vnd()),
                format_vnd(declared),
                format_vnd(t.rows_vnd() - declared),
            )?;
        }
    }
    writeln!(w)?;
    writeln!(
        w,
        "  {:<40} {:>8} {:>19}",
        "bank file", "payments", "amount"
    )?;
    for f in m.files.iter().filter(|f| f.kind == "pain.001") {
        let amount = format!("{} đ", format_vnd(f.total_vnd.unwrap_or(0)));
        writeln!(
            w,
            "  {:<40} {:>8} {:>19}",
            f.path,
            f.transactions.unwrap_or(0),
            amount
        )?;
    }
    Ok(())
}
