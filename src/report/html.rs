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

use super::page::{both, chart, money, page_start, signatures_and_end};
use crate::cells::format_vnd;
use crate::prepared::Prepared;
use crate::reference::Field;
use crate::validate::{Code, Severity};
use crate::write::manifest::{FileEntry, Totals};

/// Rows listed in the page's rejected and warning tables; the CSVs hold all.
const LISTED: usize = 1000;
/// Bars in a chart; the rest are summed as "other".
const BARS: usize = 12;

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
    let mut h = String::with_capacity(64 * 1024);
    let period = result.period.to_string();
    let (year, month) = period.split_once('-').unwrap_or((&period, ""));
    page_start(
        &mut h,
        &format!("Đối chiếu chi trả {period} — {}", result.batch_id),
        &result.config.office.name,
        &both(
            &format!("BẢNG ĐỐI CHIẾU CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG {month}/{year}"),
            &format!("Reconciliation of social assistance payments, {period}"),
        ),
    );
    meta(&mut h, result);
    verdict(&mut h, result);
    notices(&mut h, result);
    approval_section(&mut h, &result.config);
    summary(&mut h, &result.totals);
    banks(&mut h, result, files);
    chart_section(&mut h, result, charts);
    if let Some(changes) = &result.changes {
        changes_section(&mut h, changes);
    }
    rejected_rows(&mut h, result);
    warned_rows(&mut h, result);
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

/// What to know before the files are sent, one line each.
fn notices(h: &mut String, result: &Prepared) {
    if result.notices.is_empty() {
        return;
    }
    h.push_str("<ul class=\"notices\" data-field=\"notices\">\n");
    for n in &result.notices {
        let _ = writeln!(
            h,
            r#"<li data-code="{}"><b>{}</b> {}</li>"#,
            n.code,
            both("Lưu ý:", "Note:"),
            both(&n.message_vi, &n.message)
        );
    }
    h.push_str("</ul>\n");
}

/// The approval the batch needs before its files may go to a bank: none,
/// or the roles and who may sign in each. The signatures themselves come
/// later, beside the manifest (`approvals/`, shown by
/// `approvals/index.html`): this page is part of what they sign.
fn approval_section(h: &mut String, config: &crate::config::Config) {
    let roles = config.required_roles();
    if roles.is_empty() {
        let _ = writeln!(
            h,
            r#"<p class="note" data-field="approval" data-state="none">{}</p>"#,
            both(
                "Phê duyệt: không yêu cầu (đơn vị chưa cấu hình người ký); các tệp ngân hàng có thể gửi như đã lập.",
                "Approval: none needed (the office configures no approvers); the bank files may be sent as written.",
            )
        );
        return;
    }
    let _ = writeln!(
        h,
        r#"<h2>{}</h2>
<div class="verdict bad" data-field="approval" data-state="prepared">{}</div>
<table>
<tr><th>{}</th><th>{}</th><th>{}</th></tr>"#,
        both("Phê duyệt", "Approval"),
        both(
            "Chờ phê duyệt: chưa gửi tệp nào cho ngân hàng. Mỗi người ký bằng khóa riêng (disburse approve); khi đủ chữ ký, các tệp được chuyển đi (disburse release). Tình trạng chữ ký: approvals/index.html.",
            "Awaiting approval: send no file to any bank. Each signatory signs with their own key (disburse approve); once all have, the files are handed over (disburse release). Signatures so far: approvals/index.html.",
        ),
        both("Vai trò", "Role"),
        both("Người được ký", "May sign"),
        both("Chữ ký", "Signature"),
    );
    for role in &roles {
        let (vi, en) = crate::approval::role_label(role);
        let names: Vec<&str> = config
            .approvers
            .iter()
            .filter(|a| &a.role == role)
            .map(|a| a.name.as_str())
            .collect();
        let _ = writeln!(
            h,
            r#"<tr data-role="{}"><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(role),
            both(&vi, &en),
            escape(names.join(", ")),
            both("Chưa ký", "Not signed yet"),
        );
    }
    h.push_str(
        "</table>
",
    );
}

