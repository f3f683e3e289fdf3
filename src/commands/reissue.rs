//! `disburse reissue`: a month's failed payments as a list to correct.

use crate::cells::format_vnd;
use crate::cli::ReissueArgs;
use crate::commands::{Failure, ledger_path, open_existing_ledger};
use crate::exit::Exit;
use crate::returns::reissue::{reissue_list, write_csv, write_xlsx};
use crate::settings::RunSettings;

/// Runs the command.
pub fn run(args: &ReissueArgs, quiet: bool) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let path = ledger_path(args.ledger.as_deref(), &settings)?;
    let ledger = open_existing_ledger(&path)?;
    let period = args.period.to_string();
    let list = reissue_list(&ledger, &settings.reference, &period)?;
    let cannot_write = |e: std::io::Error| {
        Failure::new(
            Exit::Output,
            anyhow::anyhow!("cannot write `{}`: {e}", args.out.display()),
            None,
        )
    };
    // Written beside the target and renamed, so that a half list never
    // lies where officers look; an existing list is never overwritten.
    let parent = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&parent).map_err(cannot_write)?;
    {
        let mut w = std::io::BufWriter::new(file.as_file_mut());
        let xlsx = args
            .out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            write_xlsx(&mut w, &settings.reference, &list).map_err(cannot_write)?;
        } else {
            write_csv(&mut w, &settings.reference, &list).map_err(cannot_write)?;
        }
        std::io::Write::flush(&mut w).map_err(cannot_write)?;
    }
    file.as_file().sync_all().map_err(cannot_write)?;
    file.persist_noclobber(&args.out)
        .map_err(|e| cannot_write(e.error))?;
    if !quiet {
        let amount: i64 = list.rows.iter().map(|(p, _)| p.amount_vnd).sum();
        eprintln!(
            "{} failed payment(s) of {period} to re-issue ({} đ) listed in {}",
            list.rows.len(),
            format_vnd(amount),
            args.out.display()
        );
        eprintln!(
            "correct each row (the reason and what to do are in the last columns), then run the list again with the same ledger"
        );
        for (p, s) in &list.withheld {
            let reason = settings.reference.reasons.meaning(&s.reason_code).1;
            eprintln!(
                "not re-issued: row {} of batch {} ({}), {} {}: {reason}",
                p.row, p.batch_id, p.name, s.status, s.reason_code
            );
        }
    }
    Ok(())
}
