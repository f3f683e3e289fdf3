//! Kill the watcher at any point of a run and start it again: the list is
//! processed exactly once, the ledger and the outbox agree, and no payment
//! is in two bank files. 200 kill points: every failpoint of the run (the
//! process aborts there, like a power cut) several times, and kills at
//! random moments with SIGKILL. It guards "a crash and a rerun never pay
//! twice and never lose a list".

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Workdir;
use rand::{Rng, SeedableRng};

const FAILPOINTS: [&str; 9] = [
    "claimed",
    "read",
    "validated",
    "staged-files",
    "recorded",
    "committed",
    "renamed",
    "published",
    "before-archive",
];
const LIST_NAME: &str = "chi-tra-2024-01.csv";

fn list() -> Vec<u8> {
    common::generated_list(25, 5)
}

fn watch(dir: &Path, failpoint: Option<&str>) -> Command {
    let mut cmd = common::disburse_command();
    cmd.args(["-q", "watch", "hot", "--once", "--settle", "0"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(point) = failpoint {
        cmd.env(disburse::failpoint::VAR, point);
    }
    cmd
}

fn check_invariants(w: &Workdir, list: &[u8], copy_dropped: bool, label: &str) {
    let conn = rusqlite::Connection::open(w.join("hot/ledger.sqlite")).unwrap();
    let batches: Vec<(String, String)> = conn
        .prepare("SELECT batch_id, state FROM batches")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(batches.len(), 1, "{label}: batches {batches:?}");
    let (batch_id, state) = &batches[0];
    assert_eq!(state, "published", "{label}");

    let outbox: Vec<String> = std::fs::read_dir(w.join("hot/outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(outbox, vec![batch_id.clone()], "{label}: outbox");
    assert!(w.files("hot/inbox").is_empty(), "{label}: inbox");
    assert!(w.files("hot/.processing").is_empty(), "{label}: processing");
    let archived = w.files("hot/archive");
    assert_eq!(
        archived,
        vec![format!("{batch_id}-{LIST_NAME}")],
        "{label}: archive"
    );
    assert_eq!(
        std::fs::read(w.join("hot/archive").join(&archived[0])).unwrap(),
        list,
        "{label}"
    );
    let failed = w.files("hot/failed");
    if copy_dropped {
        assert_eq!(
            failed,
            vec!["copy.csv", "copy.csv.error.txt"],
            "{label}: failed"
        );
    } else {
        assert!(failed.is_empty(), "{label}: failed {failed:?}");
    }

    // Every payment is in exactly one bank file, and the ledger has exactly
    // the payments the bank files carry.
    let mut in_files = Vec::new();
    for f in w.files("hot/outbox").iter().filter(|f| f.ends_with(".xml")) {
        let xml = std::fs::read_to_string(w.join("hot/outbox").join(f)).unwrap();
        in_files.extend(
            xml.split("<EndToEndId>")
                .skip(1)
                .map(|s| s.split('<').next().unwrap().to_owned()),
        );
    }
    let unique: BTreeSet<String> = in_files.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        in_files.len(),
        "{label}: a payment is in two bank files"
    );
    let in_ledger: BTreeSet<String> = conn
        .prepare("SELECT end_to_end_id FROM payments")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(in_ledger, unique, "{label}: ledger and bank files disagree");
    assert_eq!(in_ledger.len(), 25, "{label}");

    let verify = w.run(&["ledger", "verify", "--ledger", "hot/ledger.sqlite"]);
    assert_eq!(verify.code, 0, "{label}: {}", verify.render());
}

#[test]
fn killed_at_any_point_the_list_is_processed_exactly_once() {
    let list = list();
    // How long an uninterrupted run takes, to spread the random kills over it.
    let probe = Workdir::new();
    probe.write(&format!("hot/inbox/{LIST_NAME}"), &list);
    let started = Instant::now();
    assert!(watch(probe.path(), None).status().unwrap().success());
    let span = started.elapsed().as_micros() as u64;
    check_invariants(&probe, &list, false, "uninterrupted");

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2024);
    let mut kills = 0;
    let mut deterministic = 0;
    for round in 0..200 {
        let w = Workdir::new();
        w.write(&format!("hot/inbox/{LIST_NAME}"), &list);
        let label = if round < FAILPOINTS.len() * 8 {
            let point = FAILPOINTS[round % FAILPOINTS.len()];
            let status = watch(w.path(), Some(point)).status().unwrap();
            assert!(!status.success(), "failpoint {point} was not reached");
            deterministic += 1;
            format!("round {round}, failpoint {point}")
        } else {
            let delay = rng.random_range(0..span.max(1));
            let mut child = watch(w.path(), None).spawn().unwrap();
            std::thread::sleep(Duration::from_micros(delay));
            let _ = child.kill();
            child.wait().unwrap();
            format!("round {round}, SIGKILL after {delay} µs")
        };
        kills += 1;
        // Half the time the same list arrives again under another name
        // before the restart.
        let copy = round % 2 == 1;
        if copy {
            w.write("hot/inbox/copy.csv", &list);
        }
        let status = watch(w.path(), None).status().unwrap();
        assert!(status.success(), "{label}: the restart failed");
        // A second restart changes nothing.
        assert!(watch(w.path(), None).status().unwrap().success(), "{label}");
        check_invariants(&w, &list, copy, &label);
    }
    assert_eq!(kills, 200);
    assert_eq!(deterministic, 72);
}

/// A list whose processing kills the watcher each time (a workbook that
/// exhausts the memory, say) is tried again after one crash, but after a
/// second it goes to `failed/` with why, and the folder moves on.
#[test]
fn a_list_that_stopped_the_watcher_twice_goes_to_failed() {
    let list = list();
    let w = Workdir::new();
    w.write(&format!("hot/inbox/{LIST_NAME}"), &list);
    for _ in 0..2 {
        let status = watch(w.path(), Some("validated")).status().unwrap();
        assert!(!status.success(), "the failpoint stops it");
    }
    assert_eq!(w.files("hot/.processing").len(), 1, "claimed, not done");
    w.write("hot/inbox/next-2024-01.csv", common::generated_list(5, 9));
    assert!(watch(w.path(), None).status().unwrap().success());
    let failed = w.files("hot/failed");
    assert_eq!(
        failed,
        vec![LIST_NAME.to_owned(), format!("{LIST_NAME}.error.txt")]
    );
    let report = w.read(&format!("hot/failed/{LIST_NAME}.error.txt"));
    assert!(
        report.contains("stopped disburse 2 times") && report.contains("dừng 2 lần"),
        "{report}"
    );
    assert_eq!(
        std::fs::read(w.join(&format!("hot/failed/{LIST_NAME}"))).unwrap(),
        list
    );
    // The next list was paid; nothing of the first.
    assert_eq!(w.files("hot/archive").len(), 1);
    assert!(w.files("hot/archive")[0].ends_with("-next-2024-01.csv"));
    let payments: i64 = rusqlite::Connection::open(w.join("hot/ledger.sqlite"))
        .unwrap()
        .query_row("SELECT count(*) FROM payments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(payments, 5);
    assert!(w.files("hot/.processing").is_empty());
    assert!(w.files("hot/.starts").is_empty());

    // One crash only: the restart pays the list.
    let w = Workdir::new();
    w.write(&format!("hot/inbox/{LIST_NAME}"), &list);
    assert!(
        !watch(w.path(), Some("validated"))
            .status()
            .unwrap()
            .success()
    );
    assert!(watch(w.path(), None).status().unwrap().success());
    check_invariants(&w, &list, false, "one crash");
    assert!(w.files("hot/.starts").is_empty());
}
