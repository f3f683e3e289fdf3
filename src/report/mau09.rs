//! Mẫu 09, "Bảng thanh toán cho đối tượng thụ hưởng" (Annex II of Decree
//! 11/2020/NĐ-CP): the payment table the treasury checks against the
//! withdrawal form, as `treasury/mau-09.xlsx` and a printable page
//! `treasury/mau-09.html`. One line per payment, bank by bank (each with
//! its subtotal, so that each part is checked against that bank's file),
//! the total in figures and in Vietnamese words, and the signature block.
//! Its total is the accepted total and the bank files' total.
//!
//! A batch of more payments than `[treasury] mau_09_max_lines` (50,000 by
//! default: no paying unit prints and signs more) gets the form with each
//! bank's count and total only, and says where its lines are
//! (`accepted.csv`); the summary, report and manifest say so too.

use std::fmt::Write as _;
use std::io::Write;

use quick_xml::escape::escape;
use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};

use super::page::{STYLE, money};
use super::words::vnd_in_words;
use crate::prepared::Prepared;

type XlsxResult<T> = Result<T, rust_xlsxwriter::XlsxError>;

/// Lines on one sheet (Excel holds 1,048,576 rows). A larger batch
/// continues on further sheets, which are filled in parallel: a national
/// batch's form is written in a fraction of the time one sheet would take.
const LINES_PER_SHEET: usize = 250_000;

/// One line of the form: a payment (bank batch, payment, its number), or
/// a bank's subtotal.
#[derive(Clone, Copy)]
enum Line {
    Payment(u32, u32, u64),
    Subtotal(u32),
}

/// Whether the form lists every payment (else each bank's count and
/// total).
pub fn itemised(result: &Prepared) -> bool {
    result.totals.accepted <= result.config.treasury.mau_09_max_lines
}

/// The line saying where the payments are, on a form that lists banks only.
fn lines_elsewhere(result: &Prepared) -> String {
    format!(
        "Danh sách {} khoản chi chi tiết: accepted.csv của lô (biểu mẫu liệt kê tối đa {} dòng; [treasury] mau_09_max_lines)",
        result.totals.accepted, result.config.treasury.mau_09_max_lines
    )
}

/// The form's content column for a payment: the office's wording and the
/// month, with the beneficiary's category.
fn content(result: &Prepared, category: &str) -> String {
    let mut text = format!(
        "{} tháng {}",
        result.config.payment.remittance,
        result.period.slashed()
    );
    if !category.trim().is_empty() {
        text.push_str(" - ");
        text.push_str(category.trim());
    }
    text
}

/// The heading lines: unit, form number, title, month.
fn heading(result: &Prepared) -> [String; 6] {
    let period = result.period.to_string();
    let (year, month) = period.split_once('-').unwrap_or((&period, ""));
    [
        format!("Đơn vị: {}", result.config.office.name),
        format!("Mã đơn vị: {}", result.config.office.code),
        "Mẫu số 09".to_owned(),
        "(Ban hành kèm theo Nghị định số 11/2020/NĐ-CP ngày 20 tháng 01 năm 2020 của Chính phủ)"
            .to_owned(),
        "BẢNG THANH TOÁN CHO ĐỐI TƯỢNG THỤ HƯỞNG".to_owned(),
        format!("Tháng {month} năm {year}"),
    ]
}

/// The columns' headers.
const COLUMNS: [(&str, f64); 6] = [
    ("STT", 7.0),
    ("Họ và tên", 30.0),
    ("Số tài khoản", 20.0),
    ("Tại ngân hàng", 18.0),
    ("Số tiền (đồng)", 16.0),
    ("Nội dung", 48.0),
];

/// The signatures: role, then what is written under it.
const SIGNATURES: [(&str, &str); 3] = [
    ("Người lập biểu", "(Ký, ghi rõ họ tên)"),
    ("Kế toán trưởng", "(Ký, ghi rõ họ tên)"),
    ("Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên, đóng dấu)"),
];

/// Writes `treasury/mau-09.xlsx`.
pub fn write_workbook(out: &mut (dyn Write + Send), result: &Prepared) -> std::io::Result<()> {
    let bytes = workbook(result).map_err(std::io::Error::other)?;
    out.write_all(&bytes)
}

