//! `disburse returns`: banks' answers into the ledger, reports for staff.

use serde::Serialize;

use crate::cli::{Lang, ReturnsArgs};
use crate::commands::{Failure, ledger_path, open_existing_ledger, print};
use crate::returns::{self, Change, FileOutcome, ReturnsRun, Tally};
use crate::settings::RunSettings;

/// Runs the command.
pub fn run(args: &ReturnsArgs, quiet: bool, lang: Lang) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let path = ledger_path(args.ledger.as_deref(), &settings)?;
    crate::write::publish::check_target(&args.out)?;
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
    )?;
    if args.json {
        let text = serde_json::to_string_pretty(&Json::new(&run)).map_err(Failure::internal)?;
        return print(&format!("{text}\n"));
    }
    if quiet {
        return Ok(());
    }
    print(&summary(&run, lang))
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
    /// Payments whose status changed now (none when read before).
    pub updated: usize,
    /// When read before: the payments it changed then, which the reports
    /// show.
    pub updated_when_first_read: Option<usize>,
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
        // An answer read again changes nothing now; its outcomes say what
        // it changed when it was first read.
        let then = f.read_before.is_some().then(|| count(Change::Updated));
        FileSummary {
            file: &f.file,
            kind: f.answer.as_ref().map(|(k, _)| k.message()),
            message_id: f.answer.as_ref().map(|(_, m)| m.as_str()),
            read_before: f.read_before.as_deref(),
            updated: if then.is_some() {
                0
            } else {
                count(Change::Updated)
            },
            updated_when_first_read: then,
            unchanged: count(Change::Unchanged) + then.unwrap_or(0),
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
pub fn summary(run: &ReturnsRun, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut out = String::new();
    for f in &run.files {
        out.push_str(&file_line(f, vi));
    }
    if !run.tallies.is_empty() {
        out.push_str(if vi {
            "\ncác lô liên quan, sau các phản hồi này:\n"
        } else {
            "\nthe batches these answers concern, now:\n"
        });
        out.push_str(&super::status::table(&run.tallies, lang));
    }
    let unmatched: usize = run.files.iter().map(|f| f.unmatched.len()).sum();
    if unmatched > 0 {
        out.push_str(&if vi {
            format!("\nCẢNH BÁO: {unmatched} nội dung không áp dụng được; xem unmatched.csv\n")
        } else {
            format!("\nWARNING: {unmatched} statement(s) could not be applied; see unmatched.csv\n")
        });
    }
    out.push_str(&if vi {
        format!(
            "\nbáo cáo trong {} (mở report.html để xem và in)\n",
            run.out.display()
        )
    } else {
        format!(
            "\nreports in {} (open report.html to review and print)\n",
            run.out.display()
        )
    });
    out
}

/// What one answer file did, on one line.
fn file_line(f: &FileOutcome, vi: bool) -> String {
    let s = FileSummary::new(f);
    let head = match (s.kind, s.message_id) {
        (Some(kind), Some(id)) => format!("{}: {kind} {id}", s.file),
        _ if vi => format!("{}: không đọc được", s.file),
        _ => format!("{}: not read", s.file),
    };
    let mut parts = Vec::new();
    if let Some(when) = s.read_before {
        let then = s.updated_when_first_read.unwrap_or(0);
        parts.push(match (vi, then) {
            (true, 0) => format!("đã đọc lúc {when}, khi đó và lần này đều không thay đổi gì"),
            (true, n) => format!(
                "đã đọc lúc {when}, lần này không thay đổi gì (khi đó đã cập nhật {n}; báo cáo ghi lại những thay đổi đó)"
            ),
            (false, 0) => format!("already read on {when}; it changed nothing then or now"),
            (false, n) => format!(
                "already read on {when}, nothing changed now ({n} updated then; the reports show those changes)"
            ),
        });
    }
    let words = if vi {
        [
            "cập nhật",
            "không đổi",
            "giữ nguyên (đã có trạng thái mới hơn)",
            "mâu thuẫn với sổ cái",
            "không áp dụng được (xem unmatched.csv)",
        ]
    } else {
        [
            "updated",
            "unchanged",
            "kept (a later status was already recorded)",
            "in conflict with the ledger",
            "not applied (see unmatched.csv)",
        ]
    };
    for (n, what) in [s.updated, s.unchanged, s.kept, s.conflicts, s.unmatched]
        .into_iter()
        .zip(words)
    {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if s.kind.is_none()
        && let Some(u) = f.unmatched.first()
    {
        parts.push(u.reason.clone());
    }
    if parts.is_empty() {
        parts.push(if vi {
            "không nói gì về khoản chi nào".to_owned()
        } else {
            "says nothing about any payment".to_owned()
        });
    }
    format!("{head}: {}\n", parts.join(", "))
}
