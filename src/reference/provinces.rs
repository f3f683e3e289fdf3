//! Province codes that open a 12-digit citizen ID (the place of birth
//! registration), from `schemas/provinces.csv`.

use super::{ReferenceError, read_table};

/// Known 3-digit province codes and their names.
#[derive(Debug, Clone)]
pub struct Provinces {
    /// By code as a number (000-999): every row's citizen ID is looked up.
    names: Box<[Option<Box<str>>]>,
    len: usize,
}

/// `code` as a number, when it is three ASCII digits.
fn number(code: &str) -> Option<usize> {
    match code.as_bytes() {
        &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_digit) => {
            Some(usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0'))
        }
        _ => None,
    }
}

impl Provinces {
    /// Parses `provinces.csv`.
    pub fn parse(text: &str) -> Result<Provinces, ReferenceError> {
        let mut names = vec![None; 1000];
        read_table("provinces.csv", text, &["code", "name"], |r| {
            let code = r.get("code");
            let Some(at) = number(code) else {
                return Err(format!("`{code}` is not a 3-digit province code"));
            };
            names[at] = Some(r.get("name").into());
            Ok(())
        })?;
        let len = names.iter().flatten().count();
        Ok(Provinces {
            names: names.into(),
            len,
        })
    }

    /// The province's name, when the code is known.
    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(number(code)?)?.as_deref()
    }

    /// How many provinces are known.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_by_their_three_digits_only() {
        let provinces = Provinces::parse("code,name\n001,Hà Nội\n019,Thái Nguyên\n").unwrap();
        assert_eq!(provinces.len(), 2);
        assert_eq!(provinces.name("001"), Some("Hà Nội"));
        assert_eq!(provinces.name("019"), Some("Thái Nguyên"));
        for unknown in ["003", "999", "01", "1", "0019", "", "٠٠١", "0a1", "-01"] {
            assert_eq!(provinces.name(unknown), None, "{unknown:?}");
        }
        assert!(Provinces::parse("code,name\n1,x\n").is_err());
        assert!(Provinces::parse("code,name\nabc,x\n").is_err());
    }
}
