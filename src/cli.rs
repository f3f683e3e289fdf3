//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::exit::Exit;
use crate::period::Period;

/// Pays monthly social assistance into beneficiaries' bank accounts.
///
/// Reads a beneficiary list (CSV or Excel), checks every row and account,
/// and writes one ISO 20022 pain.001 file per receiving bank with a
/// reconciliation that proves every row was paid or rejected with a reason;
/// then reads the banks' answers (pain.002, camt.054) back into its ledger.
#[derive(Debug, Parser)]
#[command(name = "disburse", version, after_help = Exit::help())]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The language of terminal messages (reports are Vietnamese with English).
    #[arg(long, global = true, value_enum, default_value_t = Lang::En, env = "DISBURSE_LANG")]
    pub lang: Lang,
}

/// A language for terminal messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Tiếng Việt.
    Vi,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn a beneficiary list into per-bank pain.001 files and a reconciliation.
    Run(RunArgs),
    /// Watch a folder: every list dropped into ROOT/inbox is paid once.
    Watch(WatchArgs),
    /// Read the banks' answers (pain.002, camt.054, camt.053) and record each payment's outcome.
    Returns(ReturnsArgs),
    /// What was sent, confirmed, failed and is still open, per bank, from the ledger.
    Status(StatusArgs),
    /// Write a month's failed payments as a list to correct and drop back in.
    Reissue(ReissueArgs),
    /// Compare two recorded months: who is new, who stopped, whose account, amount, name, commune, category or coefficient changed.
    Diff(DiffArgs),
    /// Make an approver's Ed25519 key pair; prints the entry for the office's configuration.
    Keygen(KeygenArgs),
    /// Sign a batch in your role, after checking every file against its manifest and the ledger.
    Approve(ApproveArgs),
    /// Hand an approved batch over for the banks: bank files, manifest and approvals, copied atomically.
    Release(ReleaseArgs),
    /// Check a batch, or a release a bank received, against its manifest and the approvers' public keys.
    Verify(VerifyArgs),
    /// Withdraw a batch not yet released (its signatories refused it): its payments are rejected, so a corrected list pays the same people.
    Void(VoidArgs),
    /// Check or export the payment ledger.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Write a synthetic beneficiary list (seeded, reproducible) for samples and benchmarks.
    Generate(GenerateArgs),
}

/// `disburse watch`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct WatchArgs {
    /// The hot folder; inbox/, outbox/, archive/ and failed/ are made inside.
    pub root: PathBuf,
    /// Process what is in the inbox now, then exit (for cron and tests).
    #[arg(long)]
    pub once: bool,
    /// Seconds between scans of the inbox when no change is notified.
    #[arg(long, default_value_t = 5)]
    pub interval: u64,
    /// Seconds a list must stay unchanged before it is taken.
    #[arg(long, default_value_t = 5)]
    pub settle: u64,
    /// The payment ledger (default: ROOT/ledger.sqlite).
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The office's settings (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The month paid, when lists name it neither in their title nor their file name.
    #[arg(long)]
    pub period: Option<Period>,
    /// Refuse lists whose rows do not add up to their totals row.
    #[arg(long)]
    pub strict_totals: bool,
    /// The CSV encoding, instead of detecting it.
    #[arg(long)]
    pub encoding: Option<crate::ingest::Encoding>,
}

/// `disburse returns`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct ReturnsArgs {
    /// The answers: pain.002 status reports, camt.054 notifications, camt.053 statements.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Where to write outcomes.csv, failed.csv, unmatched.csv and summary.csv; must not exist or be empty.
    #[arg(long, short)]
    pub out: PathBuf,
    /// The payment ledger the payments were recorded in.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The office's settings (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `disburse status`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct StatusArgs {
    /// The payment ledger.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The office's settings (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Only this month, YYYY-MM.
    #[arg(long, conflicts_with = "batch")]
    pub period: Option<Period>,
    /// Only this batch.
    #[arg(long)]
    pub batch: Option<String>,
    /// Print the figures as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `disburse reissue`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct ReissueArgs {
    /// The payment ledger.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The office's settings (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The month whose failed payments to list, YYYY-MM.
    #[arg(long)]
    pub period: Period,
    /// The list to write: `.xlsx` for a workbook of text cells (best for
    /// editing in Excel), anything else for CSV; must not exist.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// `disburse diff`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct DiffArgs {
    /// The payment ledger.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The office's settings (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The earlier month, YYYY-MM.
    #[arg(long)]
    pub from: Period,
    /// The later month, YYYY-MM.
    #[arg(long)]
    pub to: Period,
    /// A directory to write changes.csv into; must not exist or be empty
    /// (default: only the counts are printed).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Print the counts as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `disburse keygen`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct KeygenArgs {
    /// The approver's full name, as signatures and reports show it.
    #[arg(long)]
    pub name: String,
    /// The role they sign in (`chief_accountant`, `head`, or one of `[approval] roles`).
    #[arg(long)]
    pub role: String,
    /// The secret key file to write (readable by its owner only); must not exist.
    #[arg(long, short)]
    pub out: PathBuf,
    /// The office's settings (TOML): the roles a key may be made for.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// `disburse approve`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct ApproveArgs {
    /// The batch directory (as `run` or the hot folder wrote it).
    pub batch_dir: PathBuf,
    /// Your secret key file (`disburse keygen`); its passphrase is asked
    /// at the terminal, or read from DISBURSE_PASSPHRASE.
    #[arg(long)]
    pub key: PathBuf,
    /// Sign without asking for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// The office's settings (TOML), with its `[[approvers]]`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The payment ledger the batch was recorded in.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
}

