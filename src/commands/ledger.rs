//! `disburse ledger verify` and `disburse ledger export`.

use std::io::Write;

use crate::cli::LedgerCommand;
use crate::commands::{Failure, is_closed_pipe, write_new_file};
use crate::exit::Exit;
use crate::ledger::{Ledger, PaymentFilter, verify};
use crate::report::csv_safe::{write_record, writer};

/// The columns of `ledger export`.
const EXPORT_HEADER: [&str; 14] = [
    "end_to_end_id",
    "batch_id",
    "period",
    "payment_type",
    "beneficiary_key",
    "attempt",
    "bank_bin",
    "account_number",
    "amount_vnd",
    "row",
    "name",
    "status",
    "reason_code",
    "reason_text",
];

/// Runs the command.
pub fn run(command: &LedgerCommand, quiet: bool) -> Result<(), Failure> {
    match command {
        LedgerCommand::Verify(args) => {
            let ledger = Ledger::open(&args.ledger)?;
            let (problems, head) = verify(&ledger)?;
            if problems.is_empty() {
                if !quiet {
                    println!(
                        "ledger {} is intact: {} journal records, head {}",
                        args.ledger.display(),
                        head.records,
                        head.hash
                    );
                }
                return Ok(());
            }
            for p in &problems {
                eprintln!("problem: {p}");
            }
            Err(Failure::new(
                Exit::Ledger,
                anyhow::anyhow!(
                    "ledger `{}`: {} problem(s) found",
                    args.ledger.display(),
                    problems.len()
                ),
                Some(
                    "compare with the last verified head and the batch manifests before paying anything"
                        .to_owned(),
                ),
            ))
        }
        LedgerCommand::Export(args) => {
            let ledger = Ledger::open(&args.ledger.ledger)?;
            let payments = ledger.payments(PaymentFilter::Period(&args.period.to_string()))?;
            let export = |out: &mut dyn Write| -> std::io::Result<()> {
                let mut w = writer(out);
                write_record(&mut w, EXPORT_HEADER)?;
                for (p, s) in &payments {
                    write_record(
                        &mut w,
                        [
                            p.end_to_end_id.as_str(),
                            &p.batch_id,
                            &p.period,
                            &p.payment_type,
                            &p.beneficiary_key,
                            &p.attempt.to_string(),
                            &p.bank_bin,
                            &p.account,
                            &p.amount_vnd.to_string(),
                            &p.row.to_string(),
                            &p.name,
                            s.status.as_str(),
                            &s.reason_code,
                            &s.reason_text,
                        ],
                    )?;
                }
                w.flush()
            };
            match &args.out {
                Some(path) => write_new_file(path, export),
                None => match export(&mut std::io::stdout().lock()) {
                    Err(e) if !is_closed_pipe(&e) => Err(Failure::internal(e)),
                    _ => Ok(()),
                },
            }
        }
    }
}
