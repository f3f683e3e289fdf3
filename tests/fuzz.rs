//! Fuzzing each reader: the CSV reader, the workbook reader and the bank
//! answers' reader get hostile bytes (random, and valid files cut,
//! spliced and with bytes flipped) and must answer with a table, a
//! result or an error, never a panic. The list readers then go through
//! validation, so that a table they accept is one the rules can take.
//!
//! CI runs the default number of cases; `scripts/fuzz.sh` runs many more
//! (`PROPTEST_CASES`).

mod common;

use common::answers::{Entry, Original, Sent, TxStatus, camt053, in_envelope, pain002};
use disburse::ingest::{ReadOptions, read_bytes};
use disburse::reference::Reference;
use disburse::returns::parse;
use proptest::prelude::*;

/// A list and a workbook to start from.
fn seeds() -> (Vec<u8>, Vec<u8>) {
    let csv = common::generated_list(8, 3);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in String::from_utf8(csv.clone()).unwrap().lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    (csv, book.save_to_buffer().unwrap())
}

/// Answers to start from: a status report, an enveloped one, a statement.
fn answer_seeds() -> Vec<String> {
    let p = Sent {
        end_to_end_id: "HUYENX202401-0123456789ABCDEF".to_owned(),
        message_id: "HUYENX-202401-AAAA0000-970405".to_owned(),
        amount_vnd: 540_000,
        bank_bin: "970405".to_owned(),
        account: "8507205000001".to_owned(),
        name: "NGUYEN VAN A".to_owned(),
        row: 2,
        beneficiary_key: "id:019069563559".to_owned(),
    };
    let report = pain002(
        "12",
        "STS-1",
        &Original::of(&[&p]),
        ("PART", None),
        &[TxStatus {
            payment: &p,
            status: "RJCT",
            reason: Some(("AC04", "DA DONG")),
            amount: Some(p.amount_vnd),
        }],
    );
    vec![
        in_envelope(&report, "pain.002.001.12"),
        report,
        camt053(
            "STMT-1",
            &[
                Entry::Booked(&p),
                Entry::Returned(&p, "MD07", "DA CHET"),
                Entry::Batch {
                    message_id: &p.message_id,
                    count: 1,
                    total: p.amount_vnd,
                },
            ],
        ),
    ]
}

/// Hostile bytes made from a seed: cut, spliced with itself, bytes
/// overwritten, or random.
fn hostile(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = seed.len();
    prop_oneof![
        (0..=len).prop_map({
            let seed = seed.clone();
            move |cut| seed[..cut].to_vec()
        }),
        (0..=len, 0..=len).prop_map({
            let seed = seed.clone();
            move |(a, b)| {
                let mut out = seed[..a].to_vec();
                out.extend_from_slice(&seed[b..]);
                out
            }
        }),
        proptest::collection::vec((0..len.max(1), any::<u8>()), 1..16).prop_map({
            let seed = seed.clone();
            move |flips| {
                let mut out = seed.clone();
                for (at, byte) in flips {
                    if let Some(b) = out.get_mut(at) {
                        *b = byte;
                    }
                }
                out
            }
        }),
        proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Reads `bytes` as a list and, when it reads, validates it.
fn read_list(name: &str, bytes: &[u8]) {
    let reference = Reference::builtin().unwrap();
    if let Ok(table) = read_bytes(name, bytes, &reference.columns, &ReadOptions::default()) {
        let settings =
            disburse::settings::RunSettings::load(None, disburse::period::Period::new(2024, 1))
                .unwrap();
        let _ = disburse::batch::prepare_table(table, &settings, None);
    }
}

proptest! {
    #[test]
    fn the_csv_reader_never_panics(bytes in hostile(seeds().0)) {
        read_list("list.csv", &bytes);
    }

    #[test]
    fn the_workbook_reader_never_panics(bytes in hostile(seeds().1)) {
        read_list("list.xlsx", &bytes);
    }

    #[test]
    fn the_answer_reader_never_panics(
        which in 0..3usize,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = answer_seeds()[which].clone().into_bytes();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let end = cut.index(bytes.len() + 1);
        let _ = parse::parse(&bytes[..end]);
        let _ = parse::sniff_namespace(&bytes[..end]);
    }
}
