//! Rule codes and severities: what the configuration sets (`[rules]`) and
//! validation applies, kept apart from both. A code never changes once
//! released: it is what offices, reports and scripts key on.

use serde::{Deserialize, Serialize};

/// What the rule does to a row that breaks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row is not paid.
    Reject,
    /// The row is paid and listed for review.
    Warn,
}

/// The stable code of a validation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The row has more cells than the header.
    MalformedRow,
    /// No bank of the directory, or several.
    UnknownBank,
    /// Account number empty, damaged or against the bank's rule.
    BadAccount,
    /// No beneficiary name.
    MissingName,
    /// A name with characters no name has.
    BadName,
    /// Amount empty, fractional, zero or negative.
    BadAmount,
    /// Citizen ID malformed or inconsistent with the birth date.
    BadCitizenId,
    /// Birth date unreadable or impossible.
    BadBirthDate,
    /// Same citizen ID or beneficiary code on more than one row.
    DuplicateBeneficiary,
    /// Same bank account as a different beneficiary.
    SharedAccount,
    /// Amount differs from base level × coefficient.
    AmountMismatch,
    /// A payment type the configuration does not know.
    UnknownPaymentType,
    /// Already paid for this period (ledger).
    AlreadyPaid,
    /// This period's earlier payment failed for a reason paying again this
    /// way would repeat (same closed account; beneficiary deceased).
    FailedBefore,
    /// The row's identifiers name earlier payments of the period to more
    /// than one beneficiary, or contradict each other (ledger).
    IdentityConflict,
    /// The coefficient is not what the beneficiary's category pays at
    /// their age in the paid month (Decree 20/2021 Art. 6).
    CoefficientMismatch,
    /// The bank or account differs from the one paid last period (ledger).
    AccountChanged,
    /// The beneficiary's payments of the three previous periods all failed
    /// or were returned (ledger).
    RepeatedFailure,
}

impl Code {
    /// Every code.
    pub const ALL: [Code; 18] = [
        Code::MalformedRow,
        Code::UnknownBank,
        Code::BadAccount,
        Code::MissingName,
        Code::BadName,
        Code::BadAmount,
        Code::BadCitizenId,
        Code::BadBirthDate,
        Code::DuplicateBeneficiary,
        Code::SharedAccount,
        Code::AmountMismatch,
        Code::UnknownPaymentType,
        Code::AlreadyPaid,
        Code::FailedBefore,
        Code::IdentityConflict,
        Code::CoefficientMismatch,
        Code::AccountChanged,
        Code::RepeatedFailure,
    ];

