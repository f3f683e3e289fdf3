//! One file per subcommand: each turns parsed arguments into library calls
//! and output for people. Only this module and `main.rs` print.

pub mod approval;
pub mod diff;
pub mod generate;
pub mod ledger;
pub mod reissue;
pub mod returns;
pub mod run;
pub mod status;
pub mod watch;

use crate::batch::RunError;
use crate::exit::Exit;
use crate::ingest::IngestError;
use crate::ledger::LedgerError;
use crate::returns::ReturnsError;
use crate::settings::SettingsError;
use crate::write::PublishError;

/// A command that failed: what to say and which exit code to give.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// The error and its causes.
    pub error: anyhow::Error,
    /// How to fix it, when known.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure with this exit code.
    pub fn new(exit: Exit, error: impl Into<anyhow::Error>, hint: Option<String>) -> Failure {
        Failure {
            exit,
            error: error.into(),
            hint,
        }
    }

    /// An internal error.
    pub fn internal(error: impl Into<anyhow::Error>) -> Failure {
        Failure::new(Exit::Internal, error, None)
    }

    /// A command-line usage error.
    pub fn usage(message: impl Into<String>, hint: &str) -> Failure {
        Failure::new(
            Exit::Usage,
            anyhow::anyhow!(message.into()),
            Some(hint.to_owned()),
        )
    }
}

/// The ledger named on the command line or in the configuration.
pub fn ledger_path(
    arg: Option<&std::path::Path>,
    settings: &crate::settings::RunSettings,
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
        return Err(Failure::new(
            Exit::Ledger,
            anyhow::anyhow!("ledger `{}` does not exist", path.display()),
            Some(
                "name the ledger the batches were recorded in (--ledger, DISBURSE_LEDGER)"
                    .to_owned(),
            ),
        ));
    }
    Ok(crate::ledger::Ledger::open(path)?)
}

/// Writes a file the way every output is written: beside its target under
/// a temporary name, synced, then renamed into place, so that a half file
/// never lies where officers look (a full disk leaves nothing); an existing
/// file is never overwritten.
pub fn write_new_file(
    path: &std::path::Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let cannot_write = |e: std::io::Error| {
        Failure::new(
            Exit::Output,
            anyhow::anyhow!("cannot write `{}`: {e}", path.display()),
            None,
        )
    };
    if path.exists() {
        return Err(Failure::new(
            Exit::Output,
            anyhow::anyhow!("`{}` already exists", path.display()),
            Some("name a new file: an earlier one is never overwritten".to_owned()),
        ));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&parent).map_err(cannot_write)?;
    {
        let mut w = std::io::BufWriter::new(file.as_file_mut());
        fill(&mut w).map_err(cannot_write)?;
        std::io::Write::flush(&mut w).map_err(cannot_write)?;
    }
    file.as_file().sync_all().map_err(cannot_write)?;
    file.persist_noclobber(path)
        .map_err(|e| cannot_write(e.error))?;
    Ok(())
}

/// Whether a write failed only because the reader went away (`| head`):
/// that ends the output, it is not an error.
pub fn is_closed_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
        || e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<csv::Error>())
            .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Prints to stdout, treating a closed pipe as done.
pub fn print(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if !is_closed_pipe(&e) => Err(Failure::internal(e)),
        _ => Ok(()),
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Failure {
        let exit = match &e {
            RunError::Ingest(_) | RunError::NoPeriod | RunError::TotalTooLarge { .. } => {
                Exit::Input
            }
            RunError::Config(_)
            | RunError::Reference(_)
            | RunError::Clock(_)
            | RunError::Route(_) => Exit::Config,
            RunError::Publish(_) => Exit::Output,
            RunError::AlreadyProcessed { .. } => Exit::AlreadyProcessed,
            RunError::Ledger(_) => Exit::Ledger,
            RunError::DeclaredTotal { .. } => Exit::DeclaredTotal,
        };
        let hint = e.hint();
        Failure::new(exit, e, hint)
    }
}

impl From<SettingsError> for Failure {
    fn from(e: SettingsError) -> Failure {
        Failure::new(Exit::Config, e, None)
    }
}

impl From<IngestError> for Failure {
    fn from(e: IngestError) -> Failure {
        let hint = e.hint();
        Failure::new(Exit::Input, e, hint)
    }
}

impl From<LedgerError> for Failure {
    fn from(e: LedgerError) -> Failure {
        Failure::new(Exit::Ledger, e, None)
    }
}

impl From<PublishError> for Failure {
    fn from(e: PublishError) -> Failure {
        let hint = e.hint().map(str::to_owned);
        Failure::new(Exit::Output, e, hint)
    }
}

impl From<ReturnsError> for Failure {
    fn from(e: ReturnsError) -> Failure {
        match e {
            ReturnsError::Ledger(e) => e.into(),
            ReturnsError::Publish(e) => e.into(),
        }
    }
}
