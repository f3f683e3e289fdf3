//! The hot folder welfare officers drop lists into:
//!
//! ```text
//! ROOT/inbox/              drop the month's list (or a bank's answer) here
//! ROOT/outbox/<batch-id>/  the batch made from it (bank files, reports)
//! ROOT/outbox/returns-<MsgId>/  what a bank's answer changed (outcomes,
//!                          failed, unmatched, summary)
//! ROOT/archive/            processed lists, renamed <batch-id>-<name>
//! ROOT/failed/             lists that could not be used or were refused,
//!                          each with <name>.error.txt (Vietnamese, English)
//! ROOT/ledger.sqlite       the payment ledger
//! ROOT/.processing/        lists being worked on (private)
//! ROOT/.starts/            how often each was started (private)
//! ROOT/watch.lock          held by the one watcher of this folder
//! ```
//!
//! A list is taken only once it is complete (its size and time stamp have
//! not changed for the settle time; temporary names are ignored), and is
//! first moved into `.processing/` so that nothing else can take it. Every
//! step after that is recorded or repeatable: a crash at any point ends,
//! after a restart, with the list processed exactly once.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::batch::{self, RunError};
use crate::ledger::Ledger;
use crate::settings::RunSettings;

/// Why the hot folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum HotFolderError {
    /// Another watcher holds the folder.
    #[error("another watcher holds `{root}` (process {pid})")]
    Locked {
        /// The folder.
        root: PathBuf,
        /// The holder's process id, as it wrote it.
        pid: String,
    },
    /// A file system step failed.
    #[error("cannot work on `{path}`")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> HotFolderError + '_ {
    move |source| HotFolderError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What became of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Made into a batch.
    Batch {
        /// The list's name.
        file: String,
        /// The batch.
        batch_id: String,
        /// Where the batch is.
        out: PathBuf,
    },
    /// A bank answer read into the ledger.
    Answer {
        /// The file's name.
        file: String,
        /// Where its reports are.
        out: PathBuf,
        /// Payments whose status changed.
        updated: usize,
        /// Statements not applied.
        unmatched: usize,
    },
    /// Moved to `failed/` with its reasons.
    Failed {
        /// The list's name.
        file: String,
        /// Why, in English.
        reason: String,
    },
}

/// An opened hot folder; dropping it releases the lock.
pub struct HotFolder {
    root: PathBuf,
    _lock: fs::File,
    seen: HashMap<PathBuf, (u64, Option<SystemTime>)>,
    /// Lists the latest scan left because they had not settled.
    waiting: Vec<PathBuf>,
}

