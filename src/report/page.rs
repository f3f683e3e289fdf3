//! The pieces every page `disburse` writes shares: the style sheet, text in
//! both languages, amounts, the page's head and the treasury forms'
//! signature block, and the SVG bar chart. `report.html` of a batch and of
//! the banks' answers are made of them.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::cells::format_vnd;

/// The style sheet, inline: the page fetches nothing.
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

/// An amount in đồng, Vietnamese style (`1.080.000 đ`).
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
pub(crate) fn chart(out: &mut String, id: &str, bars: &[(String, i64)]) {
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
