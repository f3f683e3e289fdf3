//! `disburse reissue`: a month's failed payments as a list to correct.

use crate::cells::format_vnd;
use crate::cli::ReissueArgs;
use crate::commands::{Failure, ledger_path, open_existing_ledger, write_new_file};
use crate::returns::reissue::{reissue_list, write_csv, write_xlsx};
use crate::settings::RunSettings;

/// Runs the command.
pub fn run(args: &ReissueArgs, quiet: bool) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let path = ledger_path(args.ledger.as_deref(), &settings)?;
    let ledger = open_existing_ledger(&path)?;
    let period = args.period.to_string();
    let list = reissue_list(&ledger, &settings.reference, &period)?;
    let xlsx = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    write_new_file(&args.out, |w| {
        if xlsx {
            write_xlsx(w, &settings.reference, &list)
        } else {
            write_csv(w, &settings.reference, &list)
        }
    })?;
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
