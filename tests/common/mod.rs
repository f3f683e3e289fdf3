//! The harness every CLI test drives the built binary through: a temporary
//! working directory, a pinned clock, and the outcome (exit code, stdout,
//! stderr) in one value that snapshots well.

#![allow(dead_code)]

pub mod answers;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The clock every test runs at.
pub const NOW: &str = "2024-01-05T09:30:00+07:00";

/// A temporary directory to run `disburse` in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// What a finished process did.
    pub fn of(out: std::process::Output) -> Outcome {
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Exit code, stdout and stderr together, for snapshots.
    pub fn render(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `disburse` with `args`, to run in this directory: clock pinned, and
    /// none of the developer's own settings ([`disburse_command`]).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = disburse_command();
        cmd.args(args).current_dir(self.path());
        cmd
    }

    /// `run LIST --period 2024-01 --ledger ledger.sqlite --out OUT` in this
    /// directory, for the tests that stop or pause it at a failpoint.
    pub fn recorded_run(&self, list: &str, out: &str) -> Command {
        self.command(&[
            "run",
            list,
            "--period",
            "2024-01",
            "--ledger",
            "ledger.sqlite",
            "--out",
            out,
        ])
    }

    /// Runs `disburse` with `args` in this directory, clock pinned.
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.run_env(args, &[])
    }

    /// [`Workdir::run`] with these environment variables set.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Outcome {
        run_in(self.path(), args, env)
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> Outcome {
        let outcome = self.run(args);
        assert_eq!(outcome.code, 0, "{}", outcome.render());
        outcome
    }

    /// Runs a shipped sample (`sample_batches/<sample>`) for 2024-01 into
    /// `out`, with `extra` arguments.
    pub fn sample(&self, sample: &str, out: &str, extra: &[&str]) -> Outcome {
        let input = repo_file(&format!("sample_batches/{sample}"));
        let mut args = vec![
            "run",
            input.to_str().unwrap(),
            "--period",
            "2024-01",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// [`Workdir::sample`], insisting on success.
    pub fn run_sample(&self, sample: &str, out: &str, extra: &[&str]) -> Outcome {
        let outcome = self.sample(sample, out, extra);
        assert_eq!(outcome.code, 0, "{}", outcome.render());
        outcome
    }

    /// Every file below `rel`, relative paths sorted.
    pub fn files(&self, rel: &str) -> Vec<String> {
        let root = self.join(rel);
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

/// The built `disburse` with the test clock and a clean environment: every
/// `DISBURSE_*` and `MIMALLOC_*` variable of the developer's shell (a ledger,
/// a language, a log level, allocator options) is removed, so that no test
/// depends on who runs it.
pub fn disburse_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_disburse"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("DISBURSE_") || name.starts_with("MIMALLOC_") {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd.env("DISBURSE_NOW", NOW);
    cmd
}

/// The repository's own file.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The manifest of a batch directory.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Parses a CSV file into records (header included).
pub fn csv_records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A seeded generated list for period 2024-01 (UTF-8 with BOM, CRLF), with
/// no planted defects.
pub fn generated_list(rows: usize, seed: u64) -> Vec<u8> {
    let spec = disburse::generate::Spec::district(rows, seed);
    let mut out = Vec::new();
    disburse::generate::write_csv(&mut out, &spec).unwrap();
    out
}

/// A bank file without its message ids, which name the input file: what
/// must be the same when the same payments come from another file.
pub fn strip_ids(xml: &str) -> String {
    xml.lines()
        .filter(|l| !l.contains("<MsgId>") && !l.contains("<PmtInfId>"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// UTF-8 text as Windows-1258 bytes, the way that code page writes
/// Vietnamese: letters with circumflex, breve or horn precomposed, tone
/// marks as combining characters.
pub fn to_windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = Vec::new();
    for c in text.chars() {
        let decomposed: String = c.to_string().nfd().collect();
        let base: String = decomposed
            .chars()
            .filter(|d| !TONES.contains(d))
            .collect::<String>()
            .nfc()
            .collect();
        let tones: String = decomposed.chars().filter(|d| TONES.contains(d)).collect();
        let composed = format!("{base}{tones}");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&composed);
        assert!(!unmappable, "{c:?} has no Windows-1258 form");
        out.extend_from_slice(&bytes);
    }
    out
}

/// UTF-8 text in a legacy font encoding (`tcvn3` or `vni`), from the
/// tables the library decodes with (whether those tables are right is
/// checked against other converters in `tests/encodings.rs`). TCVN3 has no
/// capitals with tone marks: like a capitals font, the small letter's code
/// stands for them.
pub fn to_legacy(text: &str, encoding: &str) -> Vec<u8> {
    use std::collections::HashMap;
    let table: HashMap<char, Vec<u8>> = disburse::ingest::legacy::table(encoding)
        .into_iter()
        .map(|(bytes, c)| (c, bytes))
        .collect();
    let mut out = Vec::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else if let Some(bytes) = table.get(&c) {
            out.extend_from_slice(bytes);
        } else {
            let small = c.to_lowercase().next().unwrap();
            let bytes = table
                .get(&small)
                .unwrap_or_else(|| panic!("{c:?} has no {encoding} form"));
            out.extend_from_slice(bytes);
        }
    }
    out
}

/// An office whose `schemas_dir` is a copy of `schemas/` with these lines
/// of `bank_profiles.csv` (after its header): `office.toml` in `w`.
pub fn profiled_office(w: &Workdir, profiles: &str) {
    let dir = w.join("schemas");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(repo_file("schemas")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    std::fs::write(
        dir.join("bank_profiles.csv"),
        format!("bin,format,max_transactions,template,name_style\n{profiles}"),
    )
    .unwrap();
    let config = std::fs::read_to_string(repo_file("schemas/config.default.toml")).unwrap();
    w.write(
        "office.toml",
        format!("schemas_dir = \"schemas\"\n{config}"),
    );
}

/// Runs `disburse` with `args` in `dir` ([`disburse_command`]), with these
/// environment variables set.
pub fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let mut cmd = disburse_command();
    cmd.args(args).current_dir(dir);
    for (name, value) in env {
        cmd.env(name, value);
    }
    Outcome::of(cmd.output().expect("the binary runs"))
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A ledger fixture (`tests/fixtures/<name>`), fresh, at `home`: the path
/// its ledger was made at and records.
pub fn restore_fixture(name: &str, home: &str) -> PathBuf {
    let home = PathBuf::from(home);
    if home.exists() {
        std::fs::remove_dir_all(&home).unwrap();
    }
    copy_dir(&repo_file(&format!("tests/fixtures/{name}")), &home);
    home
}

/// A ledger's schema version.
pub fn user_version(ledger: &Path) -> i64 {
    rusqlite::Connection::open(ledger)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Makes an approver's key in `dir` with `disburse keygen`; what it
/// printed (the `[[approvers]]` entry, after two comment lines).
pub fn keygen_in(dir: &Path, name: &str, role: &str, file: &str, pass: &str) -> String {
    let out = run_in(
        dir,
        &["keygen", "--name", name, "--role", role, "--out", file],
        &[("DISBURSE_PASSPHRASE", pass)],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    out.stdout
}
