//! `reconciliation.xlsx`: the batch as a workbook for treasury staff who
//! work in Excel: a summary sheet, one line per bank, the paid and the
//! rejected rows, each with a frozen, filterable header, đồng without
//! decimals and column widths that fit. Every value from the input is
//! written as a text cell, never as a formula. Amounts are whole đồng far
//! below 2^53, so Excel's numbers hold them exactly.
//!
//! The paid-rows sheet holds at most [`LISTED_ROWS`] rows (a national
//! batch has millions; `accepted.csv` has them all) and says so.

use std::io::Write;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use crate::prepared::Prepared;
use crate::reference::Field;
use crate::validate::Code;

/// Paid rows listed in the workbook.
pub const LISTED_ROWS: usize = 20_000;

type XlsxResult<T> = Result<T, rust_xlsxwriter::XlsxError>;

struct Formats {
    header: Format,
    money: Format,
    total: Format,
    total_money: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color("DDE4EC")
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            header,
            money: Format::new().set_num_format("#,##0"),
            total: Format::new().set_bold(),
            total_money: Format::new().set_bold().set_num_format("#,##0"),
            // "@": Excel keeps what is typed into these cells as text, so an
            // account number edited there keeps its leading zeros.
            text: Format::new().set_num_format("@"),
        }
    }
}

/// The most characters one Excel cell holds.
const CELL_CHARS: usize = 32_767;

/// Text within Excel's limit for one cell: cut, ending in `…`, past it
/// (the CSV listings keep it whole). A workbook is never refused for one
/// long cell.
pub(crate) fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cut: String = text.chars().take(CELL_CHARS - 1).collect();
    cut.push('…');
    std::borrow::Cow::Owned(cut)
}

/// Writes an amount in đồng: as an Excel number (a double) when it is
/// exact as one, |amount| < 2^53; else as text with the same digits, so
/// that no amount is ever rounded.
pub(crate) fn write_money(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    vnd: i64,
    format: &Format,
) -> XlsxResult<()> {
    if vnd.unsigned_abs() < 1 << 53 {
        sheet.write_number_with_format(row, col, vnd as f64, format)?;
    } else {
        sheet.write_string(row, col, crate::cells::format_vnd(vnd))?;
    }
    Ok(())
}

