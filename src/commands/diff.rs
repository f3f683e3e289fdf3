//! `disburse diff`: the month-over-month comparison `run` makes, for any
//! two periods the ledger recorded.

use crate::changes::{Change, Changes};
use crate::cli::{DiffArgs, Lang};
use crate::commands::{Failure, ledger_path, open_existing_ledger, print, write_new_file};
use crate::exit::Exit;
use crate::settings::RunSettings;

/// Runs the command.
pub fn run(args: &DiffArgs, lang: Lang) -> Result<(), Failure> {
    if args.from >= args.to {
        return Err(Failure::usage(
            format!("`--from {}` is not before `--to {}`", args.from, args.to),
            "give the earlier month as --from and the later as --to",
        ));
    }
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let path = ledger_path(args.ledger.as_deref(), &settings)?;
    let ledger = open_existing_ledger(&path)?;
    let columns = &settings.reference.columns;
    let side = |period| -> Result<crate::ledger::RecordedSide, Failure> {
        ledger.recorded_side(period, columns)?.ok_or_else(|| {
            Failure::new(
                Exit::Ledger,
                anyhow::anyhow!(
                    "the ledger `{}` holds no monthly payments for {period}",
                    path.display()
                ),
                Some("`disburse status --ledger FILE` lists the months it holds".to_owned()),
            )
        })
    };
    let (earlier, later) = (side(args.from)?, side(args.to)?);
    let mut changes = crate::changes::compare(&earlier.side, &later.side, &settings.reference)
        .map_err(Failure::internal)?;
    changes.not_compared = earlier
        .not_compared
        .iter()
        .chain(&later.not_compared)
        .map(|(b, why)| {
            tracing::warn!("batch {b} not compared: {why}");
            b.clone()
        })
        .collect();
    if let Some(out) = &args.out {
        write(out, &changes)?;
    }
    if args.json {
        let text = serde_json::to_string_pretty(&changes).map_err(Failure::internal)?;
        return print(&format!("{text}\n"));
    }
    print(&table(&changes, lang, args.out.as_deref()))
}

/// Writes `changes.csv` into `out`, a new or empty directory, the way
/// every output is written ([`write_new_file`]).
fn write(out: &std::path::Path, changes: &Changes) -> Result<(), Failure> {
    let io = |e: std::io::Error| {
        Failure::new(
            Exit::Output,
            anyhow::anyhow!("cannot write `{}`: {e}", out.display()),
            None,
        )
    };
    if out.exists() && std::fs::read_dir(out).map_err(io)?.next().is_some() {
        return Err(Failure::usage(
            format!("`{}` is not empty", out.display()),
            "name a new directory with --out",
        ));
    }
    std::fs::create_dir_all(out).map_err(io)?;
    write_new_file(&out.join("changes.csv"), |w| {
        crate::changes::listing::write(w, changes)
    })
}

/// The counts per change, aligned.
fn table(changes: &Changes, lang: Lang, out: Option<&std::path::Path>) -> String {
    let vi = lang == Lang::Vi;
    let mut text = if vi {
        format!("thay đổi từ {} đến {}:\n", changes.from, changes.to)
    } else {
        format!("changes from {} to {}:\n", changes.from, changes.to)
    };
    for change in Change::ALL {
        let (title_vi, title_en) = change.title();
        let amount = match change {
            Change::New => format!("  {} đ", crate::cells::format_vnd(changes.new_vnd)),
            Change::Stopped => format!("  {} đ", crate::cells::format_vnd(changes.stopped_vnd)),
            _ => String::new(),
        };
        text.push_str(&format!(
            "  {:<20} {:>8}  {}{amount}\n",
            change.as_str(),
            changes.count(change),
            if vi { title_vi } else { title_en },
        ));
    }
    if let Some(out) = out {
        text.push_str(&format!(
            "  lines    {}\n",
            out.join("changes.csv").display()
        ));
    }
    text
}