    /// The code as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MalformedRow => "MALFORMED_ROW",
            Code::UnknownBank => "UNKNOWN_BANK",
            Code::BadAccount => "BAD_ACCOUNT",
            Code::MissingName => "MISSING_NAME",
            Code::BadName => "BAD_NAME",
            Code::BadAmount => "BAD_AMOUNT",
            Code::BadCitizenId => "BAD_CITIZEN_ID",
            Code::BadBirthDate => "BAD_BIRTH_DATE",
            Code::DuplicateBeneficiary => "DUPLICATE_BENEFICIARY",
            Code::SharedAccount => "SHARED_ACCOUNT",
            Code::AmountMismatch => "AMOUNT_MISMATCH",
            Code::UnknownPaymentType => "UNKNOWN_PAYMENT_TYPE",
            Code::AlreadyPaid => "ALREADY_PAID",
            Code::FailedBefore => "FAILED_BEFORE",
            Code::IdentityConflict => "IDENTITY_CONFLICT",
            Code::CoefficientMismatch => "COEFFICIENT_MISMATCH",
            Code::AccountChanged => "ACCOUNT_CHANGED",
            Code::RepeatedFailure => "REPEATED_FAILURE",
        }
    }

    /// The code named `name`.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The severity when the configuration says nothing.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::SharedAccount
            | Code::AmountMismatch
            | Code::BadBirthDate
            | Code::CoefficientMismatch
            | Code::AccountChanged
            | Code::RepeatedFailure => Severity::Warn,
            _ => Severity::Reject,
        }
    }

    /// False for rules whose rows cannot be paid, or paid only once, if let
    /// through.
    pub fn may_warn(self) -> bool {
        self.why_always_rejects().is_empty()
    }

    /// Why a rule can never be downgraded to a warning ("" when it can).
    pub fn why_always_rejects(self) -> &'static str {
        match self {
            Code::MalformedRow => "the row's cells cannot be trusted",
            Code::UnknownBank | Code::BadAccount => "there is no account to pay into",
            Code::MissingName => "a bank needs the creditor's name",
            Code::BadAmount => "there is no amount to pay",
            Code::DuplicateBeneficiary | Code::AlreadyPaid | Code::IdentityConflict => {
                "it would pay someone twice"
            }
            Code::UnknownPaymentType => "only configured payment types may be paid separately",
            Code::FailedBefore => "the bank would refuse or return the payment again",
            _ => "",
        }
    }

    /// What the rule found, in a few plain words: Vietnamese, English.
    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Code::MalformedRow => ("Dòng bị lệch cột", "Row with shifted cells"),
            Code::UnknownBank => ("Không xác định được ngân hàng", "Bank not recognised"),
            Code::BadAccount => ("Số tài khoản không hợp lệ", "Invalid account number"),
            Code::MissingName => ("Thiếu họ tên", "Name missing"),
            Code::BadName => ("Họ tên có ký tự lạ", "Name with stray characters"),
            Code::BadAmount => ("Số tiền không hợp lệ", "Invalid amount"),
            Code::BadCitizenId => ("Số CCCD không hợp lệ", "Invalid citizen ID"),
            Code::BadBirthDate => ("Ngày sinh không hợp lệ", "Invalid birth date"),
            Code::DuplicateBeneficiary => ("Trùng đối tượng", "Beneficiary listed twice"),
            Code::SharedAccount => (
                "Nhiều người chung một tài khoản",
                "Account shared by several beneficiaries",
            ),
            Code::AmountMismatch => (
                "Số tiền khác mức chuẩn × hệ số",
                "Amount differs from base × coefficient",
            ),
            Code::UnknownPaymentType => (
                "Loại chi trả không có trong cấu hình",
                "Unknown payment type",
            ),
            Code::AlreadyPaid => ("Đã chi trả trong tháng", "Already paid this month"),
            Code::FailedBefore => (
                "Lần chi trước bị trả lại, chưa sửa",
                "Earlier payment failed; not corrected",
            ),
            Code::IdentityConflict => (
                "Thông tin nhận dạng trùng với người hưởng khác",
                "Identifiers match another beneficiary's payment",
            ),
            Code::CoefficientMismatch => (
                "Hệ số khác quy định theo đối tượng và tuổi",
                "Coefficient differs from the category's at this age",
            ),
            Code::AccountChanged => (
                "Tài khoản khác tháng trước",
                "Account differs from last month's",
            ),
            Code::RepeatedFailure => (
                "Ba tháng liền chi không thành công",
                "Three months of failed payments",
            ),
        }
    }

    /// The fix to ask the office for, in Vietnamese.
    pub fn fix_vi(self) -> &'static str {
        match self {
            Code::MalformedRow => {
                "Đặt các ô có dấu phân cách trong ngoặc kép, hoặc lưu lại danh sách từ Excel"
            }
            Code::UnknownBank => {
                "Ghi tên ngân hàng, tên viết tắt hoặc mã BIN (ví dụ Agribank hoặc 970405)"
            }
            Code::BadAccount => {
                "Kiểm tra số tài khoản theo sổ/thẻ ngân hàng; định dạng cột là Văn bản (Text) trong Excel"
            }
            Code::MissingName => "Ghi đầy đủ họ tên người hưởng",
            Code::BadName => "Ghi họ tên như trên CCCD, chỉ gồm chữ cái",
            Code::BadAmount => "Ghi số tiền là số nguyên đồng, ví dụ 540000 hoặc 540.000",
            Code::BadCitizenId => "Đối chiếu 12 số CCCD với thẻ căn cước",
            Code::BadBirthDate => "Ghi ngày sinh dạng ngày/tháng/năm",
            Code::DuplicateBeneficiary => "Mỗi người hưởng chỉ giữ một dòng rồi gửi lại danh sách",
            Code::SharedAccount => "Xác nhận chủ tài khoản nhận thay cho từng người hưởng",
            Code::AmountMismatch => "Kiểm tra hệ số và số tiền, hoặc ghi rõ khoản truy lĩnh",
            Code::UnknownPaymentType => {
                "Ghi loại chi trả có trong cấu hình (ví dụ Truy lĩnh, Mai táng)"
            }
            Code::AlreadyPaid => "Bỏ người hưởng này: tháng này đã chi trả",
            Code::FailedBefore => {
                "Ghi số tài khoản mới của người hưởng (hoặc bỏ người đã mất) trước khi chi lại"
            }
            Code::IdentityConflict => {
                "Đối chiếu CCCD, mã đối tượng và số tài khoản với hồ sơ rồi sửa dòng này"
            }
            Code::CoefficientMismatch => {
                "Đối chiếu đối tượng, ngày sinh và hệ số với quyết định hưởng (Nghị định 20/2021 Điều 6)"
            }
            Code::AccountChanged => "Xác nhận tài khoản mới với người hưởng trước khi chi trả",
            Code::RepeatedFailure => {
                "Xem xét tạm dừng hoặc xác minh người hưởng: ba tháng liền không nhận được tiền"
            }
        }
    }

    /// The fix to ask the office for.
    pub fn fix(self) -> &'static str {
        match self {
            Code::MalformedRow => {
                "quote cells that contain the delimiter, or save the list again from Excel"
            }
            Code::UnknownBank => {
                "write the bank's name, short name or NAPAS BIN (e.g. Agribank or 970405)"
            }
            Code::BadAccount => {
                "check the account number with the beneficiary's bank book; format the column as text in Excel"
            }
            Code::MissingName => "fill in the beneficiary's full name",
            Code::BadName => "write the name as on the ID card, letters only",
            Code::BadAmount => "write the amount as a whole number of đồng, e.g. 540000 or 540.000",
            Code::BadCitizenId => "check the 12-digit citizen ID against the ID card",
            Code::BadBirthDate => "write the date as dd/mm/yyyy",
            Code::DuplicateBeneficiary => "keep one row per beneficiary and send the list again",
            Code::SharedAccount => {
                "confirm the account holder receives for each of these beneficiaries"
            }
            Code::AmountMismatch => "check the coefficient and amount, or note the arrears",
            Code::UnknownPaymentType => {
                "write a payment type the office's configuration lists (e.g. Truy lĩnh, Mai táng)"
            }
            Code::AlreadyPaid => "remove the beneficiary: this month's payment was already made",
            Code::FailedBefore => {
                "give the beneficiary's new account (or remove a deceased beneficiary) before paying again"
            }
            Code::IdentityConflict => {
                "check the citizen ID, beneficiary code and account against the beneficiary's file, and correct the row"
            }
            Code::CoefficientMismatch => {
                "check the category, birth date and coefficient against the beneficiary's decision (Decree 20/2021 Art. 6)"
            }
            Code::AccountChanged => {
                "confirm the new account with the beneficiary before it is paid"
            }
            Code::RepeatedFailure => {
                "review the beneficiary for suspension: nothing reached them for three months"
            }
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