fn header(sheet: &mut Worksheet, f: &Formats, columns: &[(&str, f64)]) -> XlsxResult<()> {
    for (col, (name, width)) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *name, &f.header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes `reconciliation.xlsx`. It is written beside the bank files, not
/// after them, so it names them without their sha256 (`manifest.json` and
/// `report.html` have it).
pub fn write(out: &mut (dyn Write + Send), result: &Prepared) -> std::io::Result<()> {
    let bytes = build(result).map_err(std::io::Error::other)?;
    out.write_all(&bytes)
}

/// Document properties stamped with `created` instead of the wall clock
/// (rust_xlsxwriter's default), so that the same input gives the same
/// bytes; `None` (a clock that cannot be read) stamps 2000-01-01.
pub(crate) fn properties(
    created: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> XlsxResult<DocProperties> {
    let text = created.map_or_else(
        || "2000-01-01T00:00:00".to_owned(),
        |t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        },
    );
    Ok(DocProperties::new().set_creation_datetime(&ExcelDateTime::parse_from_str(&text)?))
}

fn build(result: &Prepared) -> XlsxResult<Vec<u8>> {
    let f = Formats::new();
    let mut book = Workbook::new();
    // Level 1: deflate was the largest cost of the district run at the
    // default level 6; the file is somewhat larger.
    book.set_zip_compression_level(1);
    // The creation time is the batch's.
    book.set_properties(
        &properties(Some(result.created))?
            .set_title(format!("Đối chiếu chi trả {}", result.batch_id))
            .set_author(result.config.office.name.clone()),
    );
    summary(book.add_worksheet(), &f, result)?;
    banks(book.add_worksheet(), &f, result)?;
    accepted(book.add_worksheet(), &f, result)?;
    rejected(book.add_worksheet(), &f, result)?;
    if let Some(changes) = &result.changes {
        changed(book.add_worksheet(), &f, changes)?;
    }
    book.save_to_buffer()
}

fn summary(sheet: &mut Worksheet, f: &Formats, result: &Prepared) -> XlsxResult<()> {
    sheet.set_name("Tổng hợp")?;
    let t = &result.totals;
    header(
        sheet,
        f,
        &[
            ("Mục / Item", 46.0),
            ("Số lượng / Count", 18.0),
            ("Số tiền (đ) / Amount (VND)", 24.0),
        ],
    )?;
    let period = result.period.to_string();
    let texts = [
        ("Đơn vị / Office", result.config.office.name.as_str()),
        ("Mã lô / Batch", &result.batch_id),
        ("Tháng chi trả / Month", &period),
        ("Tệp danh sách / Input file", &result.table.file_name),
        ("sha256 tệp danh sách / Input sha256", &result.table.sha256),
    ];
    let files_vnd: i64 = result.batches.iter().map(|b| b.total).sum();
    let files_rows: usize = result.batches.iter().map(|b| b.payments.len()).sum();
    let mut figures = vec![
        ("Số dòng / Rows", t.rows, Some(t.rows_vnd())),
        ("Được chi trả / Paid", t.accepted, Some(t.accepted_vnd)),
        ("Bị từ chối / Rejected", t.rejected, Some(t.rejected_vnd)),
        ("Cần xem lại / Warnings", t.warned, None),
    ];
    if let Some(declared) = t.declared_vnd {
        figures.push((
            "Tổng cộng trên danh sách / Declared",
            t.declared_rows.unwrap_or(0),
            Some(declared),
        ));
        figures.push(("Chênh lệch / Difference", 0, Some(t.rows_vnd() - declared)));
    }
    figures.push(("Tệp ngân hàng / Bank files", files_rows, Some(files_vnd)));
    let ok = |b: bool| {
        if b {
            "Khớp / OK"
        } else {
            "KHÔNG KHỚP / FAILED"
        }
    };
    let checks = [
        (
            "Kiểm tra: chấp nhận + từ chối = số dòng",
            ok(t.accepted + t.rejected == t.rows),
        ),
        (
            "Kiểm tra: tệp ngân hàng = được chi trả",
            ok(files_vnd == t.accepted_vnd && files_rows == t.accepted),
        ),
    ];
    let mut row = 1;
    for (label, value) in texts {
        sheet.write_string(row, 0, cell(label))?;
        sheet.write_string(row, 1, cell(value))?;
        row += 1;
    }
    for (label, count, vnd) in figures {
        sheet.write_string(row, 0, cell(label))?;
        sheet.write_number(row, 1, count as f64)?;
        if let Some(v) = vnd {
            write_money(sheet, row, 2, v, &f.money)?;
        }
        row += 1;
    }
    for (label, value) in checks {
        sheet.write_string(row, 0, cell(label))?;
        sheet.write_string(row, 1, cell(value))?;
        row += 1;
    }
    Ok(())
}

fn banks(sheet: &mut Worksheet, f: &Formats, result: &Prepared) -> XlsxResult<()> {
    sheet.set_name("Ngân hàng")?;
    header(
        sheet,
        f,
        &[
            ("BIN", 10.0),
            ("Ngân hàng / Bank", 20.0),
            ("Số món / Payments", 12.0),
            ("Số tiền (đ) / Amount", 18.0),
            ("Tệp / File", 32.0),
            ("Mã thông điệp / MsgId", 32.0),
        ],
    )?;
    let mut row = 1;
    for b in &result.batches {
        let path = format!("banks/{}", b.file_name());
        sheet.write_string(row, 0, cell(&b.bank.bin))?;
        sheet.write_string(row, 1, cell(&b.bank.short_name))?;
        sheet.write_number(row, 2, b.payments.len() as f64)?;
        write_money(sheet, row, 3, b.total, &f.money)?;
        sheet.write_string(row, 4, cell(&path))?;
        sheet.write_string(row, 5, cell(&b.message_id))?;
        row += 1;
    }
    sheet.autofilter(0, 0, row - 1, 5)?;
    let rows: usize = result.batches.iter().map(|b| b.payments.len()).sum();
    let total: i64 = result.batches.iter().map(|b| b.total).sum();
    sheet.write_string_with_format(row, 1, "Cộng / Total", &f.total)?;
    sheet.write_number_with_format(row, 2, rows as f64, &f.total)?;
    write_money(sheet, row, 3, total, &f.total_money)?;
    Ok(())
}

fn accepted(sheet: &mut Worksheet, f: &Formats, result: &Prepared) -> XlsxResult<()> {
    sheet.set_name("Được chi trả")?;
    header(
        sheet,
        f,
        &[
            ("Dòng / Row", 8.0),
            ("Họ tên / Name", 26.0),
            ("Xã / Commune", 18.0),
            ("Đối tượng / Category", 30.0),
            ("Ngân hàng / Bank", 14.0),
            ("Số tài khoản / Account", 20.0),
            ("Số tiền (đ) / Amount", 14.0),
            ("Mã giao dịch / End-to-end id", 32.0),
            ("Cảnh báo / Warnings", 30.0),
        ],
    )?;
    // The first rows paid, in input order: each bank's payments are in
    // input (candidate) order, so they are merged rather than all sorted.
    let mut cursors: Vec<_> = result
        .batches
        .iter()
        .map(|b| (b, b.payments.iter()))
        .collect();
    let in_order = std::iter::from_fn(|| {
        let (b, payments) = cursors
            .iter_mut()
            .filter(|(_, payments)| !payments.as_slice().is_empty())
            .min_by_key(|(_, payments)| payments.as_slice()[0].candidate())?;
        Some((*b, payments.next()?))
    });
    let mut row = 1;
    for (b, p) in in_order.take(LISTED_ROWS) {
        let c = &result.candidates[p.candidate()];
        sheet.write_number(row, 0, c.row)?;
        sheet.write_string(row, 1, cell(&c.name))?;
        sheet.write_string(row, 2, cell(result.table.get(Field::Commune, c.index())))?;
        sheet.write_string(row, 3, cell(result.table.get(Field::Category, c.index())))?;
        sheet.write_string(row, 4, cell(&b.bank.short_name))?;
        sheet.write_string_with_format(row, 5, p.account(&result.candidates), &f.text)?;
        write_money(sheet, row, 6, p.amount(&result.candidates), &f.money)?;
        sheet.write_string(row, 7, cell(&p.end_to_end_id))?;
        sheet.write_string(row, 8, cell(&c.codes()))?;
        row += 1;
    }
    if row > 1 {
        sheet.autofilter(0, 0, row - 1, 8)?;
    }
    let paid: usize = result.batches.iter().map(|b| b.payments.len()).sum();
    if paid > LISTED_ROWS {
        sheet.write_string_with_format(
            row,
            1,
            format!(
                "Chỉ liệt kê {LISTED_ROWS} dòng đầu; đủ {} dòng trong accepted.csv / first {LISTED_ROWS} rows only; accepted.csv has all {}",
                paid, paid
            ),
            &f.total,
        )?;
    }
    Ok(())
}

fn rejected(sheet: &mut Worksheet, f: &Formats, result: &Prepared) -> XlsxResult<()> {
    sheet.set_name("Bị từ chối")?;
    header(
        sheet,
        f,
        &[
            ("Dòng / Row", 8.0),
            ("Họ tên / Name", 26.0),
            ("Mã lỗi / Codes", 24.0),
            ("Lý do / Reason", 36.0),
            ("Chi tiết / Detail", 60.0),
            ("Đề nghị đơn vị / Fix", 50.0),
            ("Số tiền (đ) / Amount", 14.0),
        ],
    )?;
    let mut row = 1;
    for c in result.candidates.iter().filter(|c| c.rejected) {
        let mut codes: Vec<Code> = c.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes.dedup();
        let reasons: Vec<&str> = codes.iter().map(|c| c.title().0).collect();
        let fixes: Vec<&str> = codes.iter().map(|c| c.fix_vi()).collect();
        sheet.write_number(row, 0, c.row)?;
        sheet.write_string(row, 1, cell(&c.name))?;
        sheet.write_string(row, 2, cell(&c.codes()))?;
        sheet.write_string(row, 3, cell(&reasons.join("; ")))?;
        sheet.write_string(row, 4, cell(&c.messages()))?;
        sheet.write_string(row, 5, cell(&fixes.join("; ")))?;
        if let Some(amount) = c.amount {
            write_money(sheet, row, 6, amount, &f.money)?;
        }
        row += 1;
    }
    if row > 1 {
        sheet.autofilter(0, 0, row - 1, 6)?;
    }
    Ok(())
}

/// What changed since the earlier period, a line per changed field (the
/// first [`LISTED_ROWS`]; `changes.csv` has them all).
fn changed(
    sheet: &mut Worksheet,
    f: &Formats,
    changes: &crate::changes::Changes,
) -> XlsxResult<()> {
    sheet.set_name(format!("Thay đổi từ {}", changes.from))?;
    header(
        sheet,
        f,
        &[
            ("Thay đổi / Change", 22.0),
            ("Dòng / Row", 8.0),
            ("Dòng tháng trước / Earlier row", 10.0),
            ("Người hưởng / Beneficiary", 22.0),
            ("Họ tên / Name", 26.0),
            ("Trường / Field", 14.0),
            ("Trước / Before", 30.0),
            ("Sau / After", 30.0),
        ],
    )?;
    let mut row = 1;
    for l in changes.lines.iter().take(LISTED_ROWS) {
        sheet.write_string(row, 0, l.change.as_str())?;
        if let Some(r) = l.row {
            sheet.write_number(row, 1, r)?;
        }
        if let Some(r) = l.previous_row {
            sheet.write_number(row, 2, r)?;
        }
        sheet.write_string(row, 3, cell(&l.beneficiary))?;
        sheet.write_string(row, 4, cell(&l.name))?;
        sheet.write_string(row, 5, l.field)?;
        for (col, value) in [(6, &l.before), (7, &l.after)] {
            match (l.field, value.parse::<i64>()) {
                ("amount_vnd", Ok(amount)) => write_money(sheet, row, col, amount, &f.money)?,
                _ => {
                    sheet.write_string(row, col, cell(value))?;
                }
            }
        }
        row += 1;
    }
    if row > 1 {
        sheet.autofilter(0, 0, row - 1, 7)?;
    }
    Ok(())
}