fn workbook(result: &Prepared) -> XlsxResult<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    book.set_properties(
        &super::workbook::properties(Some(result.created))?
            .set_title(format!("Mẫu 09 {}", result.batch_id))
            .set_author(result.config.office.name.clone()),
    );
    let mut lines = Vec::new();
    let mut stt = 0u64;
    let itemised = itemised(result);
    for (b, batch) in result.batches.iter().enumerate() {
        for p in 0..batch.payments.len() {
            stt += 1;
            if itemised {
                lines.push(Line::Payment(b as u32, p as u32, stt));
            }
        }
        lines.push(Line::Subtotal(b as u32));
    }
    let chunks: Vec<&[Line]> = if lines.is_empty() {
        vec![&[]]
    } else {
        lines.chunks(LINES_PER_SHEET).collect()
    };
    let mut sheets = Vec::with_capacity(chunks.len());
    for k in 1..=chunks.len() {
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        sheet.set_name(if chunks.len() == 1 {
            "Mẫu 09".to_owned()
        } else {
            format!("Mẫu 09 ({k})")
        })?;
        sheets.push(sheet);
    }
    let last = chunks.len() - 1;
    sheets
        .par_iter_mut()
        .zip(chunks.par_iter())
        .enumerate()
        .try_for_each(|(k, (sheet, lines))| {
            fill(sheet, result, lines, (k == last).then_some(stt))
        })?;
    for sheet in sheets {
        book.push_worksheet(sheet);
    }
    book.save_to_buffer()
}

