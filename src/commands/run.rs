//! `disburse run`: one list to one batch directory, with a summary for the
//! person who ran it.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::batch;
use crate::cells::format_vnd;
use crate::cli::{Lang, RunArgs};
use crate::commands::Failure;
use crate::ledger::Ledger;
use crate::settings::{Progress, RunSettings};
use crate::write::manifest::{Manifest, Totals};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs above this size show a progress spinner (about 70,000 rows, a
/// second's work).
const PROGRESS_BYTES: u64 = 8 << 20;

/// A spinner on stderr naming the stage, for large inputs on a terminal
/// (indicatif draws nothing when stderr is not one).
fn spinner(input: &Path, quiet: bool, lang: Lang) -> Option<ProgressBar> {
    let large = std::fs::metadata(input).is_ok_and(|m| m.len() > PROGRESS_BYTES);
    if quiet || !large {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar.set_message(stage_name("reading", lang));
    Some(bar)
}

fn stage_name(stage: &str, lang: Lang) -> &'static str {
    match (stage, lang) {
        ("reading", Lang::En) => "reading the list",
        ("reading", Lang::Vi) => "đang đọc danh sách",
        ("checking", Lang::En) => "checking every row",
        ("checking", Lang::Vi) => "đang kiểm tra từng dòng",
        ("writing", Lang::En) => "writing the bank files and reports",
        ("writing", Lang::Vi) => "đang ghi tệp ngân hàng và báo cáo",
        ("recording", Lang::En) => "recording in the ledger",
        ("recording", Lang::Vi) => "đang ghi sổ cái",
        (_, Lang::En) => "working",
        (_, Lang::Vi) => "đang xử lý",
    }
}

/// Runs the command.
pub fn run(args: &RunArgs, quiet: bool, lang: Lang) -> Result<(), Failure> {
    crate::write::publish::check_target(&args.out)?;
    let mut settings = RunSettings::load(args.config.as_deref(), args.period)?;
    settings.read.sheet = args.sheet.clone();
    settings.read.encoding = args.encoding;
    settings.strict_totals = args.strict_totals;
    let bar = spinner(&args.input, quiet || args.json, lang);
    if let Some(bar) = &bar {
        let bar = bar.clone();
        settings.progress = Progress::new(move |stage| bar.set_message(stage_name(stage, lang)));
    }
    let result = execute(args, &settings, quiet);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (manifest, out) = result?;
    let mut stdout = std::io::stdout().lock();
    let printed = if args.json {
        serde_json::to_writer_pretty(&mut stdout, &JsonSummary::new(&manifest, &out))
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n"))
    } else if quiet {
        Ok(())
    } else {
        write_summary(&mut stdout, &manifest, &out, lang)
    };
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::internal(e)),
        _ => Ok(()),
    }
}

/// Makes the batch, with the ledger when there is one.
fn execute(
    args: &RunArgs,
    settings: &RunSettings,
    quiet: bool,
) -> Result<(Manifest, std::path::PathBuf), Failure> {
    let ledger_path = args
        .ledger
        .clone()
        .or_else(|| settings.config.ledger.clone());
    let (manifest, out) = match &ledger_path {
        Some(path) => {
            let mut ledger = Ledger::open(path)?;
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
                settings,
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
            let result = batch::prepare(&args.input, settings)?;
            settings.progress.stage("writing");
            let written = batch::write(&result, &args.out)?;
            // The process ends once the summary is printed: handing a
            // million rows back to the allocator one by one would only
            // delay it.
            std::mem::forget(result);
            if !quiet {
                eprintln!(
                    "warning: no ledger: this batch was not checked against earlier payments \
                     (pass --ledger FILE)"
                );
            }
            written
        }
    };
    Ok((manifest, out))
}

/// The summary printed by `--json`.
#[derive(Serialize)]
struct JsonSummary<'a> {
    batch_id: &'a str,
    period: &'a str,
    out: String,
    totals: &'a Totals,
    banks: Vec<JsonBank<'a>>,
    approval: &'a crate::write::manifest::ApprovalRequirement,
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
                .filter(|f| f.is_bank_file())
                .map(|f| JsonBank {
                    bank_bin: f.bank_bin.as_deref().unwrap_or(""),
                    file: &f.path,
                    transactions: f.transactions.unwrap_or(0),
                    total_vnd: f.total_vnd.unwrap_or(0),
                })
                .collect(),
            approval: &m.approval,
        }
    }
}