/// `disburse release`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct ReleaseArgs {
    /// The approved batch directory.
    pub batch_dir: PathBuf,
    /// Where to put the bank files, the manifest and the approvals; must
    /// not exist or be empty.
    #[arg(long)]
    pub to: PathBuf,
    /// The office's settings (TOML), with its `[[approvers]]`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The payment ledger the batch was recorded in.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
}

/// `disburse verify`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct VerifyArgs {
    /// A batch directory, or a release as a bank received it.
    pub batch_dir: PathBuf,
    /// The paying office's settings (TOML), or a file of its `[[approvers]]`
    /// and `[approval]` only: the public keys and roles to check against.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The payment ledger, to check the batch against what it recorded too.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
}

/// `disburse void`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct VoidArgs {
    /// The batch directory.
    pub batch_dir: PathBuf,
    /// Why it is withdrawn (recorded in the ledger and on each payment).
    #[arg(long)]
    pub reason: String,
    /// The office's settings (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The payment ledger the batch was recorded in.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
}

/// `disburse ledger ...`.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check the journal's hash chain, the records against it, and every bank file's sha256.
    Verify(LedgerArgs),
    /// Write a period's payments as CSV.
    Export(ExportArgs),
}

/// Which ledger.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// The payment ledger.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: PathBuf,
}

/// `disburse ledger export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Which ledger.
    #[command(flatten)]
    pub ledger: LedgerArgs,
    /// The month, YYYY-MM.
    #[arg(long)]
    pub period: Period,
    /// Where to write the CSV (default: standard output).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// `disburse run`.
#[derive(Debug, Args)]
#[command(after_help = Exit::help())]
pub struct RunArgs {
    /// The beneficiary list (CSV, or an Excel workbook: xlsx, xls, xlsb, ods).
    pub input: PathBuf,
    /// Where to write the batch; must not exist or be empty.
    #[arg(long, short)]
    pub out: PathBuf,
    /// The month paid, YYYY-MM.
    #[arg(long)]
    pub period: Option<Period>,
    /// The office's settings (TOML); the built-in defaults serve the sample.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The payment ledger (SQLite): refuses a file already processed and
    /// anyone already paid this month, and records the batch.
    #[arg(long, env = "DISBURSE_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The workbook sheet to read, by name or number (from 1); the first by default.
    #[arg(long)]
    pub sheet: Option<String>,
    /// A CSV's encoding (utf-8, utf-16, utf-16be, windows-1258, tcvn3, vni), instead of detecting it.
    #[arg(long)]
    pub encoding: Option<crate::ingest::Encoding>,
    /// Refuse (write nothing) when the rows do not add up to the list's totals row.
    #[arg(long)]
    pub strict_totals: bool,
    /// Print the manifest's summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `disburse generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Where to write the list.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Number of beneficiary rows.
    #[arg(long, default_value_t = 3631)]
    pub rows: usize,
    /// Random seed: the same seed gives the same file.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// The month paid (sets ages and the base level).
    #[arg(long, default_value = "2024-01")]
    pub period: Period,
    /// Rows per million carrying a defect that a rule should catch.
    #[arg(long, default_value_t = 3000)]
    pub defects_per_million: u32,
    /// Write the small list in which every rule fires instead.
    #[arg(long, conflicts_with_all = ["rows", "seed", "defects_per_million"])]
    pub every_rule: bool,
}
