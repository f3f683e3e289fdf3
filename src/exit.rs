//! The exit codes of every command, in one place: the `--help` table and
//! README's are made from (and tested against) this list, and every
//! library error maps to one of them (`commands::Failure`).

use std::process::ExitCode;

/// What a command's exit code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Done; rows may have been rejected.
    Done = 0,
    /// A bug: something that should not happen did.
    Internal = 1,
    /// The command line is wrong.
    Usage = 2,
    /// The input file cannot be used; nothing is written.
    Input = 3,
    /// The configuration or a reference table is invalid.
    Config = 4,
    /// The output cannot be written, or another watcher holds the folder.
    Output = 5,
    /// The same file was already made into a batch.
    AlreadyProcessed = 6,
    /// The ledger cannot be used, or `ledger verify` found a problem.
    Ledger = 7,
    /// `--strict-totals`: the rows do not add up to the list's totals row.
    DeclaredTotal = 8,
    /// The batch is not approved, or a file or a signature does not verify.
    NotApproved = 9,
    /// The key may not sign this batch.
    Signer = 10,
}

impl Exit {
    /// Every exit code, in order.
    pub const ALL: [Exit; 11] = [
        Exit::Done,
        Exit::Internal,
        Exit::Usage,
        Exit::Input,
        Exit::Config,
        Exit::Output,
        Exit::AlreadyProcessed,
        Exit::Ledger,
        Exit::DeclaredTotal,
        Exit::NotApproved,
        Exit::Signer,
    ];

    /// The number.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// What it means, as `--help` and README say it.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Done => "done (rows may have been rejected: see `rejected.csv`)",
            Exit::Internal => "internal error",
            Exit::Usage => "command-line usage error",
            Exit::Input => {
                "the input file cannot be used (format, header, required column); nothing is written"
            }
            Exit::Config => "the configuration or a reference table is invalid",
            Exit::Output => {
                "the output cannot be written (directory not empty, disk error), or another watcher holds the folder"
            }
            Exit::AlreadyProcessed => "refused: the same file was already made into a batch",
            Exit::Ledger => "the ledger cannot be used, or `ledger verify` found a problem",
            Exit::DeclaredTotal => {
                "refused (`--strict-totals`): the rows do not add up to the list's totals row"
            }
            Exit::NotApproved => {
                "refused: the batch is not approved, or a file or signature does not verify (`approve`, `release`, `verify`)"
            }
            Exit::Signer => {
                "refused: this key may not sign the batch (not a configured approver's, wrong passphrase, role already signed, key already signed another role)"
            }
        }
    }

    /// The table shown at the end of `--help`.
    pub fn help() -> String {
        let mut text = String::from("Exit codes:");
        for exit in Exit::ALL {
            text.push_str(&format!("\n  {}  {}", exit.code(), exit.meaning()));
        }
        text
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_are_their_positions_and_each_says_what_it_means() {
        for (i, exit) in Exit::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(exit.code()), i);
            assert!(Exit::help().contains(&format!("  {i}  {}", exit.meaning())));
        }
    }
}