/// The words of the summary in one language.
struct Words {
    header: fn(&str, &str, &str) -> String,
    input: &'static str,
    sheet: &'static str,
    rows: &'static str,
    accepted: &'static str,
    rejected: &'static str,
    declared: &'static str,
    warnings: fn(usize) -> String,
    see_rejected: &'static str,
    adds_up: &'static str,
    mismatch: fn(&str, &str, &str) -> String,
    unreadable: fn(usize) -> String,
    bank_file: &'static str,
    payments: &'static str,
    amount: &'static str,
    report: &'static str,
    open_report: &'static str,
    /// The changes since `from`: new, stopped, accounts changed, the rest.
    changes: fn(from: &str, [usize; 4]) -> String,
    /// The approval the batch needs: none, or the roles' names.
    approval: fn(Option<&str>) -> String,
    /// The label of a notice.
    notice: &'static str,
}

const EN: Words = Words {
    header: |batch, period, out| format!("batch {batch} for {period} written to {out}"),
    input: "input",
    sheet: "sheet",
    rows: "rows",
    accepted: "accepted",
    rejected: "rejected",
    declared: "declared",
    warnings: |n| format!("  {n} with warnings to review"),
    see_rejected: "  see rejected.csv",
    changes: |from, [new, stopped, accounts, other]| {
        format!(
            "  changes   since {from}: {new} new, {stopped} stopped, {accounts} accounts changed, {other} other changes  see changes.csv"
        )
    },
    adds_up: "the rows add up to the list's total",
    mismatch: |rows, declared, diff| {
        format!(
            "the rows add up to {rows} đ but the list declares {declared} đ: difference {diff} đ"
        )
    },
    unreadable: |n| format!(" ({n} rejected rows have no readable amount)"),
    approval: |roles| {
        match roles {
        None => "  approval  none needed (no approvers configured): the bank files may be sent as written".to_owned(),
        Some(roles) => format!(
            "  approval  awaiting {roles} (disburse approve); send nothing until `disburse release`"
        ),
    }
    },
    notice: "warning",
    bank_file: "bank file",
    payments: "payments",
    amount: "amount",
    report: "review",
    open_report: "open in a browser to review and print",
};

const VI: Words = Words {
    header: |batch, period, out| format!("lô {batch} tháng {period} đã ghi vào {out}"),
    input: "danh sách",
    sheet: "trang tính",
    rows: "dòng",
    accepted: "chấp nhận",
    rejected: "từ chối",
    declared: "tổng cộng",
    warnings: |n| format!("  {n} dòng cần xem lại"),
    see_rejected: "  xem rejected.csv",
    changes: |from, [new, stopped, accounts, other]| {
        format!(
            "  thay đổi  so với {from}: {new} mới, {stopped} thôi hưởng, {accounts} đổi tài khoản, {other} thay đổi khác  xem changes.csv"
        )
    },
    adds_up: "khớp với dòng Tổng cộng của danh sách",
    mismatch: |rows, declared, diff| {
        format!("các dòng cộng lại {rows} đ nhưng danh sách ghi {declared} đ: chênh lệch {diff} đ")
    },
    unreadable: |n| format!(" ({n} dòng bị từ chối không đọc được số tiền)"),
    approval: |roles| {
        match roles {
        None => "  phê duyệt không cần (chưa cấu hình người ký): có thể gửi các tệp ngân hàng như đã lập".to_owned(),
        Some(roles) => format!(
            "  phê duyệt chờ {roles} ký (disburse approve); chưa gửi gì cho ngân hàng trước `disburse release`"
        ),
    }
    },
    notice: "lưu ý",
    bank_file: "tệp ngân hàng",
    payments: "số món",
    amount: "số tiền",
    report: "xem duyệt",
    open_report: "mở bằng trình duyệt để xem và in",
};

