//! The receiving-bank directory: NAPAS BIN, names, BIC and account-number
//! rules per bank (`schemas/banks.csv`), plus the names people write for
//! banks (`schemas/bank_aliases.csv`). It answers one question: which bank
//! does this cell mean?
//!
//! A cell is folded (case, diacritics, punctuation ignored) and looked up by
//! BIN, BIC, short name, full name or alias. Failing that, a trailing branch
//! part (`chi nhánh ...`, `CN ...`, `PGD ...`) and common prefixes (`Ngân
//! hàng TMCP`, `NH`) are removed and the lookup tried again, and finally
//! trailing words are dropped one by one (`BIDV Phú Lương` is BIDV). A name
//! that fits more than one bank is ambiguous and never guessed.

use std::collections::HashMap;

use super::{ReferenceError, read_table};
use crate::text::fold_key;

/// Index of a bank in the directory.
pub type BankId = u16;

/// Allowed account-number lengths and characters for one bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRule {
    /// Allowed lengths; empty means any length up to 19.
    pub lengths: Vec<std::ops::RangeInclusive<usize>>,
    /// Only digits, no letters.
    pub digits_only: bool,
}

impl AccountRule {
    /// Parses `13`, `10|13`, `8-15` or empty.
    fn parse(lengths: &str, chars: &str) -> Result<AccountRule, String> {
        let mut ranges = Vec::new();
        for part in lengths.split('|').map(str::trim).filter(|p| !p.is_empty()) {
            let (lo, hi) = part.split_once('-').unwrap_or((part, part));
            let bound = |s: &str| -> Result<usize, String> {
                s.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=19).contains(n))
                    .ok_or_else(|| format!("account length `{part}` is not a number from 1 to 19"))
            };
            ranges.push(bound(lo)?..=bound(hi)?);
        }
        let digits_only = match chars {
            "digits" => true,
            "alnum" | "" => false,
            other => {
                return Err(format!(
                    "account_chars `{other}` is neither `digits` nor `alnum`"
                ));
            }
        };
        Ok(AccountRule {
            lengths: ranges,
            digits_only,
        })
    }

    /// True when `len` is an allowed length.
    pub fn allows_length(&self, len: usize) -> bool {
        self.lengths.is_empty() || self.lengths.iter().any(|r| r.contains(&len))
    }

    /// The lengths as written in the directory, for messages.
    pub fn describe_lengths(&self) -> String {
        self.lengths
            .iter()
            .map(|r| {
                if r.start() == r.end() {
                    r.start().to_string()
                } else {
                    format!("{}-{}", r.start(), r.end())
                }
            })
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// One receiving institution.
#[derive(Debug, Clone)]
pub struct Bank {
    /// NAPAS BIN, six digits.
    pub bin: String,
    /// Short name (`Agribank`).
    pub short_name: String,
    /// Full Vietnamese name.
    pub full_name: String,
    /// SWIFT BIC, when the bank has one.
    pub bic: Option<String>,
    /// Account-number rule.
    pub account_rule: AccountRule,
    /// File-name-safe short name (`MB-Bank`).
    pub slug: String,
}

/// What a bank cell resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankMatch {
    /// Exactly one bank.
    Found(BankId),
    /// Several banks fit; never guessed.
    Ambiguous(Vec<BankId>),
    /// No bank fits.
    Unknown,
}

/// The directory and its lookup index.
#[derive(Debug, Clone)]
pub struct BankDirectory {
    banks: Vec<Bank>,
    /// Folded exact keys: BIN, BIC, names, aliases, and their core forms.
    index: HashMap<String, Vec<BankId>>,
    /// The same without full names: what a name may be cut down to when
    /// trailing words are dropped. Full names are left out because one
    /// bank's full name can open another's (`Sài Gòn` / `Sài Gòn Thương Tín`).
    short_index: HashMap<String, Vec<BankId>>,
}

/// Words that open a bank's name without naming the bank.
const PREFIXES: [&str; 10] = [
    "ngan hang thuong mai co phan",
    "ngan hang tmcp",
    "ngan hang tnhh mtv",
    "ngan hang tnhh",
    "ngan hang",
    "nh tmcp",
    "nh tnhh mtv",
    "nh tnhh",
    "nh",
    "nhtm",
];

/// Words that start a branch part (`Vietinbank CN Phú Lương`).
const BRANCH_MARKERS: [&str; 6] = [
    "chi nhanh",
    "cn",
    "pgd",
    "phong giao dich",
    "so giao dich",
    "sgd",
];

