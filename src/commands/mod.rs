//! One file per subcommand: each turns parsed arguments into library calls
//! and output for people. Only this module and `main.rs` print.

pub mod generate;
pub mod ledger;
pub mod run;
pub mod watch;

use std::process::ExitCode;

use crate::batch::RunError;

/// A command that failed: what to say and which exit code to give.
#[derive(Debug)]
pub struct Failure {
    /// The exit code (see `cli::EXIT_CODES`).
    pub exit: u8,
    /// The error and its causes.
    pub error: anyhow::Error,
    /// How to fix it, when known.
    pub hint: Option<String>,
}

impl Failure {
    /// An internal error (exit 1).
    pub fn internal(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            exit: 1,
            error: error.into(),
            hint: None,
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit)
    }
}

impl Failure {
    /// The hint a run error gets, for reports written to files.
    pub fn from_run_error_hint(e: &RunError) -> Option<String> {
        let (_, hint) = Failure::classify(e);
        hint
    }

    fn classify(e: &RunError) -> (u8, Option<String>) {
        let (exit, hint) = match e {
            RunError::Ingest(i) => (3, i.hint()),
            RunError::NoPeriod => (
                3,
                Some("pass --period YYYY-MM, or write the month in the title (THÁNG 07/2024) or the file name".to_owned()),
            ),
            RunError::Config(_) | RunError::Reference(_) | RunError::Clock(_) => (4, None),
            RunError::Publish(crate::write::PublishError::NotEmpty(_)) => (
                5,
                Some("choose a new directory: a batch is never written over another".to_owned()),
            ),
            RunError::Publish(_) => (5, None),
            RunError::AlreadyProcessed { .. } => (
                6,
                Some("nothing was paid again; to correct a batch, send a supplementary list of the changed rows".to_owned()),
            ),
            RunError::Ledger(_) => (7, None),
            RunError::DeclaredTotal { .. } => (
                8,
                Some("correct the rows or the totals row with the office, or run without --strict-totals to review it".to_owned()),
            ),
        };
        (exit, hint)
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Failure {
        let (exit, hint) = Failure::classify(&e);
        Failure {
            exit,
            error: e.into(),
            hint,
        }
    }
}
