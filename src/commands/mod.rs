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

impl From<RunError> for Failure {
    fn from(e: RunError) -> Failure {
        let exit = match &e {
            RunError::Ingest(_) | RunError::NoPeriod => 3,
            RunError::Config(_) | RunError::Reference(_) | RunError::Clock(_) => 4,
            RunError::Publish(_) => 5,
            RunError::AlreadyProcessed { .. } => 6,
            RunError::Ledger(_) => 7,
            RunError::DeclaredTotal { .. } => 8,
        };
        let hint = e.hint();
        Failure {
            exit,
            error: e.into(),
            hint,
        }
    }
}