/// The name with its generic prefix and ` viet nam` suffix removed.
fn core(key: &str) -> &str {
    let mut k = key;
    for p in PREFIXES {
        if let Some(rest) = k.strip_prefix(p).and_then(|r| r.strip_prefix(' ')) {
            k = rest;
            break;
        }
    }
    k.strip_suffix(" viet nam").unwrap_or(k)
}

/// The name up to a branch marker, if it has one after its first word.
fn before_branch(key: &str) -> Option<&str> {
    let words: Vec<&str> = key.split(' ').collect();
    for i in 1..words.len() {
        for marker in BRANCH_MARKERS {
            let marker_words: Vec<&str> = marker.split(' ').collect();
            if words[i..].starts_with(&marker_words) {
                let end = words[..i].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
                return Some(&key[..end]);
            }
        }
    }
    None
}

fn slug(short_name: &str) -> String {
    let mut out = String::new();
    for word in short_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

impl BankDirectory {
    /// Parses `banks.csv` and `bank_aliases.csv`.
    pub fn parse(banks_csv: &str, aliases_csv: &str) -> Result<BankDirectory, ReferenceError> {
        let mut banks: Vec<Bank> = Vec::new();
        read_table(
            "banks.csv",
            banks_csv,
            &["bin", "short_name", "full_name", "bic"],
            |r| {
                let bin = r.get("bin");
                if bin.len() != 6 || !bin.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("`{bin}` is not a 6-digit NAPAS BIN"));
                }
                if banks.iter().any(|b| b.bin == bin) {
                    return Err(format!("BIN `{bin}` appears twice"));
                }
                let bic = r.get("bic");
                let valid_bic = (bic.len() == 8 || bic.len() == 11)
                    && bic
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    && bic.as_bytes()[4..6].iter().all(u8::is_ascii_uppercase);
                if !bic.is_empty() && !valid_bic {
                    return Err(format!("`{bic}` is not a BIC"));
                }
                let short_name = r.get("short_name");
                if short_name.is_empty() {
                    return Err(format!("bank `{bin}` has no short name"));
                }
                banks.push(Bank {
                    bin: bin.to_owned(),
                    short_name: short_name.to_owned(),
                    full_name: r.get("full_name").to_owned(),
                    bic: (!bic.is_empty()).then(|| bic.to_owned()),
                    account_rule: AccountRule::parse(
                        r.get("account_lengths"),
                        r.get("account_chars"),
                    )?,
                    slug: slug(short_name),
                });
                Ok(())
            },
        )?;
        let mut directory = BankDirectory {
            banks,
            index: HashMap::new(),
            short_index: HashMap::new(),
        };
        for id in 0..directory.banks.len() {
            let bank = directory.banks[id].clone();
            let id = id as BankId;
            directory.add_name(&bank.bin, id, true);
            if let Some(bic) = &bank.bic {
                directory.add_name(bic, id, true);
            }
            directory.add_name(&bank.short_name, id, true);
            // "Name (formerly Old name)": index both halves.
            for part in bank.full_name.split(['(', ')']) {
                let part = part.trim().trim_start_matches("formerly").trim();
                directory.add_name(part, id, false);
            }
        }
        let bins: HashMap<String, BankId> = directory
            .banks
            .iter()
            .enumerate()
            .map(|(i, b)| (b.bin.clone(), i as BankId))
            .collect();
        let mut aliases = Vec::new();
        read_table("bank_aliases.csv", aliases_csv, &["alias", "bin"], |r| {
            let bin = r.get("bin");
            let id = *bins
                .get(bin)
                .ok_or_else(|| format!("BIN `{bin}` is not in banks.csv"))?;
            aliases.push((r.get("alias").to_owned(), id));
            Ok(())
        })?;
        for (alias, id) in aliases {
            directory.add_name(&alias, id, true);
        }
        Ok(directory)
    }

    fn add_name(&mut self, name: &str, id: BankId, short: bool) {
        let key = fold_key(name);
        for k in [key.as_str(), core(&key)] {
            if k.is_empty() {
                continue;
            }
            let mut targets = vec![&mut self.index];
            if short {
                targets.push(&mut self.short_index);
            }
            for index in targets {
                let ids = index.entry(k.to_owned()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                    ids.sort_unstable();
                }
            }
        }
    }

    fn exact(&self, key: &str) -> Option<&Vec<BankId>> {
        self.index.get(key).or_else(|| self.index.get(core(key)))
    }

    /// Which bank a cell names.
    pub fn resolve(&self, cell: &str) -> BankMatch {
        let key = fold_key(cell);
        if key.is_empty() {
            return BankMatch::Unknown;
        }
        // A BIC with a branch code (11 characters) names its bank.
        let bic8 = (key.len() == 11 && !key.contains(' ')).then(|| &key[..8]);
        let mut found = self
            .exact(&key)
            .or_else(|| bic8.and_then(|k| self.exact(k)));
        if found.is_none()
            && let Some(head) = before_branch(&key)
        {
            found = self.exact(head);
        }
        if found.is_none() {
            let core_key = core(&key);
            let mut end = core_key.len();
            while let Some(space) = core_key[..end].rfind(' ') {
                end = space;
                if let Some(ids) = self.short_index.get(&core_key[..end]) {
                    found = Some(ids);
                    break;
                }
            }
        }
        match found.map(Vec::as_slice) {
            Some([id]) => BankMatch::Found(*id),
            Some(ids) if !ids.is_empty() => BankMatch::Ambiguous(ids.to_vec()),
            _ => BankMatch::Unknown,
        }
    }

    /// The bank with this id.
    pub fn get(&self, id: BankId) -> &Bank {
        &self.banks[usize::from(id)]
    }

    /// How many banks the directory holds.
    pub fn len(&self) -> usize {
        self.banks.len()
    }

    /// True when the directory is empty.
    pub fn is_empty(&self) -> bool {
        self.banks.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> BankDirectory {
        super::super::Reference::builtin().unwrap().banks
    }

    fn bin_of(cell: &str) -> Option<String> {
        let d = directory();
        match d.resolve(cell) {
            BankMatch::Found(id) => Some(d.get(id).bin.clone()),
            _ => None,
        }
    }

    #[test]
    fn bin_bic_and_short_name_in_any_case() {
        assert_eq!(bin_of("970405").as_deref(), Some("970405"));
        assert_eq!(bin_of("VBAAVNVX").as_deref(), Some("970405"));
        assert_eq!(bin_of("VBAAVNVX123").as_deref(), Some("970405"));
        assert_eq!(bin_of("agribank").as_deref(), Some("970405"));
        assert_eq!(bin_of("VietinBank").as_deref(), Some("970415"));
        assert_eq!(bin_of("VIETINBANK").as_deref(), Some("970415"));
    }

    #[test]
    fn names_as_people_write_them() {
        for (cell, bin) in [
            ("NHNo&PTNT Phú Lương", "970405"),
            (
                "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
                "970405",
            ),
            ("Agribank chi nhánh Thái Nguyên", "970405"),
            ("NH TMCP Ngoại thương", "970436"),
            ("VCB", "970436"),
            ("Vietinbank CN Phú Lương", "970415"),
            ("BIDV Phú Lương", "970418"),
            ("Ngân hàng TMCP Công thương Việt Nam", "970415"),
            ("LienVietPostBank", "970449"),
            ("Ngân hàng Chính sách xã hội", "999888"),
            ("MB Bank", "970422"),
        ] {
            assert_eq!(bin_of(cell).as_deref(), Some(bin), "{cell}");
        }
    }

    #[test]
    fn unknown_and_ambiguous_names_are_never_guessed() {
        let d = directory();
        assert_eq!(d.resolve("Ngân hàng Mặt Trăng"), BankMatch::Unknown);
        assert_eq!(d.resolve(""), BankMatch::Unknown);
        assert_eq!(d.resolve("123456"), BankMatch::Unknown);
        // One bank's full name opens another's: a misspelt Sacombank must not
        // become SCB ("Ngân hàng TMCP Sài Gòn").
        assert_eq!(
            d.resolve("Ngân hàng TMCP Sài Gòn Thương Tính"),
            BankMatch::Unknown
        );
        // IBK's two branches share one BIC.
        assert!(matches!(d.resolve("IBKOVNVX"), BankMatch::Ambiguous(ids) if ids.len() == 2));
    }

    #[test]
    fn account_rules_are_data() {
        let d = directory();
        let BankMatch::Found(agribank) = d.resolve("970405") else {
            panic!()
        };
        let rule = &d.get(agribank).account_rule;
        assert!(rule.allows_length(13));
        assert!(!rule.allows_length(12));
        assert!(rule.digits_only);
        let BankMatch::Found(vcb) = d.resolve("VCB") else {
            panic!()
        };
        assert_eq!(d.get(vcb).account_rule.describe_lengths(), "10 or 13");
        assert_eq!(
            AccountRule::parse("8-15", "").unwrap().describe_lengths(),
            "8-15"
        );
        assert!(AccountRule::parse("20", "").is_err());
    }

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("MB Bank"), "MB-Bank");
        assert_eq!(slug("CAKE by VPBank"), "CAKE-by-VPBank");
        assert_eq!(slug("Co-op Bank"), "Co-op-Bank");
    }
}
