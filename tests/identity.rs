//! A beneficiary is recognised across a month's lists by every identifier
//! they were recorded with: a supplementary list that leaves the citizen ID
//! blank, or adds an ID column the first list lacked, does not pay them
//! again; a re-issue with a corrected account on a list keyed by name is
//! the same person's next attempt; identifiers that find two people refuse
//! the row.

mod common;

use common::answers::{Original, TxStatus, pain002, sent};
use common::{Workdir, csv_records};

/// Runs `list` for 2024-01 with the ledger into `out`: (rows accepted, the
/// codes of each rejected row).
fn pay(w: &Workdir, list: &str, out: &str) -> (usize, Vec<String>) {
    common::answers::pay(w, list, out);
    let accepted = csv_records(&w.join(&format!("{out}/accepted.csv")));
    let rejected = csv_records(&w.join(&format!("{out}/rejected.csv")));
    (
        accepted.len() - 1,
        rejected[1..].iter().map(|r| r[1].clone()).collect(),
    )
}

fn rejected_messages(w: &Workdir, out: &str) -> String {
    w.read(&format!("{out}/rejected.csv"))
}

const HEADER: &str =
    "STT,Mã đối tượng,Họ và tên,Ngày sinh,Số CCCD,Số tiền,Số tài khoản,Ngân hàng\n";

#[test]
fn a_supplementary_list_that_leaves_the_id_blank_does_not_pay_again() {
    let w = Workdir::new();
    w.write(
        "first.csv",
        format!(
            "{HEADER}1,PL01,Lê Văn An,02/03/1950,019150001234,540000,8507205123456,Agribank\n\
             2,PL02,Trần Thị Bình,04/05/1951,019151001235,540000,8507205123457,Agribank\n"
        ),
    );
    assert_eq!(pay(&w, "first.csv", "b1"), (2, vec![]));
    // The same people, their ID cells blank: found by their codes.
    w.write(
        "again.csv",
        format!(
            "{HEADER}1,PL01,Lê Văn An,02/03/1950,,540000,8507205123456,Agribank\n\
             2,PL02,Trần Thị Bình,04/05/1951,,540000,8507205123457,Agribank\n\
             3,PL03,Phạm Văn Cường,06/07/1952,,540000,8507205123458,Agribank\n"
        ),
    );
    assert_eq!(
        pay(&w, "again.csv", "b2"),
        (1, vec!["ALREADY_PAID".into(), "ALREADY_PAID".into()])
    );
    assert!(
        rejected_messages(&w, "b2").contains("the same beneficiary code"),
        "{}",
        rejected_messages(&w, "b2")
    );
    // No code column either: found by name and birth date.
    w.write(
        "bare.csv",
        "STT,Họ và tên,Ngày sinh,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Lê Văn An,02/03/1950,540000,8507205999999,Agribank\n",
    );
    assert_eq!(pay(&w, "bare.csv", "b3"), (0, vec!["ALREADY_PAID".into()]));
    assert!(rejected_messages(&w, "b3").contains("the same name and birth date"));
    assert_eq!(sent(&w.join("ledger.sqlite")).len(), 3);
}

#[test]
fn a_list_that_adds_an_id_column_does_not_pay_again() {
    let w = Workdir::new();
    // No ID, no code: keyed by name, birth date and account.
    w.write(
        "first.csv",
        "STT,Họ và tên,Ngày sinh,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Lê Văn An,02/03/1950,540000,8507205123456,Agribank\n\
         2,Trần Thị Bình,,540000,8507205123457,Agribank\n",
    );
    assert_eq!(pay(&w, "first.csv", "b1"), (2, vec![]));
    w.write(
        "with-ids.csv",
        format!(
            "{HEADER}1,PL01,Lê Văn An,02/03/1950,019150001234,540000,8507205123456,Agribank\n\
             2,PL02,Trần Thị Bình,,019151001235,540000,8507205123457,Agribank\n"
        ),
    );
    // The first by name and birth date, the second (no birth date) by
    // the account it was paid into.
    assert_eq!(
        pay(&w, "with-ids.csv", "b2"),
        (0, vec!["ALREADY_PAID".into(), "ALREADY_PAID".into()])
    );
    assert!(rejected_messages(&w, "b2").contains("the same bank account"));
    assert_eq!(sent(&w.join("ledger.sqlite")).len(), 2);
}

/// Two people without IDs or codes, both rejected (account closed).
fn two_rejected(w: &Workdir) -> Vec<common::answers::Sent> {
    w.write(
        "first.csv",
        "STT,Họ và tên,Ngày sinh,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Lê Văn An,02/03/1950,540000,8507205123456,Agribank\n\
         2,Trần Thị Bình,04/05/1951,540000,8507205123457,Agribank\n",
    );
    assert_eq!(pay(w, "first.csv", "b1"), (2, vec![]));
    let payments = sent(&w.join("ledger.sqlite"));
    let all: Vec<&common::answers::Sent> = payments.iter().collect();
    let txs: Vec<TxStatus<'_>> = payments
        .iter()
        .map(|p| TxStatus {
            payment: p,
            status: "RJCT",
            reason: Some(("AC04", "TAI KHOAN DA DONG")),
            amount: None,
        })
        .collect();
    w.write(
        "a/rejected.xml",
        pain002("12", "STS-1", &Original::of(&all), ("PART", None), &txs),
    );
    w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r",
        "a/rejected.xml",
    ]);
    payments
}

#[test]
fn a_corrected_account_on_a_list_keyed_by_name_is_the_next_attempt() {
    let w = Workdir::new();
    let first = two_rejected(&w);
    w.write(
        "corrected.csv",
        "STT,Họ và tên,Ngày sinh,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Lê Văn An,02/03/1950,540000,8507205000001,Agribank\n",
    );
    assert_eq!(pay(&w, "corrected.csv", "b2"), (1, vec![]));
    let payments = sent(&w.join("ledger.sqlite"));
    assert_eq!(payments.len(), 3);
    let reissued = payments.last().unwrap();
    assert_eq!(reissued.account, "8507205000001");
    assert_eq!(
        reissued.beneficiary_key, first[0].beneficiary_key,
        "recorded as the same beneficiary"
    );
    let attempt: i64 = rusqlite::Connection::open(w.join("ledger.sqlite"))
        .unwrap()
        .query_row(
            "SELECT attempt FROM payment_details WHERE account = '8507205000001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(attempt, 2);
    // And once live, it is paid once: the same correction again is refused.
    w.write(
        "corrected-again.csv",
        "STT,Họ và tên,Ngày sinh,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Lê Văn An,02/03/1950,540000,8507205000002,Agribank\n",
    );
    assert_eq!(
        pay(&w, "corrected-again.csv", "b3"),
        (0, vec!["ALREADY_PAID".into()])
    );
}

#[test]
fn identifiers_that_find_two_people_refuse_the_row() {
    let w = Workdir::new();
    two_rejected(&w);
    // An's name and birth date, with Bình's old account.
    w.write(
        "mixed.csv",
        "STT,Họ và tên,Ngày sinh,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Lê Văn An,02/03/1950,540000,8507205123457,Agribank\n",
    );
    assert_eq!(
        pay(&w, "mixed.csv", "b2"),
        (0, vec!["IDENTITY_CONFLICT".into()])
    );
    assert_eq!(sent(&w.join("ledger.sqlite")).len(), 2);
}
