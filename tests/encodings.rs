//! The same list saved by an old Windows machine (Windows-1258) pays exactly
//! what the UTF-8 list pays. The legacy file is produced here from the same
//! text. See: issue 3.

mod common;

use common::{Workdir, csv_records, manifest, strip_ids, to_windows_1258};

fn list_text() -> String {
    let bytes = common::generated_list(40, 3);
    String::from_utf8(bytes)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_owned()
}

#[test]
fn a_windows_1258_list_pays_what_the_utf8_list_pays() {
    let w = Workdir::new();
    let text = list_text();
    w.write("utf8.csv", &text);
    let legacy = to_windows_1258(&text);
    assert!(
        std::str::from_utf8(&legacy).is_err(),
        "the legacy file is not UTF-8"
    );
    w.write("cp1258.csv", &legacy);
    w.ok(&["run", "utf8.csv", "--period", "2024-01", "--out", "a"]);
    w.ok(&["run", "cp1258.csv", "--period", "2024-01", "--out", "b"]);
    w.ok(&[
        "run",
        "cp1258.csv",
        "--period",
        "2024-01",
        "--out",
        "c",
        "--encoding",
        "windows-1258",
    ]);
    assert_eq!(manifest(&w.join("b"))["input"]["encoding"], "windows1258");
    let payments = |dir: &str| -> Vec<Vec<String>> {
        csv_records(&w.join(dir).join("accepted.csv"))
            .into_iter()
            .map(|r| r[..10].to_vec())
            .collect()
    };
    assert_eq!(payments("a"), payments("b"));
    assert_eq!(payments("a"), payments("c"));
    // Names come back in NFC, exactly as in the UTF-8 list.
    let names_a = w.read("a/accepted.csv");
    let names_b = w.read("b/accepted.csv");
    assert_eq!(names_a, names_b);
    for f in w.files("a/banks") {
        assert_eq!(
            strip_ids(&w.read(&format!("a/banks/{f}"))),
            strip_ids(&w.read(&format!("b/banks/{f}"))),
            "{f}"
        );
    }
}

#[test]
fn an_undecodable_file_names_the_encodings_tried() {
    let w = Workdir::new();
    w.write(
        "list.csv",
        b"name,account_number,bank,amount\n\x81\x8d\x8e,1,2,3\n",
    );
    let out = w.run(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(
        out.stderr
            .contains("tried UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1258"),
        "{}",
        out.stderr
    );
    assert!(!w.join("batch").exists());
}