/// The payments and the amount in the bank files.
fn bank_files(result: &Prepared) -> (usize, i64) {
    (
        result.batches.iter().map(|b| b.payments.len()).sum(),
        result.batches.iter().map(|b| b.total).sum(),
    )
}

/// The batch, the month, the dates and the input file.
fn meta(h: &mut String, result: &Prepared) {
    let input = &result.table;
    let period = result.period.to_string();
    let _ = writeln!(
        h,
        r#"<dl class="meta">
<dt>{}</dt><dd data-field="batch_id">{}</dd>
<dt>{}</dt><dd data-field="period">{}</dd>
<dt>{}</dt><dd>{}</dd>
<dt>{}</dt><dd>{}</dd>
<dt>{}</dt><dd data-field="input_file">{}</dd>{}
<dt>sha256</dt><dd class="mono" data-field="input_sha256">{}</dd>
</dl>"#,
        both("Mã lô", "Batch"),
        escape(&result.batch_id),
        both("Tháng chi trả", "Month paid"),
        escape(&period),
        both("Ngày lập", "Made on"),
        escape(result.created.format("%d/%m/%Y %H:%M").to_string()),
        both("Ngày chi trả yêu cầu", "Requested execution"),
        escape(result.execution_date.format("%d/%m/%Y").to_string()),
        both("Tệp danh sách", "Input file"),
        escape(&input.file_name),
        match &input.format.sheet {
            Some(sheet) => format!(
                "\n<dt>{}</dt><dd data-field=\"sheet\">{}</dd>",
                both("Trang tính", "Sheet"),
                escape(sheet)
            ),
            None => String::new(),
        },
        escape(&input.sha256),
    );
}

/// The verdict: nothing lost, the money adds up, the office's total
/// agrees.
fn verdict(h: &mut String, result: &Prepared) {
    let t = &result.totals;
    let (files_rows, files_vnd) = bank_files(result);
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
}

/// The headline figures, and the office's declared total.
fn summary(h: &mut String, t: &Totals) {
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
        h,
        "Số dòng trong danh sách",
        "Rows in the list",
        "rows",
        t.rows,
        Some(t.rows_vnd()),
    );
    card(
        h,
        "Được chi trả",
        "Paid",
        "accepted",
        t.accepted,
        Some(t.accepted_vnd),
    );
    card(
        h,
        "Bị từ chối",
        "Rejected",
        "rejected",
        t.rejected,
        Some(t.rejected_vnd),
    );
    card(
        h,
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
}

/// The table per receiving bank, with each bank file's sha256.
fn banks(h: &mut String, result: &Prepared, files: &[FileEntry]) {
    let (files_rows, files_vnd) = bank_files(result);
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
}

/// The charts: per bank, per commune, per category.
fn chart_section(h: &mut String, result: &Prepared, charts: &Charts) {
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
    chart(h, "chart-banks", &banks);
    h.push_str("\n<div class=\"charts\"><div><h3>");
    h.push_str(&both("Theo xã/phường", "Per commune"));
    h.push_str("</h3>");
    chart(h, "chart-communes", &charts.communes);
    h.push_str("</div><div><h3>");
    h.push_str(&both("Theo đối tượng", "Per category"));
    h.push_str("</h3>");
    chart(h, "chart-categories", &charts.categories);
    h.push_str("</div></div>\n");
}

