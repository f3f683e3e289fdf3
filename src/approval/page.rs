//! `approvals/index.html`: where a batch stands, rewritten at every
//! signature and at release. It lies outside what is signed (the manifest
//! names the batch's files; the approvals sit beside it), so that signing
//! never changes what was signed.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use super::batch::BatchDir;
use super::{State, role_label};
use crate::report::page::{both, money, page_start};

/// The page.
pub fn render(batch: &BatchDir, state: &State, released: Option<&str>, office: &str) -> String {
    let m = &batch.manifest;
    let mut h = String::with_capacity(8 * 1024);
    page_start(
        &mut h,
        &format!("Phê duyệt lô {} — {}", m.batch_id, m.period),
        office,
        &both(
            &format!("PHÊ DUYỆT CHI TRẢ THÁNG {}", m.period),
            &format!("Approval of the payments of {}", m.period),
        ),
    );
    let _ = writeln!(
        h,
        r#"<dl class="meta">
<dt>{}</dt><dd data-field="batch_id">{}</dd>
<dt>{}</dt><dd>{}</dd>
<dt>{}</dt><dd data-field="accepted_vnd">{} ({} {})</dd>
<dt>manifest sha256</dt><dd class="mono" data-field="manifest_sha256">{}</dd>
</dl>"#,
        both("Mã lô", "Batch"),
        escape(&m.batch_id),
        both("Tháng chi trả", "Month paid"),
        escape(&m.period),
        both("Tổng chi", "Total paid"),
        money(m.totals.accepted_vnd),
        m.totals.accepted,
        both("người", "payments"),
        escape(&batch.manifest_sha256),
    );
    let (class, vi, en) = match (released, state.approved()) {
        (Some(at), _) => (
            "ok",
            format!("Đã chuyển cho ngân hàng lúc {at}."),
            format!("Released for the banks at {at}."),
        ),
        (None, true) => (
            "ok",
            "Đã đủ chữ ký; chờ chuyển cho ngân hàng (disburse release).".to_owned(),
            "Every required role has signed; waiting for release (disburse release).".to_owned(),
        ),
        (None, false) => (
            "bad",
            format!(
                "Chưa được chuyển cho ngân hàng: còn thiếu chữ ký của {}.",
                labels(&state.missing, false)
            ),
            format!(
                "Not to be sent to any bank: still to sign: {}.",
                labels(&state.missing, true)
            ),
        ),
    };
    let _ = writeln!(
        h,
        r#"<div class="verdict {class}" data-field="approval">{}</div>"#,
        both(&vi, &en)
    );
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        both("Chữ ký", "Signatures"),
        both("Vai trò", "Role"),
        both("Người ký", "Signer"),
        both("Thời điểm", "Signed at"),
        both("Khóa công khai", "Public key"),
    );
    for role in &state.required {
        let (vi, en) = role_label(role);
        match state.signed.iter().find(|s| &s.role == role) {
            Some(s) => {
                let _ = writeln!(
                    h,
                    r#"<tr data-role="{}"><td>{}</td><td>{}</td><td>{}</td><td class="mono">{}</td></tr>"#,
                    escape(role),
                    both(&vi, &en),
                    escape(&s.signer),
                    escape(&s.signed_at),
                    escape(&s.approval.statement.public_key),
                );
            }
            None => {
                let _ = writeln!(
                    h,
                    r#"<tr data-role="{}"><td>{}</td><td colspan="3">{}</td></tr>"#,
                    escape(role),
                    both(&vi, &en),
                    both("Chưa ký", "Not signed"),
                );
            }
        }
    }
    h.push_str("</table>\n");
    if !state.problems.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<ul>",
            both("Chữ ký không hợp lệ", "Signatures that do not verify")
        );
        for p in &state.problems {
            let _ = writeln!(h, "<li>{}</li>", escape(p));
        }
        h.push_str("</ul>\n");
    }
    let _ = writeln!(
        h,
        r#"<p class="note">{}</p>
</main>
</body>
</html>"#,
        both(
            "Trang này được viết lại mỗi lần ký; chữ ký nằm trong approvals/<vai trò>.json. Kiểm tra: disburse verify THƯ_MỤC_LÔ --config TỆP.",
            "This page is rewritten at every signature; the signatures are approvals/<role>.json. Check them: disburse verify BATCH_DIR --config FILE.",
        )
    );
    h
}

/// The roles' names, in one language, joined.
pub fn labels(roles: &[String], english: bool) -> String {
    roles
        .iter()
        .map(|r| {
            let (vi, en) = role_label(r);
            if english { en } else { vi }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rewrites the page (under a temporary name, then renamed).
pub fn write(
    batch: &BatchDir,
    state: &State,
    released: Option<&str>,
    office: &str,
) -> std::io::Result<()> {
    let dir = batch.dir.join(super::batch::APPROVALS);
    std::fs::create_dir_all(&dir)?;
    let mut file = tempfile::NamedTempFile::new_in(&dir)?;
    std::io::Write::write_all(
        file.as_file_mut(),
        render(batch, state, released, office).as_bytes(),
    )?;
    file.as_file().sync_all()?;
    file.persist(dir.join("index.html")).map_err(|e| e.error)?;
    Ok(())
}
