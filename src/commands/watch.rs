//! `disburse watch`: the hot folder loop. File-system notifications wake it
//! early; a scan every `--interval` seconds catches what notifications miss
//! (network shares often send none). SIGINT and SIGTERM stop it after the
//! list in hand is finished.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use notify::Watcher;

use crate::cli::WatchArgs;
use crate::commands::Failure;
use crate::exit::Exit;
use crate::hotfolder::{HotFolder, Outcome};
use crate::ledger::Ledger;
use crate::settings::RunSettings;

/// Runs the command.
pub fn run(args: &WatchArgs, quiet: bool) -> Result<(), Failure> {
    let mut settings = RunSettings::load(args.config.as_deref(), args.period)?;
    settings.strict_totals = args.strict_totals;
    settings.read.encoding = args.encoding;
    let mut folder =
        HotFolder::open(&args.root).map_err(|e| Failure::new(Exit::Output, e, None))?;
    let ledger_path = args
        .ledger
        .clone()
        .or_else(|| settings.config.ledger.clone())
        .unwrap_or_else(|| args.root.join("ledger.sqlite"));
    let mut ledger = Ledger::open(&ledger_path)?;
    folder.remove_stale_staging();

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(Failure::internal)?;
    }
    let settle = Duration::from_secs(args.settle);
    let roles = settings.config.required_roles();
    let awaiting = if roles.is_empty() {
        String::new()
    } else {
        format!(
            "; awaiting approval ({}), then released into {}",
            crate::approval::page::labels(&roles, true),
            args.root.join("tobank").display()
        )
    };
    let report = |o: &Outcome| {
        if !quiet {
            print_outcome(o, &awaiting);
        }
    };
    // With approvers, the approved batches of the outbox go to the banks'
    // folders: at start, and after every scan.
    let release = |ledger: &mut Ledger| {
        if roles.is_empty() {
            return;
        }
        for (batch, dirs) in crate::commands::approval::release_approved(
            &folder_outbox(&args.root),
            &args.root.join("tobank"),
            ledger,
            &settings.config,
        ) {
            if !quiet {
                let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
                println!("batch {batch}: approved, released into {}", dirs.join(", "));
            }
        }
    };

    // Lists an interrupted run left in hand come first.
    for claimed in folder.interrupted() {
        let outcome = folder
            .process(&claimed, &mut ledger, &settings)
            .map_err(Failure::internal)?;
        report(&outcome);
    }

    let (_watcher, rx) = notifications(&folder, args.interval);
    if args.once && !settle.is_zero() {
        // Two looks a moment apart: a list still growing is left for the
        // next run.
        folder.ready(settle);
        std::thread::sleep(Duration::from_millis(300));
    }
    while !stop.load(Ordering::SeqCst) {
        for outcome in folder.refuse_links().map_err(Failure::internal)? {
            report(&outcome);
        }
        for path in folder.ready(settle) {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let Some(claimed) = folder.claim(&path).map_err(Failure::internal)? else {
                continue;
            };
            crate::failpoint::hit("claimed");
            // One file the folder cannot handle never stops the others: it
            // stays in `.processing/` and is tried again at the next start.
            match folder.process(&claimed, &mut ledger, &settings) {
                Ok(outcome) => report(&outcome),
                Err(e) => tracing::error!("{}: {:#}", path.display(), anyhow::Error::new(e)),
            }
        }
        release(&mut ledger);
        if args.once {
            if !quiet {
                print_waiting(&folder, settle);
            }
            break;
        }
        let _ = rx.recv_timeout(Duration::from_secs(args.interval.max(1)));
        while rx.try_recv().is_ok() {}
    }
    Ok(())
}

/// The outbox of a hot folder.
fn folder_outbox(root: &std::path::Path) -> std::path::PathBuf {
    root.join("outbox")
}

/// What happened to one dropped file, on one line.
fn print_outcome(o: &Outcome, awaiting: &str) {
    match o {
        Outcome::Batch {
            file,
            batch_id,
            out,
        } => println!("{file}: batch {batch_id} in {}{awaiting}", out.display()),
        Outcome::Answer {
            file,
            out,
            updated,
            unmatched,
        } => println!(
            "{file}: bank answer, {updated} payment(s) updated, {unmatched} not applied, reports in {}",
            out.display()
        ),
        Outcome::Failed { file, reason } => {
            println!("{file}: failed: {reason} (see failed/{file}.error.txt)")
        }
    }
}

/// The lists left in the inbox because they had not settled: the next run
/// takes them. Said, or the officer who dropped one thinks it was lost.
fn print_waiting(folder: &HotFolder, settle: Duration) {
    for path in folder.waiting() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "{name}: left in the inbox: it changed in the last {} s (still being copied?); the next run takes it",
            settle.as_secs().max(1)
        );
    }
}

/// File-system notifications of the inbox, as wake-ups on a channel; the
/// watcher is `None` (and the loop scans every `interval` seconds) where
/// the system gives none.
fn notifications(
    folder: &HotFolder,
    interval: u64,
) -> (
    Option<notify::RecommendedWatcher>,
    std::sync::mpsc::Receiver<()>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |_| {
        let _ = tx.send(());
    })
    .ok();
    if let Some(w) = watcher.as_mut()
        && let Err(e) = w.watch(&folder.dir("inbox"), notify::RecursiveMode::NonRecursive)
    {
        tracing::warn!("no file-system notifications ({e}); scanning every {interval} s");
    }
    (watcher, rx)
}
