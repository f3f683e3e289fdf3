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

/// mimalloc's `mi_option_purge_delay` (the 16th entry of `mi_option_t` in
/// its `mimalloc.h`, v2 and v3 alike); the bindings name no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A `run` makes one batch and exits: memory it frees is kept for its next
/// allocations instead of being handed back to the kernel and faulted in
/// (and zeroed) again. At the national caseload that is about 250 MB fewer
/// fresh pages, for about 30 MB more peak memory. The long-lived `watch`
/// keeps mimalloc's default, so that it shrinks between lists.
fn keep_freed_memory() {
    // SAFETY: sets a mimalloc option (not thread safe) from the main
    // thread, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// A list this large (about 100,000 rows) makes `run` ask for small pages
/// ([`small_pages`]). A district's list needs a few dozen megabytes, which
/// huge pages fault in faster (0.04 s instead of 0.06 s for 3,631 rows).
const LARGE_LIST: u64 = 16 << 20;

/// `run` on a large list and `watch` ask the kernel for ordinary 4 KiB pages rather than
/// transparent huge pages (which mimalloc requests by default), unless
/// `MIMALLOC_ALLOW_THP` says otherwise. A huge page is zeroed whole, 2 MiB
/// at a time, on first touch, used or not; on the virtual machines a
/// treasury is likely to run this on, that zeroing is the largest single
/// cost of a national run. At 3,350,000 rows: half the system time, 13 %
/// fewer pages, 0.6-0.9 s less wall time, for a little more user time
/// (more page faults and TLB misses). The process's flag covers every
/// later fault, whatever mapped the memory. `operator` is the value of
/// `MIMALLOC_ALLOW_THP`, if set: then mimalloc follows it and this does
/// nothing.
fn small_pages(operator: Option<std::ffi::OsString>) {
    if operator.is_some() {
        return;
    }
    // SAFETY: a prctl with integer arguments only; it fails harmlessly on
    // a kernel without the option.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Run(args) => {
            keep_freed_memory();
            if std::fs::metadata(&args.input).is_ok_and(|m| m.len() >= LARGE_LIST) {
                small_pages(std::env::var_os("MIMALLOC_ALLOW_THP"));
            }
        }
        Command::Watch(_) => small_pages(std::env::var_os("MIMALLOC_ALLOW_THP")),
        _ => {}
    }
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
        Command::Diff(args) => commands::diff::run(args, cli.lang),
        Command::Keygen(args) => commands::approval::keygen(args),
        Command::Approve(args) => commands::approval::approve(args),
        Command::Release(args) => commands::approval::release(args),
        Command::Verify(args) => commands::approval::verify(args),
        Command::Void(args) => commands::approval::void(args),
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
    failure.exit.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_the_option_set() {
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // mimalloc v3 purges after 1000 ms by default: an index that named
        // another option would read another value.
        assert_eq!(
            get(),
            1000,
            "option {MI_OPTION_PURGE_DELAY} is not mimalloc's purge delay (or MIMALLOC_PURGE_DELAY is set)"
        );
        keep_freed_memory();
        assert_eq!(get(), -1);
    }

    #[test]
    fn a_run_asks_for_small_pages_unless_told_otherwise() {
        // SAFETY: reads a process flag.
        let disabled = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        let before = disabled();
        small_pages(Some("1".into()));
        assert_eq!(
            disabled(),
            before,
            "MIMALLOC_ALLOW_THP set: the operator decides"
        );
        small_pages(None);
        assert_eq!(disabled(), 1);
    }
}
