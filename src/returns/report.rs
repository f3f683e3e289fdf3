//! The outcome of the banks' answers for people: `report.html` (the page
//! style of the batch report: per batch and bank what was sent, confirmed,
//! is open, failed or came back; the failed payments with the reason in
//! plain words and what to ask for; what could not be applied) and
//! `outcomes.xlsx` (the same as sheets).

use std::fmt::Write as _;
use std::io::Write;

use quick_xml::escape::escape;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::{Count, Failed, FileOutcome, Tally, total};
use crate::cells::format_vnd;
use crate::ledger::PaymentStatus;
use crate::reference::Reference;
use crate::report::page::{both, money, page_start, signatures_and_end};
use crate::report::workbook::{cell, write_money};

fn count_cell(c: Count, key: &str) -> String {
    format!(
        r#"<td class="num" data-total="{key}" data-value="{}">{}<br>{}</td>"#,
        c.vnd,
        format_vnd(c.payments as i64),
        money(c.vnd)
    )
}

/// Writes the answers' `report.html`.
pub fn write_html(
    out: &mut dyn Write,
    reference: &Reference,
    office: &str,
    files: &[FileOutcome],
    failed: &[Failed<'_>],
    tallies: &[Tally],
) -> std::io::Result<()> {
    let mut h = String::with_capacity(32 * 1024);
    page_start(
        &mut h,
        "Kết quả chi trả từ ngân hàng",
        office,
        &both(
            "KẾT QUẢ CHI TRẢ DO NGÂN HÀNG BÁO VỀ",
            "Outcome of payments as the banks report it",
        ),
    );
    answers_read(&mut h, files);
    per_bank(&mut h, tallies);
    failed_payments(&mut h, reference, failed);
    not_applied(&mut h, files);
    signatures_and_end(
        &mut h,
        &both(
            "Số liệu lấy từ sổ cái chi trả sau khi đọc các phản hồi trên.",
            "Figures from the payment ledger after reading the answers above.",
        ),
        "",
    );
    out.write_all(h.as_bytes())
}

/// The answers read: one line a file.
fn answers_read(h: &mut String, files: &[FileOutcome]) {
    let _ = writeln!(
        h,
        r#"<h2>{}</h2><table id="answers"><thead><tr><th>{}</th><th>{}</th><th class="num">{}</th><th class="num">{}</th><th class="num">{}</th></tr></thead><tbody>"#,
        both("Phản hồi đã đọc", "Answers read"),
        both("Tệp", "File"),
        both("Loại, mã thông điệp", "Kind, message id"),
        both("Cập nhật", "Updated"),
        both("Không đổi", "Unchanged"),
        both("Không áp dụng được", "Not applied"),
    );
    for f in files {
        let kind = match &f.answer {
            Some((kind, id)) => format!("{} {}", kind.message(), escape(id)),
            None => both("không đọc được", "unreadable"),
        };
        let before = if f.read_before.is_some() {
            both(" (đã đọc trước đây)", " (read before)")
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            r#"<tr><td>{}{before}</td><td>{kind}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            escape(&f.file),
            f.updated(),
            f.outcomes.len() - f.updated(),
            f.unmatched.len(),
        );
    }
    h.push_str("</tbody></table>\n");
}

/// The state of each batch at each bank, with a total line.
fn per_bank(h: &mut String, tallies: &[Tally]) {
    let _ = writeln!(
        h,
        r#"<h2>{}</h2><table id="banks"><thead><tr><th>{}</th><th>{}</th><th class="num">{}</th><th class="num">{}</th><th class="num">{}</th><th class="num">{}</th><th class="num">{}</th></tr></thead><tbody>"#,
        both("Theo lô và ngân hàng", "Per batch and bank"),
        both("Lô", "Batch"),
        both("Ngân hàng", "Bank"),
        both("Đã gửi", "Sent"),
        both("Đã thanh toán", "Confirmed"),
        both("Chưa có kết quả", "Open"),
        both("Bị từ chối", "Failed"),
        both("Bị trả lại", "Returned"),
    );
    let sum = total(tallies);
    for t in tallies.iter().chain(std::iter::once(&sum)) {
        let is_total = std::ptr::eq(t, &sum);
        let prefix = if is_total { "total_" } else { "" };
        let _ = writeln!(
            h,
            r#"<tr{}><td>{}</td><td>{}</td>{}{}{}{}{}</tr>"#,
            if is_total { r#" class="total""# } else { "" },
            if is_total {
                both("Cộng", "Total")
            } else {
                escape(&t.batch_id).into_owned()
            },
            escape(format!("{} {}", t.bank_bin, t.bank)),
            count_cell(t.sent, &format!("{prefix}sent")),
            count_cell(t.confirmed, &format!("{prefix}confirmed")),
            count_cell(t.open, &format!("{prefix}open")),
            count_cell(t.failed, &format!("{prefix}failed")),
            count_cell(t.returned, &format!("{prefix}returned")),
        );
    }
    h.push_str("</tbody></table>\n");
}

/// The failed payments: whom to contact, why, what to ask for.
fn failed_payments(h: &mut String, reference: &Reference, failed: &[Failed<'_>]) {
    let _ = writeln!(
        h,
        r#"<h2>{} ({})</h2>"#,
        both(
            "Các khoản chi không thành công cần liên hệ người hưởng",
            "Failed payments: beneficiaries to contact"
        ),
        failed.len()
    );
    if failed.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", both("Không có.", "None."));
    } else {
        let _ = writeln!(
            h,
            r#"<table id="failed"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class="num">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
            both("Dòng, lô", "Row, batch"),
            both("Họ tên, địa chỉ", "Name, address"),
            both("Ngân hàng, tài khoản", "Bank, account"),
            both("Số tiền", "Amount"),
            both("Lý do", "Reason"),
            both("Việc cần làm", "What to do"),
        );
        for f in failed {
            let o = f.outcome;
            let p = &o.payment;
            let c = &f.contact;
            let code = &o.after.reason_code;
            let (vi, en) = reference.reasons.meaning(code);
            let action = reference
                .reasons
                .get(code)
                .map(|r| both(&r.action_vi, &r.action_en))
                .unwrap_or_default();
            let status = match o.after.status {
                PaymentStatus::Returned => both("Bị trả lại", "Returned"),
                _ => both("Bị từ chối", "Rejected"),
            };
            let address = [c.village.as_str(), c.commune.as_str(), c.phone.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                h,
                r#"<tr data-payment="{}"><td>{}<div class="note">{}</div></td><td>{}<div class="note">{}</div></td><td>{}<div class="mono">{}</div></td><td class="num">{}</td><td>{status}: <b>{}</b> {}<div class="note">{}</div></td><td>{action}</td></tr>"#,
                escape(&p.end_to_end_id),
                p.row,
                escape(&p.batch_id),
                escape(&p.name),
                escape(&address),
                escape(reference.bank_name(&p.bank_bin)),
                escape(&p.account),
                money(p.amount_vnd),
                escape(code),
                both(&vi, &en),
                escape(&o.after.reason_text),
            );
        }
        h.push_str("</tbody></table>\n");
    }
}

/// What could not be applied, to check with the bank.
fn not_applied(h: &mut String, files: &[FileOutcome]) {
    let unmatched: Vec<_> = files
        .iter()
        .flat_map(|f| f.unmatched.iter().map(move |u| (f, u)))
        .collect();
    let _ = writeln!(
        h,
        r#"<h2>{} ({})</h2>"#,
        both(
            "Không áp dụng được (cần đối chiếu với ngân hàng)",
            "Not applied (check with the bank)"
        ),
        unmatched.len()
    );
    if unmatched.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", both("Không có.", "None."));
    } else {
        let _ = writeln!(
            h,
            r#"<table id="unmatched"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
            both("Tệp, vị trí", "File, place"),
            both("Tham chiếu", "Reference"),
            both("Lý do", "Why"),
        );
        for (f, u) in unmatched {
            let _ = writeln!(
                h,
                r#"<tr><td>{}<div class="note">{}</div></td><td class="mono">{}</td><td>{}</td></tr>"#,
                escape(&f.file),
                escape(&u.location),
                escape([u.message_id.as_str(), u.end_to_end_id.as_str()].join(" ")),
                escape(&u.reason),
            );
        }
        h.push_str("</tbody></table>\n");
    }
}

/// Writes `outcomes.xlsx`: per batch and bank, failed payments, and
/// unmatched statements.
pub fn write_xlsx(
    out: &mut dyn Write,
    reference: &Reference,
    files: &[FileOutcome],
    failed: &[Failed<'_>],
    tallies: &[Tally],
) -> std::io::Result<()> {
    build(reference, files, failed, tallies)
        .and_then(|mut book| book.save_to_buffer())
        .map_err(std::io::Error::other)
        .and_then(|bytes| out.write_all(&bytes))
}

fn header(
    sheet: &mut Worksheet,
    columns: &[(&str, f64)],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_background_color("DDE4EC")
        .set_text_wrap();
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn build(
    reference: &Reference,
    files: &[FileOutcome],
    failed: &[Failed<'_>],
    tallies: &[Tally],
) -> Result<Workbook, rust_xlsxwriter::XlsxError> {
    let money = Format::new().set_num_format("#,##0");
    let mut book = Workbook::new();
    // The clock (pinned in tests) stamps the workbook, not the wall time.
    book.set_properties(&crate::report::workbook::properties(
        crate::clock::now().ok(),
    )?);
    banks_sheet(&mut book, tallies, &money)?;
    failed_sheet(&mut book, reference, failed, &money)?;
    unmatched_sheet(&mut book, files)?;
    Ok(book)
}

/// The sheet per batch and bank, with a total line.
fn banks_sheet(
    book: &mut Workbook,
    tallies: &[Tally],
    money: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("Theo ngân hàng")?;
    let mut columns = vec![
        ("Lô / Batch", 26.0),
        ("BIN", 9.0),
        ("Ngân hàng / Bank", 16.0),
    ];
    for name in [
        "Đã gửi / Sent",
        "Đã thanh toán / Confirmed",
        "Chưa có kết quả / Open",
        "Bị từ chối / Failed",
        "Bị trả lại / Returned",
    ] {
        columns.push((name, 10.0));
        columns.push(("(đ)", 16.0));
    }
    header(sheet, &columns)?;
    let sum = Tally {
        batch_id: "Cộng / Total".to_owned(),
        ..total(tallies)
    };
    for (i, t) in tallies.iter().chain(std::iter::once(&sum)).enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &t.batch_id)?;
        sheet.write_string(row, 1, &t.bank_bin)?;
        sheet.write_string(row, 2, &t.bank)?;
        for (j, c) in [t.sent, t.confirmed, t.open, t.failed, t.returned]
            .iter()
            .enumerate()
        {
            let col = 3 + 2 * j as u16;
            sheet.write_number(row, col, c.payments as f64)?;
            write_money(sheet, row, col + 1, c.vnd, money)?;
        }
    }
    Ok(())
}

/// The sheet of failed payments, with whom to contact and what to do.
fn failed_sheet(
    book: &mut Workbook,
    reference: &Reference,
    failed: &[Failed<'_>],
    money: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("Không thành công")?;
    header(
        sheet,
        &[
            ("Mã giao dịch / End-to-end id", 30.0),
            ("Lô / Batch", 24.0),
            ("Dòng / Row", 7.0),
            ("Họ tên / Name", 24.0),
            ("Xã / Commune", 16.0),
            ("Địa chỉ / Address", 18.0),
            ("Điện thoại / Phone", 14.0),
            ("Ngân hàng / Bank", 14.0),
            ("Tài khoản / Account", 18.0),
            ("Số tiền (đ) / Amount", 14.0),
            ("Trạng thái / Status", 10.0),
            ("Mã lý do / Code", 8.0),
            ("Lý do / Reason", 30.0),
            ("Việc cần làm / What to do", 40.0),
        ],
    )?;
    for (i, f) in failed.iter().enumerate() {
        let row = i as u32 + 1;
        let o = f.outcome;
        let p = &o.payment;
        let c = &f.contact;
        let code = &o.after.reason_code;
        let reason = reference.reasons.get(code);
        let cells = [
            p.end_to_end_id.as_str(),
            &p.batch_id,
            "",
            &p.name,
            &c.commune,
            &c.village,
            &c.phone,
            &reference.bank_name(&p.bank_bin),
            &p.account,
            "",
            o.after.status.as_str(),
            code,
            reason.map_or(code.as_str(), |r| r.vi.as_str()),
            reason.map_or("", |r| r.action_vi.as_str()),
        ];
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string(row, col as u16, cell(value))?;
        }
        sheet.write_number(row, 2, p.row)?;
        write_money(sheet, row, 9, p.amount_vnd, money)?;
    }
    if !failed.is_empty() {
        sheet.autofilter(0, 0, failed.len() as u32, 13)?;
    }
    Ok(())
}

/// The sheet of statements that could not be applied.
fn unmatched_sheet(
    book: &mut Workbook,
    files: &[FileOutcome],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("Không áp dụng")?;
    header(
        sheet,
        &[
            ("Tệp / File", 30.0),
            ("Vị trí / Place", 18.0),
            ("Thông điệp / Message", 30.0),
            ("Mã giao dịch / End-to-end id", 30.0),
            ("Lý do / Why", 80.0),
        ],
    )?;
    let mut row = 1;
    for f in files {
        for u in &f.unmatched {
            for (col, value) in [
                &f.file,
                &u.location,
                &u.message_id,
                &u.end_to_end_id,
                &u.reason,
            ]
            .iter()
            .enumerate()
            {
                sheet.write_string(row, col as u16, cell(value))?;
            }
            row += 1;
        }
    }
    Ok(())
}
