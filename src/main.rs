//! The `disburse` binary: parses the command line, runs a command, maps the
//! outcome to an exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use disburse::cli::{Cli, Command};
use disburse::commands::{self, Failure};

// Validation and routing make millions of short-lived strings at national
// scale; mimalloc handles that far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = if cli.quiet { "error" } else { "warn" };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DISBURSE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .init();
    let result = match &cli.command {
        Command::Run(args) => commands::run::run(args, cli.quiet, cli.lang),
        Command::Watch(args) => commands::watch::run(args, cli.quiet),
        Command::Returns(args) => commands::returns::run(args, cli.quiet, cli.lang),
        Command::Status(args) => commands::status::run(args, cli.lang),
        Command::Reissue(args) => commands::reissue::run(args, cli.quiet),
        Command::Ledger(command) => commands::ledger::run(command, cli.quiet),
        Command::Generate(args) => commands::generate::run(args),
    };
    tracing::debug!("done");
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure),
    }
}

/// Prints a failure as `error: ...`, its causes and a hint.
fn report(failure: &Failure) -> ExitCode {
    eprintln!("error: {}", failure.error);
    for cause in failure.error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if let Some(hint) = &failure.hint {
        eprintln!("hint: {hint}");
    }
    failure.exit_code()
}