/// The summary for people.
fn write_summary(w: &mut dyn Write, m: &Manifest, out: &Path, lang: Lang) -> std::io::Result<()> {
    let words = match lang {
        Lang::En => &EN,
        Lang::Vi => &VI,
    };
    let t = &m.totals;
    writeln!(
        w,
        "{}",
        (words.header)(&m.batch_id, &m.period, &out.display().to_string())
    )?;
    let sheet = m
        .input
        .sheet
        .as_ref()
        .map(|s| format!(", {} `{s}`", words.sheet))
        .unwrap_or_default();
    writeln!(
        w,
        "  {:<9} {}{sheet} ({} {}, sha256 {})",
        words.input,
        m.input.file,
        t.rows,
        words.rows,
        &m.input.sha256[..16]
    )?;
    let warned = if t.warned > 0 {
        (words.warnings)(t.warned)
    } else {
        String::new()
    };
    writeln!(
        w,
        "  {:<9} {:>7} {:<4} {:>17} đ{warned}",
        words.accepted,
        t.accepted,
        words.rows,
        format_vnd(t.accepted_vnd)
    )?;
    let see = if t.rejected > 0 {
        words.see_rejected
    } else {
        ""
    };
    writeln!(
        w,
        "  {:<9} {:>7} {:<4} {:>17} đ{see}",
        words.rejected,
        t.rejected,
        words.rows,
        format_vnd(t.rejected_vnd)
    )?;
    write_declared(w, m, words)?;
    if let Some(changes) = &m.changes {
        let n = |k: &str| changes.counts.get(k).copied().unwrap_or(0);
        use crate::changes::Change;
        let named = [Change::New, Change::Stopped, Change::AccountChanged].map(Change::as_str);
        let other = changes
            .counts
            .iter()
            .filter(|(k, _)| !named.contains(k))
            .map(|(_, n)| n)
            .sum();
        let counts = [n(named[0]), n(named[1]), n(named[2]), other];
        writeln!(w, "{}", (words.changes)(&changes.from, counts))?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "  {:<40} {:>8} {:>19}",
        words.bank_file, words.payments, words.amount
    )?;
    for f in m.files.iter().filter(|f| f.is_bank_file()) {
        let amount = format!("{} đ", format_vnd(f.total_vnd.unwrap_or(0)));
        writeln!(
            w,
            "  {:<40} {:>8} {:>19}",
            f.path,
            f.transactions.unwrap_or(0),
            amount
        )?;
    }
    writeln!(w)?;
    for n in &m.notices {
        let text = match lang {
            Lang::En => &n.message,
            Lang::Vi => &n.message_vi,
        };
        writeln!(w, "  {:<9} {text}", words.notice)?;
    }
    let required = &m.approval.required;
    let names =
        (!required.is_empty()).then(|| crate::approval::page::labels(required, lang == Lang::En));
    writeln!(w, "{}", (words.approval)(names.as_deref()))?;
    writeln!(
        w,
        "  {:<9} {} ({})",
        words.report,
        out.join("report.html").display(),
        words.open_report
    )?;
    Ok(())
}

/// The list's declared total, and whether the rows add up to it.
fn write_declared(w: &mut dyn Write, m: &Manifest, words: &Words) -> std::io::Result<()> {
    let t = &m.totals;
    if let (Some(declared), Some(adds_up)) = (t.declared_vnd, t.adds_up()) {
        if adds_up {
            writeln!(
                w,
                "  {:<9} {:>7} {:<4} {:>17} đ  {}",
                words.declared,
                "",
                "",
                format_vnd(declared),
                words.adds_up
            )?;
        } else {
            let unreadable = if t.rejected_without_amount > 0 {
                (words.unreadable)(t.rejected_without_amount)
            } else {
                String::new()
            };
            writeln!(
                w,
                "  WARNING   {}{unreadable}",
                (words.mismatch)(
                    &format_vnd(t.rows_vnd()),
                    &format_vnd(declared),
                    &format_vnd(t.rows_vnd() - declared)
                ),
            )?;
        }
    }
    Ok(())
}
