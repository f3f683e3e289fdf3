//! `BAD_CITIZEN_ID`: the citizen ID is not 12 digits (nor a 9-digit legacy
//! CMND), opens with an unknown province code, or its century/sex digit
//! disagrees with the birth year or the sex column.
//!
//! A 12-digit ID is province (3 digits) + century/sex (1: 0/1 for the
//! 1900s, 2/3 for the 2000s, 4/5 for the 2100s; even male, odd female) +
//! birth year (2) + serial (6). There is no check digit.

use std::fmt;
use std::num::NonZeroU8;
use std::ops::Deref;

use chrono::{Datelike, NaiveDate};

use crate::reference::Provinces;
use crate::text::fold_key;

/// A citizen ID (12 digits) or legacy CMND (9) that passed the rule, held
/// in 13 bytes (a national list holds millions). Reads as its digits;
/// `Debug` shows only the first three and the last two.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CitizenId {
    digits: [u8; 12],
    len: NonZeroU8,
}

impl CitizenId {
    /// `digits`: 9 or 12 ASCII digits.
    fn new(digits: &str) -> CitizenId {
        assert!(
            matches!(digits.len(), 9 | 12) && digits.bytes().all(|b| b.is_ascii_digit()),
            "a citizen ID is 9 or 12 digits"
        );
        let mut held = [0; 12];
        held[..digits.len()].copy_from_slice(digits.as_bytes());
        CitizenId {
            digits: held,
            len: NonZeroU8::new(digits.len() as u8).expect("9 or 12"),
        }
    }

    /// The birth year a 12-digit ID encodes (century digit and two year
    /// digits); none for a 9-digit CMND.
    pub fn birth_year(&self) -> Option<i32> {
        let id = self.as_str();
        (id.len() == 12).then(|| {
            let digit = i32::from(id.as_bytes()[3] - b'0');
            1900 + 100 * (digit / 2) + id[4..6].parse::<i32>().expect("digits")
        })
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[..usize::from(self.len.get())]).expect("ASCII digits")
    }
}

impl Deref for CitizenId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.as_str();
        let hidden = "*".repeat(id.len() - 5);
        write!(f, "CitizenId({}{hidden}{})", &id[..3], &id[id.len() - 2..])
    }
}

/// The normalised ID, `None` when the cell is empty.
pub fn check(
    cell: &str,
    birth: Option<NaiveDate>,
    sex: &str,
    provinces: &Provinces,
) -> Result<Option<CitizenId>, String> {
    let id = crate::text::without_spaces(cell);
    if id.is_empty() {
        return Ok(None);
    }
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the citizen ID `{id}` is not all digits"));
    }
    match id.len() {
        9 => return Ok(Some(CitizenId::new(&id))),
        12 => {}
        11 | 8 => {
            return Err(format!(
                "the citizen ID `{id}` has {} digits: a leading 0 was probably lost in Excel",
                id.len()
            ));
        }
        n => {
            return Err(format!(
                "the citizen ID `{id}` has {n} digits, not 12 (or 9 for an old CMND)"
            ));
        }
    }
    let province = &id[..3];
    if provinces.name(province).is_none() {
        return Err(format!(
            "the citizen ID `{id}` opens with `{province}`, which is no province code"
        ));
    }
    let digit = u32::from(id.as_bytes()[3] - b'0');
    let century = 1900 + 100 * (digit / 2) as i32;
    let year = century + id[4..6].parse::<i32>().expect("two digits");
    if let Some(birth) = birth
        && birth.year() != year
    {
        return Err(format!(
            "the citizen ID `{id}` is for someone born in {year}, the birth date says {}",
            birth.year()
        ));
    }
    let female = digit % 2 == 1;
    let stated = match fold_key(sex).as_str() {
        "nu" | "f" | "female" => Some(true),
        "nam" | "m" | "male" => Some(false),
        _ => None,
    };
    if stated.is_some_and(|s| s != female) {
        let says = if female { "a woman" } else { "a man" };
        return Err(format!(
            "the citizen ID `{id}` is for {says}, the sex column says `{}`",
            sex.trim()
        ));
    }
    Ok(Some(CitizenId::new(&id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;

    fn run(
        cell: &str,
        birth: Option<(i32, u32, u32)>,
        sex: &str,
    ) -> Result<Option<CitizenId>, String> {
        let provinces = Reference::builtin().unwrap().provinces;
        let birth = birth.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        check(cell, birth, sex, &provinces)
    }

    #[test]
    fn valid_ids_pass() {
        assert_eq!(
            run("019148001234", Some((1948, 3, 7)), "Nữ")
                .unwrap()
                .as_deref(),
            Some("019148001234")
        );
        assert_eq!(
            run("001 205 001234", Some((2005, 1, 1)), "")
                .unwrap()
                .as_deref(),
            Some("001205001234")
        );
        assert_eq!(
            run("123456789", None, "").unwrap().as_deref(),
            Some("123456789")
        );
        assert_eq!(run("", None, "").unwrap(), None);
    }

    #[test]
    fn an_id_is_held_in_thirteen_bytes_and_masked_in_debug() {
        assert_eq!(std::mem::size_of::<Option<CitizenId>>(), 13);
        let id = run("019148001234", None, "").unwrap().unwrap();
        assert_eq!(&*id, "019148001234");
        assert_eq!(format!("{id:?}"), "CitizenId(019*******34)");
        let cmnd = run("123456789", None, "").unwrap().unwrap();
        assert_eq!(format!("{cmnd:?}"), "CitizenId(123****89)");
    }

    #[test]
    fn bad_ids_say_why() {
        assert!(
            run("01914800123", None, "")
                .unwrap_err()
                .contains("leading 0 was probably lost")
        );
        assert!(
            run("0191480012345", None, "")
                .unwrap_err()
                .contains("13 digits")
        );
        assert!(
            run("01914800123A", None, "")
                .unwrap_err()
                .contains("not all digits")
        );
        assert!(
            run("003148001234", None, "")
                .unwrap_err()
                .contains("no province code")
        );
        assert!(
            run("019148001234", Some((1958, 1, 1)), "")
                .unwrap_err()
                .contains("born in 1948")
        );
        assert!(
            run("019048001234", Some((1948, 1, 1)), "Nữ")
                .unwrap_err()
                .contains("for a man")
        );
        assert!(
            run("019348001234", Some((1948, 1, 1)), "")
                .unwrap_err()
                .contains("born in 2048")
        );
    }
}