/// One sheet of the form: its heading, its lines, and on the last sheet
/// (`total` given: the payments' count) the total, in words, and the
/// signatures. Written row by row, each left to right, as constant memory
/// requires.
fn fill(
    sheet: &mut Worksheet,
    result: &Prepared,
    lines: &[Line],
    total: Option<u64>,
) -> XlsxResult<()> {
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color("DDE4EC")
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let text = Format::new().set_num_format("@");
    let amount = Format::new().set_num_format("#,##0");
    let total_money = Format::new().set_bold().set_num_format("#,##0");
    for (col, (_, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    let h = heading(result);
    sheet.write_string_with_format(0, 0, &h[0], &bold)?;
    sheet.write_string_with_format(0, 5, &h[2], &bold)?;
    sheet.write_string(1, 0, &h[1])?;
    sheet.write_string(1, 5, &h[3])?;
    sheet.write_string_with_format(3, 1, &h[4], &title)?;
    sheet.write_string(4, 1, &h[5])?;
    sheet.write_string(5, 1, format!("Lô {}", result.batch_id))?;
    for (col, (name, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(7, col as u16, *name, &header)?;
    }
    sheet.set_freeze_panes(8, 0)?;
    let mut row = 8u32;
    if !itemised(result) {
        sheet.write_string(row, 1, lines_elsewhere(result))?;
        row += 1;
    }
    for line in lines {
        match *line {
            Line::Payment(b, p, stt) => {
                let batch = &result.batches[b as usize];
                let p = &batch.payments[p as usize];
                let c = &result.candidates[p.candidate()];
                sheet.write_number(row, 0, stt as f64)?;
                sheet.write_string(row, 1, super::workbook::cell(&c.name))?;
                sheet.write_string_with_format(row, 2, p.account(&result.candidates), &text)?;
                sheet.write_string(row, 3, &batch.bank.short_name)?;
                super::workbook::write_money(sheet, row, 4, p.amount(&result.candidates), &amount)?;
                sheet.write_string(row, 5, super::workbook::cell(&content(result, &c.category)))?;
            }
            Line::Subtotal(b) => {
                let batch = &result.batches[b as usize];
                sheet.write_string_with_format(
                    row,
                    1,
                    format!("Cộng {}", batch.bank.short_name),
                    &bold,
                )?;
                sheet.write_number_with_format(row, 2, batch.payments.len() as f64, &bold)?;
                super::workbook::write_money(sheet, row, 4, batch.total, &total_money)?;
            }
        }
        row += 1;
    }
    let Some(count) = total else {
        return Ok(());
    };
    let grand: i64 = result.batches.iter().map(|b| b.total).sum();
    sheet.write_string_with_format(row, 1, "Tổng cộng", &bold)?;
    sheet.write_number_with_format(row, 2, count as f64, &bold)?;
    super::workbook::write_money(sheet, row, 4, grand, &total_money)?;
    row += 2;
    sheet.write_string(
        row,
        1,
        format!("Tổng số tiền bằng chữ: {}", vnd_in_words(grand)),
    )?;
    row += 2;
    sheet.write_string(row, 4, "......., ngày ..... tháng ..... năm .......")?;
    row += 1;
    for ((role, _), col) in SIGNATURES.iter().zip([1u16, 3, 5]) {
        sheet.write_string_with_format(row, col, *role, &bold)?;
    }
    for ((_, note), col) in SIGNATURES.iter().zip([1u16, 3, 5]) {
        sheet.write_string(row + 1, col, *note)?;
    }
    Ok(())
}

/// Writes `treasury/mau-09.html`, the page to print and sign (A4,
/// landscape), streamed: a national batch's is large.
pub fn write_page(out: &mut (dyn Write + Send), result: &Prepared) -> std::io::Result<()> {
    let h = heading(result);
    let mut head = String::with_capacity(8 * 1024);
    let _ = write!(
        head,
        r#"<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Mẫu 09 — {}</title>
<style>{STYLE}
@media print {{ @page {{ size: A4 landscape; }} }}
.form-head {{ display: grid; grid-template-columns: 1fr 1fr; }}
.form-head .right {{ text-align: center; }}
.form-title {{ text-align: center; }}
</style>
</head>
<body>
<main>
<div class="form-head"><div><b>{}</b><br>{}</div><div class="right"><b>{}</b><br><i>{}</i></div></div>
<div class="form-title"><h1>{}</h1><p>{}</p><p class="note">Lô {}</p></div>
<table>
<tr>"#,
        escape(&result.batch_id),
        escape(&h[0]),
        escape(&h[1]),
        escape(&h[2]),
        escape(&h[3]),
        escape(&h[4]),
        escape(&h[5]),
        escape(&result.batch_id),
    );
    for (name, _) in COLUMNS {
        let class = if name.starts_with("Số tiền") {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(head, "<th{class}>{}</th>", escape(name));
    }
    head.push_str("</tr>\n");
    out.write_all(head.as_bytes())?;
    let mut stt = 0u64;
    let mut grand = 0i64;
    let mut buf = String::with_capacity(1 << 16);
    let itemised = itemised(result);
    if !itemised {
        let _ = writeln!(
            buf,
            r#"<tr data-field="lines_elsewhere"><td colspan="6">{}</td></tr>"#,
            escape(lines_elsewhere(result))
        );
    }
    for b in &result.batches {
        if !itemised {
            stt += b.payments.len() as u64;
        }
        for p in b.payments.iter().filter(|_| itemised) {
            let c = &result.candidates[p.candidate()];
            stt += 1;
            let _ = writeln!(
                buf,
                r#"<tr><td class="num">{stt}</td><td>{}</td><td class="mono">{}</td><td>{}</td><td class="num">{}</td><td>{}</td></tr>"#,
                escape(c.name.as_str()),
                escape(p.account(&result.candidates)),
                escape(&b.bank.short_name),
                money(p.amount(&result.candidates)),
                escape(content(result, &c.category)),
            );
            if buf.len() > 60_000 {
                out.write_all(buf.as_bytes())?;
                buf.clear();
            }
        }
        grand += b.total;
        let _ = writeln!(
            buf,
            r#"<tr class="total"><td></td><td>Cộng {}</td><td>{} khoản</td><td></td><td class="num">{}</td><td></td></tr>"#,
            escape(&b.bank.short_name),
            b.payments.len(),
            money(b.total),
        );
    }
    let _ = write!(
        buf,
        r#"<tr class="total" data-field="total"><td></td><td>Tổng cộng</td><td>{stt} khoản</td><td></td><td class="num">{}</td><td></td></tr>
</table>
<p data-field="total_in_words"><b>Tổng số tiền bằng chữ:</b> {}</p>
<p class="date-line">......., ngày ..... tháng ..... năm .......</p>
<div class="signatures">"#,
        money(grand),
        escape(vnd_in_words(grand)),
    );
    for (role, note) in SIGNATURES {
        let _ = write!(
            buf,
            r#"<div><div class="role">{}</div><div class="sign">{}</div></div>"#,
            escape(role),
            escape(note)
        );
    }
    buf.push_str("</div>\n</main>\n</body>\n</html>\n");
    out.write_all(buf.as_bytes())
}