/// What changed since the ledger's earlier period: counts per change, the
/// changed rows, and the stopped beneficiaries with their last payment.
fn changes_section(h: &mut String, changes: &crate::changes::Changes) {
    use crate::changes::Change;
    let _ = writeln!(
        h,
        r#"<h2>{}</h2>"#,
        both(
            &format!("Thay đổi so với tháng {}", changes.from),
            &format!("Changes since {}", changes.from)
        ),
    );
    let _ = writeln!(
        h,
        r#"<table id="changes-summary"><thead><tr><th>{}</th><th class="num">{}</th><th class="num">{}</th></tr></thead><tbody>"#,
        both("Thay đổi", "Change"),
        both("Người", "Beneficiaries"),
        both("Số tiền", "Amount"),
    );
    for change in Change::ALL {
        let (vi, en) = change.title();
        let amount = match change {
            Change::New => money(changes.new_vnd),
            Change::Stopped => money(changes.stopped_vnd),
            _ => String::new(),
        };
        let _ = writeln!(
            h,
            r#"<tr><td><b>{}</b> {}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            change.as_str(),
            both(vi, en),
            changes.count(change),
            amount,
        );
    }
    h.push_str("</tbody></table>\n");
    if !changes.not_compared.is_empty() {
        let batches = changes.not_compared.join(", ");
        let batches = escape(&batches);
        let _ = writeln!(
            h,
            r#"<p class="note">{}</p>"#,
            both(
                &format!(
                    "Không đọc được danh sách của lô {batches}: xã/phường, đối tượng và hệ số của các dòng đó chưa được so sánh."
                ),
                &format!(
                    "The listings of batch {batches} could not be read: those rows' commune, category and coefficient were not compared."
                ),
            )
        );
    }
    let changed: Vec<_> = changes
        .lines
        .iter()
        .filter(|l| l.change != Change::Stopped)
        .collect();
    if !changed.is_empty() {
        let _ = writeln!(
            h,
            r#"<table id="changes"><thead><tr><th class="num">{}</th><th class="num">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
            both("Dòng", "Row"),
            both("Dòng tháng trước", "Earlier row"),
            both("Họ tên", "Name"),
            both("Thay đổi", "Change"),
            both("Trước", "Before"),
            both("Sau", "After"),
        );
        for l in changed.iter().take(LISTED) {
            let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
            let show = |field: &str, v: &str| match (field, v.parse::<i64>()) {
                ("amount_vnd", Ok(n)) => money(n),
                _ => escape(v).into_owned(),
            };
            let (vi, en) = l.change.title();
            let _ = writeln!(
                h,
                r#"<tr><td class="num">{}</td><td class="num">{}</td><td>{}</td><td><b>{}</b> {}</td><td>{}</td><td>{}</td></tr>"#,
                number(l.row),
                number(l.previous_row),
                escape(&l.name),
                l.change.as_str(),
                both(vi, en),
                show(l.field, &l.before),
                show(l.field, &l.after),
            );
        }
        h.push_str("</tbody></table>\n");
        first_listed(h, changed.len(), "changes.csv");
    }
    if !changes.stopped.is_empty() {
        let _ = writeln!(
            h,
            r#"<h3>{} ({})</h3><table id="stopped"><thead><tr><th class="num">{}</th><th>{}</th><th>{}</th><th class="num">{}</th><th>{}</th></tr></thead><tbody>"#,
            both("Thôi hưởng: lần chi cuối", "Stopped: their last payment"),
            changes.stopped.len(),
            both("Dòng tháng trước", "Earlier row"),
            both("Họ tên", "Name"),
            both("Tài khoản", "Account"),
            both("Số tiền", "Amount"),
            both("Trạng thái", "Status"),
        );
        for e in changes.stopped.iter().take(LISTED) {
            let _ = writeln!(
                h,
                r#"<tr><td class="num">{}</td><td>{}</td><td>{} {}</td><td class="num">{}</td><td>{}</td></tr>"#,
                e.row,
                escape(&e.name),
                escape(&e.bank),
                escape(&e.account),
                money(e.amount),
                e.status.map(|s| s.as_str()).unwrap_or(""),
            );
        }
        h.push_str("</tbody></table>\n");
        first_listed(h, changes.stopped.len(), "changes.csv");
    }
}

/// When a table shows only the first [`LISTED`] of `count` rows: says so,
/// and which file has them all.
fn first_listed(h: &mut String, count: usize, file: &str) {
    if count > LISTED {
        let _ = writeln!(
            h,
            r#"<p class="note">{}</p>"#,
            both(
                &format!("Chỉ hiện {LISTED} dòng đầu; danh sách đầy đủ trong {file}."),
                &format!("The first {LISTED} are shown; {file} has them all."),
            )
        );
    }
}

/// The rejected rows, with the reasons and what to ask the office for.
fn rejected_rows(h: &mut String, result: &Prepared) {
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
        first_listed(h, rejected.len(), "rejected.csv");
    }
}

/// The paid rows to review: their warnings.
fn warned_rows(h: &mut String, result: &Prepared) {
    let config = &result.config;
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
}
