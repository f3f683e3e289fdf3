//! `bank_profiles.csv`: what each receiving bank's channel loads. A bank
//! the table does not list gets one pain.001.001.09 file with names in the
//! SWIFT character set; a listed one may take pain.001.001.03, cap the
//! transactions of one file (its payments then go into numbered parts),
//! and take names with their Vietnamese diacritics.

use std::collections::HashMap;

use super::templates::Template;
use super::{BankDirectory, BankMatch, ReferenceError, read_table};

/// The message a bank loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BankFormat {
    /// ISO 20022 pain.001.001.09 (the default).
    #[default]
    Pain001V09,
    /// ISO 20022 pain.001.001.03, which many host-to-host channels still take.
    Pain001V03,
    /// The bank's own upload workbook, described by a template.
    Template,
}

impl BankFormat {
    /// Its name, as the table and the manifest write it.
    pub fn as_str(self) -> &'static str {
        match self {
            BankFormat::Pain001V09 => "pain.001.001.09",
            BankFormat::Pain001V03 => "pain.001.001.03",
            BankFormat::Template => "template",
        }
    }
}

/// How names and texts are written for a bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameStyle {
    /// Upper-case ASCII of the SWIFT set (`DANG VAN DUC`), which every bank takes.
    #[default]
    Ascii,
    /// As written, with diacritics (NFC), where the bank's channel takes them.
    Vietnamese,
}

/// One bank's profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BankProfile {
    /// The message it loads.
    pub format: BankFormat,
    /// The most transactions one file may hold (`None`: no limit).
    pub max_transactions: Option<usize>,
    /// How names are written.
    pub name_style: NameStyle,
    /// The template of a bank whose format is `template`: an index into
    /// [`BankProfiles::template`].
    pub template: Option<u16>,
}

/// The fewest transactions a part may be capped at: a national month at
/// one bank then still fits the 1,295 parts ids can number.
pub const MIN_MAX_TRANSACTIONS: usize = 100;

/// Every bank's profile, by BIN.
#[derive(Debug, Clone, Default)]
pub struct BankProfiles {
    by_bin: HashMap<String, BankProfile>,
    templates: Vec<Template>,
}

impl BankProfiles {
    /// Parses the table; each BIN must be a bank of the directory.
    /// `read_template` gives the text of `bank_templates/<name>`.
    pub fn parse(
        text: &str,
        banks: &BankDirectory,
        read_template: &dyn Fn(&str) -> Result<String, ReferenceError>,
    ) -> Result<BankProfiles, ReferenceError> {
        let mut by_bin = HashMap::new();
        let mut templates: Vec<Template> = Vec::new();
        let mut failed: Option<ReferenceError> = None;
        read_table(
            "bank_profiles.csv",
            text,
            &[
                "bin",
                "format",
                "max_transactions",
                "template",
                "name_style",
            ],
            |r| {
                let bin = r.get("bin");
                if !matches!(banks.resolve(bin), BankMatch::Found(id) if banks.get(id).bin == bin) {
                    return Err(format!("`{bin}` is not the BIN of a bank in banks.csv"));
                }
                let format = match r.get("format") {
                    "" | "pain.001.001.09" => BankFormat::Pain001V09,
                    "pain.001.001.03" => BankFormat::Pain001V03,
                    "template" => BankFormat::Template,
                    other => {
                        return Err(format!(
                            "format `{other}` is not pain.001.001.09 or pain.001.001.03"
                        ));
                    }
                };
                let template = match (format, r.get("template")) {
                    (BankFormat::Template, "") => {
                        return Err("format `template` needs a template file name".to_owned());
                    }
                    (BankFormat::Template, file) => {
                        if !Template::is_file_name(file) {
                            return Err(format!(
                                "template `{file}` is not a file name in bank_templates/ (letters, digits, - _ . and .toml)"
                            ));
                        }
                        match templates.iter().position(|t| t.file == file) {
                            Some(i) => Some(i as u16),
                            None => {
                                let loaded = read_template(file)
                                    .and_then(|text| Template::parse(file, &text));
                                match loaded {
                                    Ok(t) => {
                                        templates.push(t);
                                        Some((templates.len() - 1) as u16)
                                    }
                                    Err(e) => {
                                        let why = e.to_string();
                                        failed = Some(e);
                                        return Err(format!("template `{file}`: {why}"));
                                    }
                                }
                            }
                        }
                    }
                    (_, "") => None,
                    (_, _) => {
                        return Err("a template is named but the format is not `template`".to_owned());
                    }
                };
                let max_transactions = match r.get("max_transactions") {
                    "" => None,
                    n => Some(
                        n.parse::<usize>()
                            .ok()
                            .filter(|&n| n >= MIN_MAX_TRANSACTIONS)
                            .ok_or_else(|| {
                                format!(
                                    "max_transactions `{n}` is not a number of at least {MIN_MAX_TRANSACTIONS}"
                                )
                            })?,
                    ),
                };
                let name_style = match r.get("name_style") {
                    "" | "ascii" => NameStyle::Ascii,
                    "vietnamese" => NameStyle::Vietnamese,
                    other => {
                        return Err(format!(
                            "name_style `{other}` is neither `ascii` nor `vietnamese`"
                        ));
                    }
                };
                if by_bin
                    .insert(
                        bin.to_owned(),
                        BankProfile {
                            format,
                            max_transactions,
                            name_style,
                            template,
                        },
                    )
                    .is_some()
                {
                    return Err(format!("BIN `{bin}` appears twice"));
                }
                Ok(())
            },
        )
        .map_err(|e| failed.take().unwrap_or(e))?;
        Ok(BankProfiles { by_bin, templates })
    }

