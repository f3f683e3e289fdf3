//! One file per subcommand: each turns parsed arguments into library calls
//! and output for people. Only this module and `main.rs` print.

pub mod generate;
pub mod ledger;
pub mod reissue;
pub mod returns;
pub mod run;
pub mod status;
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

    /// A command-line usage error (exit 2).
    pub fn usage(message: impl Into<String>, hint: &str) -> Failure {
        Failure {
            exit: 2,
            error: anyhow::anyhow!(message.into()),
            hint: Some(hint.to_owned()),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit)
    }
}

/// The ledger named on the command line or in the configuration.
pub fn ledger_path(
    arg: Option<&std::path::Path>,
    settings: &crate::batch::RunSettings,
) -> Result<std::path::PathBuf, Failure> {
    arg.map(ToOwned::to_owned)
        .or_else(|| settings.config.ledger.clone())
        .ok_or_else(|| {
            Failure::usage(
                "this command needs the payment ledger",
                "pass --ledger FILE, set DISBURSE_LEDGER, or name it as `ledger` in the configuration",
            )
        })
}

/// Opens an existing ledger (a command that reads answers or statuses must
/// not create an empty one by a typo in the path).
pub fn open_existing_ledger(path: &std::path::Path) -> Result<crate::ledger::Ledger, Failure> {
    if !path.exists() {
        return Err(Failure {
            exit: 7,
            error: anyhow::anyhow!("ledger `{}` does not exist", path.display()),
            hint: Some(
                "name the ledger the batches were recorded in (--ledger, DISBURSE_LEDGER)"
                    .to_owned(),
            ),
        });
    }
    crate::ledger::Ledger::open(path).map_err(|e| RunError::from(e).into())
}

/// Prints to stdout, treating a closed pipe as done.
pub fn print(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::internal(e)),
        _ => Ok(()),
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
