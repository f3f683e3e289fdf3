//! ISO 20022 status and return reason codes in plain words for staff
//! (`schemas/reason_codes.csv`): what the bank said, what to ask the office
//! for, and whether paying again makes sense.

use std::collections::HashMap;

use super::{ReferenceError, read_table};

/// Whether a payment that failed for a reason may be paid again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reissue {
    /// Only to another (corrected) account.
    NewAccount,
    /// Again, possibly to the same account, once the cause is fixed.
    SameAccount,
    /// Never (the beneficiary died).
    No,
}

/// One reason code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The code (`AC04`).
    pub code: String,
    /// Meaning in Vietnamese.
    pub vi: String,
    /// Meaning in English.
    pub en: String,
    /// What to do, in Vietnamese.
    pub action_vi: String,
    /// What to do, in English.
    pub action_en: String,
    /// Whether to pay again.
    pub reissue: Reissue,
}

/// The reason-code table.
#[derive(Debug, Clone, Default)]
pub struct ReasonCodes {
    by_code: HashMap<String, Reason>,
}

impl ReasonCodes {
    /// Parses `reason_codes.csv`.
    pub fn parse(text: &str) -> Result<ReasonCodes, ReferenceError> {
        let mut by_code = HashMap::new();
        read_table(
            "reason_codes.csv",
            text,
            &["code", "vi", "en", "action_vi", "action_en", "reissue"],
            |r| {
                let code = r.get("code");
                if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(format!("`{code}` is not a four-character reason code"));
                }
                let reissue = match r.get("reissue") {
                    "new_account" => Reissue::NewAccount,
                    "same_account" => Reissue::SameAccount,
                    "no" => Reissue::No,
                    other => {
                        return Err(format!(
                            "reissue `{other}` is none of new_account, same_account, no"
                        ));
                    }
                };
                let reason = Reason {
                    code: code.to_owned(),
                    vi: r.get("vi").to_owned(),
                    en: r.get("en").to_owned(),
                    action_vi: r.get("action_vi").to_owned(),
                    action_en: r.get("action_en").to_owned(),
                    reissue,
                };
                if by_code.insert(code.to_owned(), reason).is_some() {
                    return Err(format!("code `{code}` appears twice"));
                }
                Ok(())
            },
        )?;
        Ok(ReasonCodes { by_code })
    }

    /// The entry for a code, if the table has it.
    pub fn get(&self, code: &str) -> Option<&Reason> {
        self.by_code.get(code)
    }

    /// The meaning of a code in Vietnamese and English; a code the table
    /// lacks is shown as itself (an empty code as no reason).
    pub fn meaning(&self, code: &str) -> (String, String) {
        match self.get(code) {
            Some(r) => (r.vi.clone(), r.en.clone()),
            None if code.is_empty() => (String::new(), String::new()),
            None => (format!("Mã lý do {code}"), format!("Reason code {code}")),
        }
    }

    /// Whether a payment that failed for `code` may be paid again; unknown
    /// codes leave it to the office (same account allowed).
    pub fn reissue(&self, code: &str) -> Reissue {
        self.get(code).map_or(Reissue::SameAccount, |r| r.reissue)
    }

    /// How many codes the table holds.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_codes_have_both_languages_and_a_decision() {
        let codes = ReasonCodes::parse(include_str!("../../schemas/reason_codes.csv")).unwrap();
        for code in [
            "AC01", "AC04", "AC06", "AC07", "AG01", "AM05", "BE01", "BE06", "MD07", "RC01",
        ] {
            let r = codes.get(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(!r.vi.is_empty() && !r.en.is_empty() && !r.action_vi.is_empty());
        }
        assert_eq!(codes.reissue("MD07"), Reissue::No);
        assert_eq!(codes.reissue("AC04"), Reissue::NewAccount);
        assert_eq!(codes.reissue("ZZ99"), Reissue::SameAccount);
        assert_eq!(codes.meaning("ZZ99").1, "Reason code ZZ99");
    }

    #[test]
    fn a_bad_decision_is_refused_with_its_line() {
        let err =
            ReasonCodes::parse("code,vi,en,action_vi,action_en,reissue\nAC04,a,b,c,d,maybe\n")
                .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