    /// A template by its index in a profile.
    pub fn template(&self, index: u16) -> &Template {
        &self.templates[usize::from(index)]
    }

    /// The templates the profiles name.
    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// The profile of the bank with this BIN.
    pub fn of(&self, bin: &str) -> BankProfile {
        self.by_bin.get(bin).copied().unwrap_or_default()
    }

    /// Whether any bank takes names with diacritics.
    pub fn any_vietnamese(&self) -> bool {
        self.by_bin
            .values()
            .any(|p| p.name_style == NameStyle::Vietnamese)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn banks() -> BankDirectory {
        crate::reference::Reference::builtin().unwrap().banks
    }

    fn none(file: &str) -> Result<String, ReferenceError> {
        Err(ReferenceError::Malformed {
            file: format!("bank_templates/{file}"),
            line: 1,
            message: "no such template".to_owned(),
        })
    }

    #[test]
    fn a_malformed_line_is_named_with_its_line() {
        let head = "bin,format,max_transactions,template,name_style\n";
        for (line, says) in [
            ("999999,,,,\n", "not the BIN of a bank"),
            ("970405,pain.001.001.02,,,\n", "is not pain.001.001.09"),
            ("970405,,10,,\n", "at least 100"),
            ("970405,,,,fancy\n", "neither `ascii`"),
            ("970405,template,,,\n", "needs a template"),
            ("970405,template,,../x.toml,\n", "is not a file name"),
        ] {
            let err = BankProfiles::parse(&format!("{head}{line}"), &banks(), &none).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains("bank_profiles.csv` line 2") && text.contains(says),
                "{text}"
            );
        }
        let twice =
            BankProfiles::parse(&format!("{head}970405,,,,\n970405,,,,\n"), &banks(), &none);
        assert!(twice.unwrap_err().to_string().contains("line 3"));
        let ok = BankProfiles::parse(
            &format!("{head}970405,pain.001.001.03,5000,,vietnamese\n"),
            &banks(),
            &none,
        )
        .unwrap();
        assert_eq!(
            ok.of("970405"),
            BankProfile {
                format: BankFormat::Pain001V03,
                max_transactions: Some(5000),
                name_style: NameStyle::Vietnamese,
                template: None,
            }
        );
        assert_eq!(ok.of("970418"), BankProfile::default());
    }
}
