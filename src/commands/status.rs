//! `disburse status`: what was sent, what is confirmed, what failed and what
//! is still open, per batch and bank, from the ledger.

use serde::Serialize;

use crate::cells::format_vnd;
use crate::cli::{Lang, StatusArgs};
use crate::commands::{Failure, ledger_path, open_existing_ledger, print};
use crate::ledger::PaymentFilter;
use crate::returns::{Count, Tally, tally, total};
use crate::settings::RunSettings;

/// Runs the command.
pub fn run(args: &StatusArgs, lang: Lang) -> Result<(), Failure> {
    let settings = RunSettings::load(args.config.as_deref(), None)?;
    let path = ledger_path(args.ledger.as_deref(), &settings)?;
    let ledger = open_existing_ledger(&path)?;
    let period = args.period.map(|p| p.to_string());
    let filter = match (&period, &args.batch) {
        (Some(p), _) => PaymentFilter::Period(p),
        (None, Some(b)) => PaymentFilter::Batch(b),
        (None, None) => PaymentFilter::All,
    };
    let counts = ledger.status_counts(filter)?;
    let tallies = tally(&settings.reference, &counts);
    let unreleased = unreleased(&ledger, period.as_deref(), args.batch.as_deref())?;
    if args.json {
        #[derive(Serialize)]
        struct Json<'a> {
            period: Option<&'a str>,
            batch: Option<&'a str>,
            banks: &'a [Tally],
            total: Tally,
            awaiting_release: &'a [Unreleased],
        }
        let json = Json {
            period: period.as_deref(),
            batch: args.batch.as_deref(),
            banks: &tallies,
            total: total(&tallies),
            awaiting_release: &unreleased,
        };
        let text = serde_json::to_string_pretty(&json).map_err(Failure::internal)?;
        return print(&format!("{text}\n"));
    }
    let vi = lang == Lang::Vi;
    let scope = match (&period, &args.batch, vi) {
        (Some(p), _, false) => format!("period {p}"),
        (Some(p), _, true) => format!("tháng {p}"),
        (None, Some(b), false) => format!("batch {b}"),
        (None, Some(b), true) => format!("lô {b}"),
        (None, None, false) => "all periods".to_owned(),
        (None, None, true) => "mọi tháng".to_owned(),
    };
    if tallies.is_empty() {
        return print(&if vi {
            format!("sổ cái không có khoản chi nào của {scope}\n")
        } else {
            format!("no payments in the ledger for {scope}\n")
        });
    }
    let head = if vi {
        format!("các khoản chi của {scope} (sổ cái {}):", path.display())
    } else {
        format!("payments for {scope} (ledger {}):", path.display())
    };
    let mut text = format!("{head}\n{}", table(&tallies, lang));
    if !unreleased.is_empty() {
        text.push_str(if vi {
            "lô chưa được chuyển cho ngân hàng (các khoản chi của lô chưa được gửi):\n"
        } else {
            "batches not released (their payments are not sent until they are):\n"
        });
        for u in &unreleased {
            let signed: Vec<String> = u
                .signed
                .iter()
                .map(|(role, who)| format!("{} ({who})", label(role, vi)))
                .collect();
            let missing: Vec<String> = u.missing.iter().map(|r| label(r, vi)).collect();
            let (signed_word, missing_word, none) = if vi {
                ("đã ký", "còn thiếu", "chưa ai")
            } else {
                ("signed", "still to sign", "nobody")
            };
            text.push_str(&format!(
                "  {}  {signed_word}: {}; {missing_word}: {}\n",
                u.batch_id,
                if signed.is_empty() {
                    none.to_owned()
                } else {
                    signed.join(", ")
                },
                if missing.is_empty() {
                    "-".to_owned()
                } else {
                    missing.join(", ")
                },
            ));
        }
    }
    print(&text)
}

/// A role's name in the terminal's language.
fn label(role: &str, vi: bool) -> String {
    let (v, e) = crate::approval::role_label(role);
    if vi { v } else { e }
}

/// A batch that needs approval and was not released.
#[derive(Debug, Serialize)]
struct Unreleased {
    batch_id: String,
    required: Vec<String>,
    /// Role and signer of each signature recorded.
    signed: Vec<(String, String)>,
    missing: Vec<String>,
}

/// The batches in scope awaiting approval or release.
fn unreleased(
    ledger: &crate::ledger::Ledger,
    period: Option<&str>,
    batch: Option<&str>,
) -> Result<Vec<Unreleased>, Failure> {
    let mut found = Vec::new();
    for (record, _) in ledger.batches()? {
        let in_scope = match (period, batch) {
            (Some(p), _) => record.period == p,
            (None, Some(b)) => record.batch_id == b,
            (None, None) => true,
        };
        let required: Vec<String> = record.roles().map(str::to_owned).collect();
        if !in_scope
            || required.is_empty()
            || ledger.release(&record.batch_id)?.is_some()
            || ledger.void(&record.batch_id)?.is_some()
        {
            continue;
        }
        let signed: Vec<(String, String)> = ledger
            .approvals(&record.batch_id)?
            .into_iter()
            .map(|a| (a.role, a.signer))
            .collect();
        let missing = required
            .iter()
            .filter(|r| !signed.iter().any(|(s, _)| s == *r))
            .cloned()
            .collect();
        found.push(Unreleased {
            batch_id: record.batch_id,
            required,
            signed,
            missing,
        });
    }
    Ok(found)
}

/// A count as `12 · 4.320.000 đ`, or `-` for none.
fn cell(c: Count) -> String {
    if c.payments == 0 {
        "-".to_owned()
    } else {
        format!("{} · {} đ", c.payments, format_vnd(c.vnd))
    }
}

/// The tallies as an aligned table with a total line.
pub fn table(tallies: &[Tally], lang: Lang) -> String {
    let sum = total(tallies);
    let names = match lang {
        Lang::En => [
            "batch",
            "bank",
            "sent",
            "confirmed",
            "open",
            "failed",
            "returned",
            "total",
        ],
        Lang::Vi => [
            "lô",
            "ngân hàng",
            "đã gửi",
            "đã thanh toán",
            "chưa có kết quả",
            "bị từ chối",
            "bị trả lại",
            "cộng",
        ],
    };
    let mut rows = vec![
        names[..7]
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>(),
    ];
    for t in tallies.iter().chain(std::iter::once(&sum)) {
        let is_total = std::ptr::eq(t, &sum);
        rows.push(vec![
            if is_total {
                names[7].to_owned()
            } else {
                t.batch_id.clone()
            },
            if is_total {
                String::new()
            } else {
                format!("{} {}", t.bank_bin, t.bank)
            },
            cell(t.sent),
            cell(t.confirmed),
            cell(t.open),
            cell(t.failed),
            cell(t.returned),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::from("  ");
        for (c, value) in row.iter().enumerate() {
            let pad = widths[c] - value.chars().count();
            if c < 2 {
                line.push_str(value);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(value);
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
