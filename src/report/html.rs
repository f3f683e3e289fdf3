//! `report.html`: the batch on one page for the treasury officer who
//! approves it. Self-contained (no script, font or image fetched: it opens
//! from a USB stick), Vietnamese with an English toggle (a checkbox and CSS,
//! no JavaScript), charts drawn here as inline SVG, laid out for A4 when
//! printed, with the treasury form's signature block. Every value from the
//! input is escaped; the figures carry `data-*` attributes so that tests
//! (and scripts) can read them back.

use std::fmt::Write as _;
use std::io::Write;

use quick_xml::escape::escape;

use crate::cells::format_vnd;
use crate::prepared::Prepared;
use crate::reference::Field;
use crate::validate::{Code, Severity};
use crate::write::manifest::FileEntry;

/// Rows listed in the page's rejected and warning tables; the CSVs hold all.
const LISTED: usize = 1000;
/// Bars in a chart; the rest are summed as "other".
const BARS: usize = 12;

pub(crate) const STYLE: &str = r#"
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d5dae0; --ok: #1a7f37; --bad: #b42318; --bar: #2f6fba; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink); background: #f4f6f8; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 22px; margin: 4px 0 2px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.office { text-transform: uppercase; font-weight: 600; color: var(--muted); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; word-break: break-all; }
.verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; margin: 16px 0; }
.verdict.ok { background: #e7f5ec; color: var(--ok); border: 1px solid #a6d8b5; }
.verdict.bad { background: #fdecea; color: var(--bad); border: 1px solid #f1b0a9; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .count { font-size: 20px; font-weight: 700; }
.card .amount { font-size: 15px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.note { color: var(--muted); font-size: 12px; }
svg text { font: 11px "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; fill: var(--ink); }
svg .bar { fill: var(--bar); }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.signatures { display: grid; grid-template-columns: repeat(3, 1fr); text-align: center; margin-top: 36px; gap: 12px; }
.signatures .role { font-weight: 700; text-transform: uppercase; }
.signatures .sign { color: var(--muted); font-style: italic; height: 90px; }
.date-line { text-align: right; font-style: italic; margin-top: 28px; }
.toggle { position: fixed; top: 10px; right: 14px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; font-size: 13px; }
#lang-en:checked ~ main .vi, #lang-en:not(:checked) ~ main .en { display: none; }
#lang-en { position: fixed; top: 16px; right: 120px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .toggle, #lang-en { display: none; }
  h2 { break-after: avoid; }
  tr, .card, svg, .signatures { break-inside: avoid; }
  .cards { grid-template-columns: repeat(4, 1fr); }
}
"#;

/// Text in both languages; the page shows one.
pub(crate) fn both(vi: &str, en: &str) -> String {
    format!(
        r#"<span class="vi">{}</span><span class="en">{}</span>"#,
        escape(vi),
        escape(en)
    )
}

pub(crate) fn money(vnd: i64) -> String {
    format!("{} đ", format_vnd(vnd))
}

/// The start of a page: document head, style, language toggle, office and
/// title.
pub(crate) fn page_start(h: &mut String, title: &str, office: &str, heading: &str) {
    let _ = writeln!(
        h,
        r#"<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{}</title>
<style>{STYLE}</style>
</head>
<body>
<input type="checkbox" id="lang-en" aria-label="English"><label class="toggle" for="lang-en">Tiếng Việt / English</label>
<main>
<div class="office">{}</div>
<h1>{heading}</h1>"#,
        escape(title),
        escape(office),
    );
}

/// The signature block of treasury forms, a note, and the end of the page.
pub(crate) fn signatures_and_end(h: &mut String, note: &str, id: &str) {
    let _ = writeln!(
        h,
        r#"<p class="date-line">{}</p>
<div class="signatures">
<div><div class="role">{}</div><div class="sign">{}</div></div>
<div><div class="role">{}</div><div class="sign">{}</div></div>
<div><div class="role">{}</div><div class="sign">{}</div></div>
</div>
<p class="note">{note} {} · disburse {}</p>
</main>
</body>
</html>"#,
        both(
            "......., ngày ..... tháng ..... năm .......",
            "......., date ..........................",
        ),
        both("Người lập biểu", "Prepared by"),
        both("(Ký, ghi rõ họ tên)", "(signature, full name)"),
        both("Kế toán trưởng", "Chief accountant"),
        both("(Ký, ghi rõ họ tên)", "(signature, full name)"),
        both("Thủ trưởng đơn vị", "Head of unit"),
        both(
            "(Ký, ghi rõ họ tên, đóng dấu)",
            "(signature, full name, seal)"
        ),
        escape(id),
        env!("CARGO_PKG_VERSION"),
    );
}

/// A horizontal bar chart of amounts, in SVG.
fn chart(out: &mut String, id: &str, bars: &[(String, i64)]) {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (200.0, 240.0, 24.0);
    let height = row_h * bars.len().max(1) as f64 + 8.0;
    let _ = write!(
        out,
        r#"<svg id="{id}" role="img" style="width:100%;max-width:560px" viewBox="0 0 560 {height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        // Widths from integer đồng: the ratio is drawn, never computed on money.
        let width = (*value as f64 / max as f64 * bar_w).max(1.0);
        let short: String = if label.chars().count() > 30 {
            label.chars().take(29).chain(['…']).collect()
        } else {
            label.clone()
        };
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text><rect class="bar" x="{}" y="{}" width="{width:.1}" height="{}" rx="2"/><text x="{}" y="{}">{}</text>"#,
            label_w - 6.0,
            y + 15.0,
            escape(&short),
            label_w,
            y + 3.0,
            row_h - 8.0,
            label_w + width + 6.0,
            y + 15.0,
            escape(money(*value)),
        );
    }
    out.push_str("</svg>");
}

/// The accepted amounts summed per commune and per category, as written
/// (trimmed), in one pass over the payments: a national batch has millions.
fn sums(result: &Prepared) -> [Vec<(String, i64)>; 2] {
    use rayon::prelude::*;
    type Sums<'t> = [rustc_hash::FxHashMap<&'t str, i64>; 2];
    let fields = [Field::Commune, Field::Category];
    let sums: Sums<'_> = result
        .batches
        .par_iter()
        .flat_map(|b| b.payments.par_iter())
        .fold(Sums::default, |mut sums, p| {
            let row = result.table.row(result.candidates[p.candidate()].index());
            for (sums, field) in sums.iter_mut().zip(fields) {
                *sums.entry(row.get(field).trim()).or_default() += p.amount(&result.candidates);
            }
            sums
        })
        .reduce(Sums::default, |mut a, b| {
            for (a, b) in a.iter_mut().zip(b) {
                for (k, v) in b {
                    *a.entry(k).or_default() += v;
                }
            }
            a
        });
    sums.map(|sums| bars(sums, "Khác / Other"))
}

/// The largest sums as bars, largest first; beyond [`BARS`], the rest in
/// one bar named `other`.
fn bars(sums: rustc_hash::FxHashMap<&str, i64>, other: &str) -> Vec<(String, i64)> {
    let mut bars: Vec<(String, i64)> = sums
        .into_iter()
        .map(|(k, v)| {
            (
                if k.is_empty() {
                    "—".to_owned()
                } else {
                    k.to_owned()
                },
                v,
            )
        })
        .collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if bars.len() > BARS {
        let rest: i64 = bars[BARS - 1..].iter().map(|b| b.1).sum();
        bars.truncate(BARS - 1);
        bars.push((other.to_owned(), rest));
    }
    bars
}

/// The page's per-commune and per-category charts: sums over every
/// payment, worked out while the bank files are written (the page itself
/// waits for their sha256).
pub struct Charts {
    communes: Vec<(String, i64)>,
    categories: Vec<(String, i64)>,
}

impl Charts {
    /// Sums the accepted amounts per commune and per category.
    pub fn new(result: &Prepared) -> Charts {
        let [communes, categories] = sums(result);
        Charts {
            communes,
            categories,
        }
    }
}

/// Writes `report.html`. `files` are the batch's bank files as written.
pub fn write(
    out: &mut dyn Write,
    result: &Prepared,
    files: &[FileEntry],
    charts: &Charts,
) -> std::io::Result<()> {
    let t = &result.totals;
    let config = &result.config;
    let mut h = String::with_capacity(64 * 1024);
    let period = result.period.to_string();
    let (year, month) = period.split_once('-').unwrap_or((&period, ""));
    page_start(
        &mut h,
        &format!("Đối chiếu chi trả {period} — {}", result.batch_id),
        &config.office.name,
        &both(
            &format!("BẢNG ĐỐI CHIẾU CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG {month}/{year}"),
            &format!("Reconciliation of social assistance payments, {period}"),
        ),
    );
    let input = &result.table;
    let _ = writeln!(
        h,
        r#"<dl class="meta">
<dt>{}</dt><dd data-field="batch_id">{}</dd>
<dt>{}</dt><dd data-field="period">{}</dd>
<dt>{}</dt><dd>{}</dd>
<dt>{}</dt><dd>{}</dd>
<dt>{}</dt><dd data-field="input_file">{}</dd>
<dt>sha256</dt><dd class="mono" data-field="input_sha256">{}</dd>
</dl>"#,
        both("Mã lô", "Batch"),
        escape(&result.batch_id),
        both("Tháng chi trả", "Month paid"),
        escape(&period),
        both("Ngày lập", "Made on"),
        escape(result.created.format("%d/%m/%Y %H:%M").to_string()),
        both("Ngày chi trả yêu cầu", "Requested execution"),
        escape(
            config
                .execution_date(result.period)
                .format("%d/%m/%Y")
                .to_string()
        ),
        both("Tệp danh sách", "Input file"),
        escape(&input.file_name),
        escape(&input.sha256),
    );

    // The verdict: nothing lost, the money adds up, the office's total agrees.
    let files_vnd: i64 = result.batches.iter().map(|b| b.total).sum();
    let files_rows: usize = result.batches.iter().map(|b| b.payments.len()).sum();
    let rows_ok = t.accepted + t.rejected == t.rows;
    let files_ok = files_vnd == t.accepted_vnd && files_rows == t.accepted;
    let declared_ok = t.adds_up().unwrap_or(true);
    let (class, vi, en) = if rows_ok && files_ok && declared_ok {
        (
            "ok",
            "Khớp: mọi dòng đều được chi trả hoặc bị từ chối có lý do; tổng các tệp ngân hàng bằng tổng được chấp nhận.".to_owned(),
            "Reconciled: every row is paid or rejected with a reason; the bank files add up to the accepted total.".to_owned(),
        )
    } else if !declared_ok {
        let diff = t.rows_vnd() - t.declared_vnd.unwrap_or(0);
        (
            "bad",
            format!(
                "KHÔNG KHỚP với dòng Tổng cộng của danh sách: chênh lệch {}. Đề nghị đơn vị kiểm tra lại trước khi duyệt.",
                money(diff)
            ),
            format!(
                "DOES NOT MATCH the list's totals row: difference {}. Ask the office to check before approving.",
                money(diff)
            ),
        )
    } else {
        (
            "bad",
            "KHÔNG KHỚP: số dòng hoặc tổng tiền các tệp ngân hàng không khớp. Không duyệt; báo bộ phận kỹ thuật.".to_owned(),
            "NOT RECONCILED: rows or bank-file totals do not add up. Do not approve; tell the technical staff.".to_owned(),
        )
    };
    let _ = writeln!(
        h,
        r#"<div class="verdict {class}" data-check="{}">{}</div>"#,
        if class == "ok" { "ok" } else { "failed" },
        both(&vi, &en)
    );

    // Headline figures.
    let card = |h: &mut String, vi: &str, en: &str, key: &str, count: usize, vnd: Option<i64>| {
        let _ = write!(
            h,
            r#"<div class="card"><div class="label">{}</div><div class="count" data-total="{key}" data-value="{count}">{}</div>{}</div>"#,
            both(vi, en),
            format_vnd(count as i64),
            match vnd {
                Some(v) => format!(
                    r#"<div class="amount" data-total="{key}_vnd" data-value="{v}">{}</div>"#,
                    money(v)
                ),
                None => String::new(),
            }
        );
    };
    h.push_str(r#"<h2>"#);
    h.push_str(&both("Tổng hợp", "Summary"));
    h.push_str("</h2>\n<div class=\"cards\">");
    card(
        &mut h,
        "Số dòng trong danh sách",
        "Rows in the list",
        "rows",
        t.rows,
        Some(t.rows_vnd()),
    );
    card(
        &mut h,
        "Được chi trả",
        "Paid",
        "accepted",
        t.accepted,
        Some(t.accepted_vnd),
    );
    card(
        &mut h,
        "Bị từ chối",
        "Rejected",
        "rejected",
        t.rejected,
        Some(t.rejected_vnd),
    );
    card(
        &mut h,
        "Cần xem lại (cảnh báo)",
        "To review (warnings)",
        "warned",
        t.warned,
        None,
    );
    h.push_str("</div>\n");
    if let Some(declared) = t.declared_vnd {
        let _ = writeln!(
            h,
            r#"<p>{} <strong data-total="declared_vnd" data-value="{declared}">{}</strong>; {} <strong data-total="difference_vnd" data-value="{}">{}</strong></p>"#,
            both(
                "Tổng cộng do đơn vị ghi trên danh sách:",
                "Total declared on the list:"
            ),
            money(declared),
            both("chênh lệch", "difference"),
            t.rows_vnd() - declared,
            money(t.rows_vnd() - declared),
        );
    }

    // Per bank.
    let _ = writeln!(
        h,
        r#"<h2>{}</h2>
<table id="banks"><thead><tr><th>BIN</th><th>{}</th><th class="num">{}</th><th class="num">{}</th><th>{}</th></tr></thead><tbody>"#,
        both("Theo ngân hàng nhận", "Per receiving bank"),
        both("Ngân hàng", "Bank"),
        both("Số món", "Payments"),
        both("Số tiền", "Amount"),
        both("Tệp gửi ngân hàng và sha256", "Bank file and sha256"),
    );
    for b in &result.batches {
        let path = format!("banks/{}", b.file_name());
        let sha = files
            .iter()
            .find(|f| f.path == path)
            .map_or("", |f| f.sha256.as_str());
        let _ = writeln!(
            h,
            r#"<tr data-bank="{}"><td>{}</td><td>{}</td><td class="num" data-value="{}">{}</td><td class="num" data-value="{}">{}</td><td>{}<br><span class="mono">{}</span></td></tr>"#,
            escape(&b.bank.bin),
            escape(&b.bank.bin),
            escape(&b.bank.short_name),
            b.payments.len(),
            format_vnd(b.payments.len() as i64),
            b.total,
            money(b.total),
            escape(&path),
            escape(sha),
        );
    }
    let _ = writeln!(
        h,
        r#"<tr class="total"><td></td><td>{}</td><td class="num" data-total="bank_files" data-value="{files_rows}">{}</td><td class="num" data-total="bank_files_vnd" data-value="{files_vnd}">{}</td><td></td></tr>
</tbody></table>"#,
        both("Cộng", "Total"),
        format_vnd(files_rows as i64),
        money(files_vnd),
    );

    // Charts.
    let banks: Vec<(String, i64)> = result
        .batches
        .iter()
        .map(|b| (b.bank.short_name.clone(), b.total))
        .collect();
    h.push_str("<h2>");
    h.push_str(&both("Biểu đồ", "Charts"));
    h.push_str("</h2>\n<h3>");
    h.push_str(&both("Số tiền theo ngân hàng", "Amount per bank"));
    h.push_str("</h3>\n");
    chart(&mut h, "chart-banks", &banks);
    h.push_str("\n<div class=\"charts\"><div><h3>");
    h.push_str(&both("Theo xã/phường", "Per commune"));
    h.push_str("</h3>");
    chart(&mut h, "chart-communes", &charts.communes);
    h.push_str("</div><div><h3>");
    h.push_str(&both("Theo đối tượng", "Per category"));
    h.push_str("</h3>");
    chart(&mut h, "chart-categories", &charts.categories);
    h.push_str("</div></div>\n");

    // Rejected rows.
    let rejected: Vec<_> = result.candidates.iter().filter(|c| c.rejected).collect();
    let _ = writeln!(
        h,
        r#"<h2>{} ({})</h2>"#,
        both("Các dòng bị từ chối", "Rejected rows"),
        rejected.len()
    );
    if rejected.is_empty() {
        h.push_str("<p>");
        h.push_str(&both("Không có.", "None."));
        h.push_str("</p>\n");
    } else {
        let _ = writeln!(
            h,
            r#"<table id="rejected"><thead><tr><th class="num">{}</th><th>{}</th><th>{}</th><th>{}</th><th class="num">{}</th></tr></thead><tbody>"#,
            both("Dòng", "Row"),
            both("Họ tên", "Name"),
            both("Lý do", "Reason"),
            both("Đề nghị đơn vị", "Ask the office to"),
            both("Số tiền", "Amount"),
        );
        for c in rejected.iter().take(LISTED) {
            let mut codes: Vec<Code> = c.diagnostics.iter().map(|d| d.code).collect();
            codes.sort();
            codes.dedup();
            let reasons: Vec<String> = codes
                .iter()
                .map(|code| {
                    let (vi, en) = code.title();
                    format!("<b>{}</b> {}", code.as_str(), both(vi, en))
                })
                .collect();
            let fixes: Vec<String> = codes.iter().map(|c| both(c.fix_vi(), c.fix())).collect();
            let _ = writeln!(
                h,
                r#"<tr><td class="num">{}</td><td>{}</td><td>{}<div class="note">{}</div></td><td>{}</td><td class="num">{}</td></tr>"#,
                c.row,
                escape(&c.name),
                reasons.join("<br>"),
                escape(c.messages()),
                fixes.join("<br>"),
                c.amount.map(money).unwrap_or_default(),
            );
        }
        h.push_str("</tbody></table>\n");
        if rejected.len() > LISTED {
            let _ = writeln!(
                h,
                r#"<p class="note">{}</p>"#,
                both(
                    &format!("Chỉ hiện {LISTED} dòng đầu; danh sách đầy đủ trong rejected.csv."),
                    &format!("The first {LISTED} are shown; rejected.csv has them all."),
                )
            );
        }
    }

    // Warnings on paid rows.
    let warned: Vec<_> = result
        .candidates
        .iter()
        .filter(|c| !c.rejected && !c.diagnostics.is_empty())
        .collect();
    let _ = writeln!(
        h,
        r#"<h2>{} ({})</h2>"#,
        both("Các dòng được chi trả cần xem lại", "Paid rows to review"),
        warned.len()
    );
    if warned.is_empty() {
        h.push_str("<p>");
        h.push_str(&both("Không có.", "None."));
        h.push_str("</p>\n");
    } else {
        let _ = writeln!(
            h,
            r#"<table id="warnings"><thead><tr><th class="num">{}</th><th>{}</th><th>{}</th><th class="num">{}</th></tr></thead><tbody>"#,
            both("Dòng", "Row"),
            both("Họ tên", "Name"),
            both("Cần xem", "To review"),
            both("Số tiền", "Amount"),
        );
        for c in warned.iter().take(LISTED) {
            let notes: Vec<String> = c
                .diagnostics
                .iter()
                .filter(|d| config.severity(d.code) == Severity::Warn)
                .map(|d| {
                    let (vi, en) = d.code.title();
                    format!(
                        "<b>{}</b> {}<div class=\"note\">{}</div>",
                        d.code.as_str(),
                        both(vi, en),
                        escape(&d.message)
                    )
                })
                .collect();
            let _ = writeln!(
                h,
                r#"<tr><td class="num">{}</td><td>{}</td><td>{}</td><td class="num">{}</td></tr>"#,
                c.row,
                escape(&c.name),
                notes.join(""),
                c.amount.map(money).unwrap_or_default(),
            );
        }
        h.push_str("</tbody></table>\n");
    }

    signatures_and_end(
        &mut h,
        &both(
            "Số liệu lấy từ manifest.json của lô; sha256 của từng tệp cho phép kiểm tra tệp không bị sửa.",
            "Figures from the batch's manifest.json; each file's sha256 shows it was not changed.",
        ),
        &result.batch_id,
    );
    out.write_all(h.as_bytes())
}
