//! The same list saved by an old Windows machine (Windows-1258) or typed
//! with the old font encodings (TCVN3, VNI) pays exactly what the UTF-8 list
//! pays, with the encoding found without being told, whether the header is
//! Vietnamese or English. The legacy files are produced here from the same
//! text; the legacy tables themselves are checked against independent
//! converters (glibc's iconv for TCVN3, the `vietnamese` PyPI package's
//! tables for both). It guards against a legacy encoding garbling a name
//! or an amount.

mod common;

use common::{Workdir, csv_records, manifest, strip_ids, to_legacy, to_windows_1258};

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

/// A list marked as UTF-8 by its byte order mark, with a byte another
/// program damaged: the message names the row and the byte, and nothing
/// is written.
#[test]
fn a_list_marked_utf8_with_a_bad_byte_names_its_row() {
    let w = Workdir::new();
    let mut list = "\u{feff}name,account_number,bank,amount\n"
        .as_bytes()
        .to_vec();
    list.extend_from_slice("Nguyễn Văn A,8507205000001,Agribank,360000\n".as_bytes());
    // `L` is fine; the damaged character starts one byte after it.
    let bad = list.len() + 1;
    list.extend_from_slice(b"L\xea Th\xff,8507205000002,Agribank,360000\n");
    w.write("list.csv", &list);
    let out = w.run(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(
        out.stderr.contains(&format!(
            "`list.csv` is marked as UTF-8 but row 3 is not UTF-8 text (byte {} of the file)",
            bad
        )),
        "{}",
        out.stderr
    );
    assert!(!w.join("batch").exists());
}

/// The generated list with English headers, so that only the names can
/// tell the encoding.
fn english_header(text: &str) -> String {
    let (_, rest) = text.split_once('\n').unwrap();
    format!(
        "no,code,name,birth_date,sex,citizen_id,commune,category,coefficient,amount,account_number,bank,note\r\n{rest}"
    )
}

#[test]
fn tcvn3_and_vni_lists_are_recognised_and_pay_what_the_utf8_list_pays() {
    let w = Workdir::new();
    let text = list_text();
    w.write("utf8.csv", &text);
    w.ok(&["run", "utf8.csv", "--period", "2024-01", "--out", "utf8"]);
    // Compared without case: TCVN3 cannot say whether a toned letter is a
    // capital (the bank files, in upper-case ASCII, are the same anyway).
    let payments = |dir: &str| -> Vec<Vec<String>> {
        csv_records(&w.join(dir).join("accepted.csv"))
            .into_iter()
            .map(|r| r[..10].iter().map(|c| c.to_lowercase()).collect())
            .collect()
    };
    let expected = payments("utf8");
    assert!(expected.len() > 30);
    for (encoding, manifest_name) in [("tcvn3", "tcvn3"), ("vni", "vni")] {
        for (variant, list) in [("vi", text.clone()), ("en", english_header(&text))] {
            let bytes = to_legacy(&list, encoding);
            assert!(
                std::str::from_utf8(&bytes).is_err(),
                "the {encoding} file is not UTF-8"
            );
            let name = format!("{encoding}-{variant}.csv");
            w.write(&name, &bytes);
            let out = format!("{encoding}-{variant}");
            w.ok(&["run", &name, "--period", "2024-01", "--out", &out]);
            assert_eq!(
                manifest(&w.join(&out))["input"]["encoding"],
                manifest_name,
                "{name}"
            );
            assert_eq!(payments(&out), expected, "{name}");
            for f in w.files("utf8/banks") {
                assert_eq!(
                    strip_ids(&w.read(&format!("utf8/banks/{f}"))),
                    strip_ids(&w.read(&format!("{out}/banks/{f}"))),
                    "{name}: {f}"
                );
            }
        }
    }
    // Told the encoding, the reader uses it.
    w.ok(&[
        "run",
        "vni-vi.csv",
        "--period",
        "2024-01",
        "--out",
        "forced",
        "--encoding",
        "vni",
    ]);
    assert_eq!(payments("forced"), expected);
}

/// Runs the oracle script, which prints `encoding<TAB>hex bytes<TAB>char`
/// for every letter of the other converters' tables.
fn oracle() -> Vec<(String, Vec<u8>, char)> {
    let out = std::process::Command::new("python3")
        .arg(common::repo_file("scripts/legacy-oracle.py"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the oracle failed (pip install vietnamese==0.0.8; iconv from glibc): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut cells = l.split('\t');
            let encoding = cells.next().unwrap().to_owned();
            let hex = cells.next().unwrap();
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            let c = cells.next().unwrap().chars().next().unwrap();
            (encoding, bytes, c)
        })
        .collect()
}

#[test]
#[ignore = "needs the oracle converters: run scripts/test.sh"]
fn the_legacy_tables_agree_with_independent_converters() {
    use disburse::ingest::legacy::{decode_tcvn3, decode_vni, table};
    let oracle = oracle();
    let mut checked = std::collections::BTreeMap::<&str, usize>::new();
    for (encoding, bytes, c) in &oracle {
        let decoded = match encoding.as_str() {
            "iconv-tcvn" | "pypi-tcvn3" => decode_tcvn3(bytes),
            "pypi-vni" => decode_vni(bytes),
            other => panic!("unknown oracle line {other}"),
        };
        assert_eq!(
            decoded.as_deref(),
            Some(c.to_string().as_str()),
            "{encoding} says {bytes:02X?} is {c}"
        );
        *checked.entry(encoding.as_str()).or_default() += 1;
    }
    // Every letter of both tables was vouched for by an oracle.
    assert!(
        checked["iconv-tcvn"] >= table("tcvn3").len() - 1,
        "{checked:?}"
    );
    assert!(checked["pypi-tcvn3"] >= 67, "{checked:?}");
    assert!(checked["pypi-vni"] >= 130, "{checked:?}");
    let vouched: std::collections::HashSet<(String, Vec<u8>)> = oracle
        .iter()
        .map(|(e, b, _)| {
            (
                e.replace("iconv-tcvn", "tcvn3").replace("pypi-", ""),
                b.clone(),
            )
        })
        .collect();
    for name in ["tcvn3", "vni"] {
        for (bytes, c) in table(name) {
            assert!(
                vouched.contains(&(name.to_owned(), bytes.clone())),
                "no oracle vouches for {name} {bytes:02X?} = {c}"
            );
        }
    }
}