impl HotFolder {
    /// Creates the layout if needed and takes the folder's lock. A lock left
    /// by a process that died is free again (the system releases it).
    pub fn open(root: &Path) -> Result<HotFolder, HotFolderError> {
        for dir in [
            "inbox",
            "outbox",
            "archive",
            "failed",
            ".processing",
            ".starts",
        ] {
            let path = root.join(dir);
            fs::create_dir_all(&path).map_err(io(&path))?;
        }
        let lock_path = root.join("watch.lock");
        let mut lock = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let pid = fs::read_to_string(&lock_path).unwrap_or_default();
                let pid = pid.trim().to_owned();
                return Err(HotFolderError::Locked {
                    root: root.to_owned(),
                    pid,
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        use std::io::Write;
        lock.set_len(0).map_err(io(&lock_path))?;
        writeln!(lock, "{}", std::process::id()).map_err(io(&lock_path))?;
        Ok(HotFolder {
            root: root.to_owned(),
            _lock: lock,
            seen: HashMap::new(),
            waiting: Vec::new(),
        })
    }

    /// A directory of the layout.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Removes staging directories left in the outbox by a crash before
    /// their batch was recorded (the ledger has finished every recorded one
    /// when it was opened).
    pub fn remove_stale_staging(&self) {
        let Ok(entries) = fs::read_dir(self.dir("outbox")) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".staging-") {
                tracing::warn!(dir = %name, "removing a staging directory left by an interrupted run");
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Lists left in `.processing/` by an interrupted run, oldest first.
    pub fn interrupted(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = fs::read_dir(self.dir(".processing"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    }

    /// Lists in the inbox that are complete: not a temporary name, and
    /// unchanged (size and time stamp) since the previous scan and for at
    /// least `settle`.
    pub fn ready(&mut self, settle: Duration) -> Vec<PathBuf> {
        let mut ready = Vec::new();
        let mut waiting = Vec::new();
        let mut seen = HashMap::new();
        let mut entries: Vec<_> = fs::read_dir(self.dir("inbox"))
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() || is_temporary(&name) {
                continue;
            }
            let stamp = (meta.len(), meta.modified().ok());
            let old_enough = stamp
                .1
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age >= settle);
            let unchanged = settle.is_zero() || self.seen.get(&entry.path()) == Some(&stamp);
            if old_enough && unchanged && !open_for_writing(&entry.path()) {
                ready.push(entry.path());
            } else {
                waiting.push(entry.path());
            }
            seen.insert(entry.path(), stamp);
        }
        self.seen = seen;
        self.waiting = waiting;
        ready
    }

    /// The lists the latest [`HotFolder::ready`] left in the inbox because
    /// they were still changing or newer than the settle time.
    pub fn waiting(&self) -> &[PathBuf] {
        &self.waiting
    }

    /// Moves every symbolic link in the inbox to `failed/` with a report:
    /// the hot folder never follows a link (it could point anywhere), and
    /// one left in the inbox would wait there for ever, unexplained.
    pub fn refuse_links(&self) -> Result<Vec<Outcome>, HotFolderError> {
        let mut refused = Vec::new();
        let mut entries: Vec<_> = fs::read_dir(self.dir("inbox"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_temporary(&name) {
                continue;
            }
            let reason = "a link, not a file: the hot folder never follows links; copy the list itself into the inbox".to_owned();
            let text = format!(
                "Tệp: {name}\nLỗi: Đây là một liên kết (shortcut), không phải tệp danh sách. Thư mục không mở liên kết.\nCách khắc phục: Sao chép chính tệp danh sách vào thư mục inbox.\n\n---\n\nFile: {name}\nError: {reason}\n"
            );
            self.fail_with(&entry.path(), &name, &text)?;
            refused.push(Outcome::Failed { file: name, reason });
        }
        Ok(refused)
    }

    /// Moves a list from the inbox into `.processing/` under a unique name.
    /// `None` when it is gone (another process took it).
    pub fn claim(&self, path: &Path) -> Result<Option<PathBuf>, HotFolderError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        // Room for what later names add (a batch id, `returns-<MsgId>-`,
        // `.error.txt`), so that no derived name outgrows the file system.
        let name = fit(&name, 64);
        let claimed = self.dir(".processing").join(format!("{stamp:020}-{name}"));
        match fs::rename(path, &claimed) {
            Ok(()) => Ok(Some(claimed)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(path)(e)),
        }
    }

    /// Processes a claimed list: a batch in `outbox/`, the list in
    /// `archive/`; or the list in `failed/` with its reasons. A list whose
    /// processing stopped the process twice (killed, out of memory) goes to
    /// `failed/` the third time instead of being tried for ever.
    pub fn process(
        &self,
        claimed: &Path,
        ledger: &mut Ledger,
        settings: &RunSettings,
    ) -> Result<Outcome, HotFolderError> {
        let starts = self.count_start(claimed)?;
        let outcome = if starts > MAX_STARTS {
            let name = original_name(claimed);
            let reason = format!(
                "processing this list stopped disburse {} times (the process was killed, or ran out of memory); it is not tried again",
                starts - 1
            );
            if let Ok(sha256) = crate::ingest::file_sha256(claimed) {
                let _ = ledger.record_input(&sha256, &name, "failed", None, &reason);
            }
            self.fail_with(claimed, &name, &stopped_report(&name, starts - 1))?;
            Ok(Outcome::Failed { file: name, reason })
        } else {
            self.process_once(claimed, ledger, settings)
        };
        if outcome.is_ok() {
            let _ = fs::remove_file(self.starts_file(claimed));
        }
        outcome
    }

    /// Where the starts of a claimed list are counted (a byte each).
    fn starts_file(&self, claimed: &Path) -> PathBuf {
        self.dir(".starts")
            .join(claimed.file_name().unwrap_or_default())
    }

    /// Counts one more start of a claimed list, durably; how many there
    /// have been, this one included.
    fn count_start(&self, claimed: &Path) -> Result<u64, HotFolderError> {
        use std::io::Write;
        let path = self.starts_file(claimed);
        let mut file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        file.write_all(b".").map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
        Ok(file.metadata().map_err(io(&path))?.len())
    }

    fn process_once(
        &self,
        claimed: &Path,
        ledger: &mut Ledger,
        settings: &RunSettings,
    ) -> Result<Outcome, HotFolderError> {
        let name = original_name(claimed);
        let source = claimed.display().to_string();
        // A bank's answer, told by its root element. Only a file that may be
        // XML is read whole for that: a list can be hundreds of megabytes,
        // and the run reads it (mapped) anyway.
        if crate::ingest::file_head(claimed, HEAD).is_ok_and(|head| may_be_xml(&head))
            && let Ok(bytes) = fs::read(claimed)
            && crate::returns::parse::sniff_namespace(&bytes).is_some()
        {
            return self.process_answer(claimed, &name, bytes, ledger, settings);
        }
        // A crash after the batch was recorded: the ledger knows this claim,
        // made from these very bytes.
        if let Ok(Some(batch)) = ledger.batch_for_source(&source)
            && crate::ingest::file_sha256(claimed).is_ok_and(|sha| sha == batch.input_sha256)
        {
            self.archive(claimed, &batch.batch_id, &name)?;
            return Ok(Outcome::Batch {
                file: name,
                batch_id: batch.batch_id,
                out: PathBuf::from(batch.out_dir),
            });
        }
        let outbox = self.dir("outbox");
        let result = batch::run_recorded(
            claimed,
            &name,
            &|id| outbox.join(id),
            settings,
            ledger,
            &source,
        );
        match result {
            Ok(recorded) => {
                let batch_id = recorded.manifest.batch_id.clone();
                crate::failpoint::hit("before-archive");
                self.archive(claimed, &batch_id, &name)?;
                Ok(Outcome::Batch {
                    file: name,
                    batch_id,
                    out: recorded.out,
                })
            }
            Err(error) => {
                batch::record_refusal(ledger, claimed, &name, &error);
                let reason = error.to_string();
                self.fail(claimed, &name, &error)?;
                Ok(Outcome::Failed { file: name, reason })
            }
        }
    }

    /// Reads a bank answer into the ledger: reports in
    /// `outbox/returns-<MsgId>/`, the file in `archive/`. An ISO 20022 file
    /// that is not an answer (a pain.001 dropped here by mistake) goes to
    /// `failed/`. Reading an answer again changes nothing in the ledger.
    fn process_answer(
        &self,
        claimed: &Path,
        name: &str,
        bytes: Vec<u8>,
        ledger: &mut Ledger,
        settings: &RunSettings,
    ) -> Result<Outcome, HotFolderError> {
        use crate::returns::{self, ReturnsError, parse};
        let id = match parse::parse(&bytes) {
            Ok(answer) => safe_id(&answer.message_id),
            Err(e) => {
                let reason = e.to_string();
                let text = format!(
                    "Tệp: {name}\nLỗi: Tệp XML này không phải là phản hồi của ngân hàng (pain.002, camt.054, camt.053).\nChi tiết: {reason}\n\n---\n\nFile: {name}\nError: not a bank answer (pain.002, camt.054, camt.053): {reason}\n"
                );
                self.fail_with(claimed, name, &text)?;
                return Ok(Outcome::Failed {
                    file: name.to_owned(),
                    reason,
                });
            }
        };
        let out = unique(&self.dir("outbox"), &format!("returns-{id}"));
        let inputs = [(name.to_owned(), Ok(bytes))];
        let run = match returns::process(
            ledger,
            &settings.reference,
            &settings.config.office.name,
            &inputs,
            &out,
        ) {
            Ok(run) => run,
            Err(ReturnsError::Ledger(e)) => {
                return Err(HotFolderError::Io {
                    path: ledger.path().to_owned(),
                    source: std::io::Error::other(e),
                });
            }
            Err(ReturnsError::Publish(e)) => {
                return Err(HotFolderError::Io {
                    path: out,
                    source: std::io::Error::other(e),
                });
            }
        };
        let file = &run.files[0];
        let target = unique(&self.dir("archive"), &format!("returns-{id}-{name}"));
        fs::rename(claimed, &target).map_err(io(claimed))?;
        Ok(Outcome::Answer {
            file: name.to_owned(),
            updated: file.updated(),
            unmatched: file.unmatched.len(),
            out: run.out,
        })
    }

    fn fail_with(&self, claimed: &Path, name: &str, text: &str) -> Result<(), HotFolderError> {
        let target = unique(&self.dir("failed"), &fit(name, ".error.txt".len()));
        let report = target.with_file_name(format!(
            "{}.error.txt",
            target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        fs::write(&report, text).map_err(io(&report))?;
        fs::rename(claimed, &target).map_err(io(claimed))
    }

    fn archive(&self, claimed: &Path, batch_id: &str, name: &str) -> Result<(), HotFolderError> {
        let target = unique(&self.dir("archive"), &format!("{batch_id}-{name}"));
        fs::rename(claimed, &target).map_err(io(claimed))
    }

    fn fail(&self, claimed: &Path, name: &str, error: &RunError) -> Result<(), HotFolderError> {
        self.fail_with(claimed, name, &error_report(name, error))
    }
}

/// The name a list was dropped under (the claim adds a time stamp).
/// How much of a dropped file is read to tell an answer from a list.
const HEAD: u64 = 64 << 10;

/// False when the first bytes of a file show it cannot be an XML
/// document: after a byte-order mark and white space comes something
/// other than `<` (a CSV's first cell, a workbook's signature). True when
/// it may be, or when the first bytes are all white space: then the whole
/// file is read and its root element looked at.
fn may_be_xml(head: &[u8]) -> bool {
    // A UTF-16 file (some banks' systems write XML so) opens with its mark.
    let utf16 = crate::returns::parse::utf16(head);
    let text = match (utf16, std::str::from_utf8(head)) {
        (Some((encoding, rest)), _) => encoding.decode_without_bom_handling(rest).0,
        (None, Ok(text)) => std::borrow::Cow::Borrowed(text),
        // Not UTF-8: not an answer (the sniffer reads UTF-8 and UTF-16).
        (None, Err(e)) if e.error_len().is_some() => return false,
        // A character cut at the end of the head.
        (None, Err(e)) => std::borrow::Cow::Borrowed(
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        ),
    };
    // White space as the sniffer trims it (any Unicode white space), and
    // byte-order marks (the sniffer's and the XML reader's).
    text.chars()
        .find(|c| !c.is_whitespace() && *c != '\u{feff}')
        .is_none_or(|c| c == '<')
}

fn original_name(claimed: &Path) -> String {
    let name = claimed
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.split_once('-') {
        Some((stamp, rest)) if stamp.len() == 20 && stamp.bytes().all(|b| b.is_ascii_digit()) => {
            rest.to_owned()
        }
        _ => name,
    }
}

/// A message id as a safe file-name part: letters, digits, `-` and `_`;
/// anything else (a path separator from a hostile file) becomes `_`.
fn safe_id(id: &str) -> String {
    let id: String = id
        .chars()
        .take(35)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() {
        "answer".to_owned()
    } else {
        id
    }
}

/// Whether another process holds `path` open for writing, where the system
/// can tell (Linux: `/proc/<pid>/fdinfo` of every process this user may
/// see). A copy that pauses longer than the settle time is still open.
#[cfg(target_os = "linux")]
fn open_for_writing(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(target) = fs::metadata(path) else {
        return false;
    };
    let me = std::process::id().to_string();
    let Ok(processes) = fs::read_dir("/proc") else {
        return false;
    };
    for process in processes.flatten() {
        let pid = process.file_name();
        let pid = pid.to_string_lossy();
        if !pid.bytes().all(|b| b.is_ascii_digit()) || pid == me {
            continue;
        }
        let Ok(fds) = fs::read_dir(process.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            // The same file: the same device and inode, whatever its name.
            let same = fs::metadata(fd.path())
                .is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino());
            if !same {
                continue;
            }
            let info = process.path().join("fdinfo").join(fd.file_name());
            let writable = fs::read_to_string(info).is_ok_and(|text| {
                text.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    .is_some_and(|flags| flags & 0o3 != 0)
            });
            if writable {
                return true;
            }
        }
    }
    false
}

/// Elsewhere the system cannot tell: the settle time alone decides.
#[cfg(not(target_os = "linux"))]
fn open_for_writing(_path: &Path) -> bool {
    false
}

/// Names of files still being written or kept by office programs.
fn is_temporary(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || [".tmp", ".part", ".crdownload", ".partial", ".swp"]
            .iter()
            .any(|s| lower.ends_with(s))
}

/// The most bytes a file name may have on the file systems a hot folder
/// lives on (ext4, XFS, NTFS, SMB shares).
const NAME_MAX: usize = 255;

/// `name` cut to leave `room` bytes under [`NAME_MAX`]: the end of its stem
/// goes (at a character boundary), its extension stays, and 8 hex digits
/// of the whole name's sha256 keep two long names apart.
fn fit(name: &str, room: usize) -> String {
    use sha2::{Digest, Sha256};
    let max = NAME_MAX.saturating_sub(room);
    if name.len() <= max {
        return name.to_owned();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.len() <= 16 => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let hash = &hex::encode(Sha256::digest(name.as_bytes()))[..8];
    let mut keep = max
        .saturating_sub(ext.len() + 1 + hash.len())
        .min(stem.len());
    while !stem.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}~{hash}{ext}", &stem[..keep])
}

/// `dir/name`, or `dir/stem-2.ext` and so on when taken.
fn unique(dir: &Path, name: &str) -> PathBuf {
    let name = &fit(name, 8);
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_owned(), format!(".{e}")),
        None => (name.to_owned(), String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .expect("a free name exists")
}

/// An error and its causes on one line (`cannot write `x`: No space left
/// on device`), for a report that has no room for a chain.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Starts of a list's processing that may end without a word (a kill, a
/// crash) before it goes to `failed/`.
const MAX_STARTS: u64 = 2;

/// The `.error.txt` of a list that stopped the process `times` times.
fn stopped_report(name: &str, times: u64) -> String {
    format!(
        "Tệp: {name}\nLỗi: Xử lý danh sách này đã làm chương trình dừng {times} lần (bị tắt ngang hoặc hết bộ nhớ); không thử lại nữa.\n\
         Cách khắc phục: Kiểm tra tệp (ô nằm xa danh sách, tệp hỏng), sửa rồi thả lại vào thư mục inbox; nếu vẫn lỗi, báo bộ phận kỹ thuật kèm tệp này.\n\n---\n\n\
         File: {name}\nError: processing this list stopped disburse {times} times (the process was killed, or ran out of memory); it is not tried again.\n\
         What to do: check the file (cells far from the list, a damaged file), correct it and drop it in the inbox again; if it fails again, send it to support.\n"
    )
}

/// The text of `<name>.error.txt`: what happened and what to do, in
/// Vietnamese then English.
pub fn error_report(name: &str, error: &RunError) -> String {
    let (vi, fix_vi) = match error {
        RunError::AlreadyProcessed { batch_id, earlier_file, .. } => (
            format!("Danh sách này đã được xử lý trước đây (lô {batch_id}, tệp {earlier_file}). Không chi trả lại lần hai."),
            "Nếu cần bổ sung, hãy gửi danh sách bổ sung chỉ gồm những người chưa được chi trả.".to_owned(),
        ),
        RunError::NoPeriod => (
            "Không xác định được tháng chi trả.".to_owned(),
            "Ghi tháng vào tiêu đề (ví dụ: THÁNG 07/2024) hoặc vào tên tệp (ví dụ: chi-tra-2024-07.csv).".to_owned(),
        ),
        RunError::DeclaredTotal { declared_vnd, rows_vnd, .. } => (
            format!(
                "Tổng số tiền các dòng ({} đ) không khớp với dòng Tổng cộng ({} đ).",
                crate::cells::format_vnd(*rows_vnd),
                crate::cells::format_vnd(*declared_vnd)
            ),
            "Kiểm tra lại số tiền từng dòng và dòng Tổng cộng, rồi gửi lại danh sách.".to_owned(),
        ),
        RunError::Publish(crate::write::publish::PublishError::Io { source, .. })
            if crate::write::publish::is_disk_full(source) =>
        {
            (
                "Ổ đĩa đã đầy, không còn chỗ ghi các tệp của lô (no space left on the device).".to_owned(),
                "Giải phóng dung lượng ổ đĩa, rồi thả lại danh sách vào thư mục inbox.".to_owned(),
            )
        }
        RunError::Ingest(_) => (
            "Không đọc được danh sách.".to_owned(),
            "Kiểm tra dòng tiêu đề có đủ các cột Họ và tên, Số tài khoản, Ngân hàng, Số tiền; lưu tệp dạng CSV UTF-8.".to_owned(),
        ),
        _ => (
            "Không xử lý được danh sách do lỗi hệ thống.".to_owned(),
            "Báo cho bộ phận kỹ thuật kèm tệp này.".to_owned(),
        ),
    };
    let hint = error.hint().unwrap_or_default();
    let error = with_causes(error);
    format!(
        "Tệp: {name}\nLỗi: {vi}\nCách khắc phục: {fix_vi}\nChi tiết: {error}\n\n---\n\nFile: {name}\nError: {error}\n{}",
        if hint.is_empty() {
            String::new()
        } else {
            format!("What to do: {hint}\n")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::may_be_xml;
    use crate::returns::parse::sniff_namespace;

    #[test]
    fn a_full_disk_is_named_as_such_in_both_languages() {
        use crate::batch::RunError;
        use crate::write::publish::PublishError;
        let error = RunError::Publish(PublishError::Io {
            path: "hot/outbox/.staging-x/banks/970405-Agribank.xml".into(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        });
        let report = super::error_report("chi-tra.csv", &error);
        assert!(report.contains("Ổ đĩa đã đầy"), "{report}");
        assert!(report.contains("Giải phóng dung lượng"), "{report}");
        assert!(
            report.contains("What to do: the disk is full (no space left on the device)"),
            "{report}"
        );
    }

    #[test]
    fn only_what_may_be_xml_is_read_whole_to_look_for_an_answer() {
        assert!(may_be_xml(b"<?xml version=\"1.0\"?><Document/>"));
        assert!(may_be_xml(b"\xEF\xBB\xBF\r\n  <Document"));
        assert!(may_be_xml(b"   \n"));
        assert!(may_be_xml(b""));
        assert!(!may_be_xml("STT,Họ và tên\n".as_bytes()));
        assert!(!may_be_xml("\u{feff}STT;Họ".as_bytes()));
        assert!(!may_be_xml(b"PK\x03\x04"));
        assert!(!may_be_xml(b"\xD0\xCF\x11\xE0"));
        // A character cut by the end of the head is not held against it.
        assert!(may_be_xml(b"  <Document>\xE1\xBB"));
        // UTF-16, told by its byte order mark: a bank's answer may be so.
        assert!(may_be_xml(b"\xFF\xFE<\x00?\x00x\x00"));
        assert!(may_be_xml(b"\xFE\xFF\x00<\x00?"));
        assert!(!may_be_xml(b"\xFF\xFES\x00T\x00T\x00"));
    }

    proptest::proptest! {
        /// No answer is taken for a list: whatever comes before an ISO
        /// 20022 root, a file the root sniffer calls an answer is one the
        /// head lets through.
        #[test]
        fn every_answer_is_let_through(
            before in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "\n", "\r\n", "\t", "\u{feff}", "\u{a0}", "\u{c}", "a", ",",
                    "<!-- x -->", "<?xml version=\"1.0\"?>", "<", "STT",
                ]),
                0..6,
            ),
        ) {
            let doc = format!(
                "{}<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
                before.concat()
            );
            if sniff_namespace(doc.as_bytes()).is_some() {
                proptest::prop_assert!(may_be_xml(doc.as_bytes()), "{:?}", doc);
            }
        }
    }
}
