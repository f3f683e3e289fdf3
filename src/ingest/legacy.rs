//! The legacy Vietnamese font encodings lists still arrive in: TCVN3 (ABC,
//! the `.Vn` fonts, TCVN 5712:1993 VN3) and VNI (the VNI-Windows fonts).
//! Their character tables are data: `schemas/legacy_tcvn3.csv` (one byte
//! per letter; the positions VSCII-1/2 give to capitals in 0xA0-0xFF are
//! included) and `schemas/legacy_vni.csv` (a base byte and at most one
//! modifier byte per letter). Both are checked against independent
//! converters by the test suite.
//!
//! Which one a file is in cannot be read from its bytes: every byte means
//! something in each. [`plausibility`] scores a decoding by how many of its
//! words with Vietnamese letters are possible Vietnamese syllables (one
//! tone mark, one vowel group that Vietnamese has), so that a list's names
//! decide, whatever language its header is in.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

const TCVN3_CSV: &str = include_str!("../../schemas/legacy_tcvn3.csv");
const VNI_CSV: &str = include_str!("../../schemas/legacy_vni.csv");

fn parse_char(code: &str) -> char {
    code.strip_prefix("U+")
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32)
        .unwrap_or_else(|| panic!("legacy table: `{code}` is not a code point"))
}

fn rows(csv: &str) -> impl Iterator<Item = (Vec<u8>, char)> + '_ {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cells = line.split(',');
            let bytes = cells.next().unwrap_or_default();
            let bytes = (0..bytes.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&bytes[i..i + 2], 16).expect("legacy table: hex bytes"))
                .collect();
            (bytes, parse_char(cells.next().unwrap_or_default()))
        })
}

/// TCVN3: the character of each byte from 0xA0 (below, ASCII; 0x80-0x9F
/// unassigned).
static TCVN3: LazyLock<[Option<char>; 96]> = LazyLock::new(|| {
    let mut table = [None; 96];
    for (bytes, c) in rows(TCVN3_CSV) {
        assert!(
            bytes.len() == 1 && bytes[0] >= 0xA0,
            "legacy_tcvn3.csv: one byte from A0"
        );
        table[usize::from(bytes[0] - 0xA0)] = Some(c);
    }
    table
});

/// VNI: letters of one byte, and of a base and a modifier byte.
struct Vni {
    single: HashMap<u8, char>,
    pair: HashMap<(u8, u8), char>,
}

static VNI: LazyLock<Vni> = LazyLock::new(|| {
    let mut vni = Vni {
        single: HashMap::new(),
        pair: HashMap::new(),
    };
    for (bytes, c) in rows(VNI_CSV) {
        match bytes[..] {
            [b] => vni.single.insert(b, c),
            [a, b] => vni.pair.insert((a, b), c),
            _ => panic!("legacy_vni.csv: one or two bytes"),
        };
    }
    vni
});

/// Every (byte sequence, letter) of a table, for tests against other
/// converters.
pub fn table(name: &str) -> Vec<(Vec<u8>, char)> {
    match name {
        "tcvn3" => rows(TCVN3_CSV).collect(),
        _ => rows(VNI_CSV).collect(),
    }
}

/// Decodes TCVN3; `None` when a byte is unassigned.
pub fn decode_tcvn3(bytes: &[u8]) -> Option<String> {
    let table = &*TCVN3;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    for &b in bytes {
        match b {
            0x00..=0x7F => text.push(char::from(b)),
            0x80..=0x9F => return None,
            _ => text.push(table[usize::from(b - 0xA0)]?),
        }
    }
    Some(capitals(&text.nfc().collect::<String>()))
}

/// TCVN3 has no capitals with tone marks: capitals are typed in a capitals
/// font (`.VnTimeH`) over the small letters' codes, and some converters
/// write the untoned capital followed by the toned small letter (`Aµ` for
/// `À`, `¢Ê` for `Ấ`).
/// A word otherwise in capitals is put in capitals, and the second form is
/// joined.
fn capitals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_uppercase()
            && let Some(&next) = chars.get(i + 1)
            && !next.is_ascii()
            && next.is_lowercase()
            && untoned(next).map(|(letter, _)| letter) == c.to_lowercase().next()
        {
            out.extend(next.to_uppercase());
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    // Words in capitals but for small Vietnamese letters.
    let mut result = String::with_capacity(out.len());
    for (word, is_word) in words_and_gaps(&out) {
        let ascii_upper = word.chars().any(|c| c.is_ascii_uppercase());
        let ascii_lower = word.chars().any(|c| c.is_ascii_lowercase());
        if is_word && ascii_upper && !ascii_lower {
            result.push_str(&word.to_uppercase());
        } else {
            result.push_str(word);
        }
    }
    result
}

/// Decodes VNI; `None` when a byte means nothing in Windows-1252 either.
pub fn decode_vni(bytes: &[u8]) -> Option<String> {
    let vni = &*VNI;
    let mut text = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(&next) = bytes.get(i + 1)
            && let Some(&c) = vni.pair.get(&(b, next))
        {
            text.push(c);
            i += 2;
            continue;
        }
        if let Some(&c) = vni.single.get(&b) {
            text.push(c);
        } else if b.is_ascii() {
            text.push(char::from(b));
        } else {
            let (c, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes[i..=i]);
            if bad || c.chars().any(char::is_control) {
                return None;
            }
            text.push_str(&c);
        }
        i += 1;
    }
    Some(text.nfc().collect())
}

/// The text in words (letters and combining marks) and what lies between.
fn words_and_gaps(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let is_letter = |c: char| c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c);
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (i, c) in text.char_indices() {
        let letter = is_letter(c);
        match in_word {
            Some(w) if w != letter => {
                pieces.push((&text[start..i], w));
                start = i;
                in_word = Some(letter);
            }
            None => in_word = Some(letter),
            _ => {}
        }
    }
    if let Some(w) = in_word {
        pieces.push((&text[start..], w));
    }
    pieces.into_iter()
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A lower-case letter without its tone mark, if it is a Vietnamese letter
/// (`ế` → `ê`), and whether it had a tone mark.
fn untoned(c: char) -> Option<(char, bool)> {
    if c == 'đ' {
        return Some(('đ', false));
    }
    let mut parts = c.nfd();
    let base = parts.next()?;
    if !base.is_ascii_lowercase() {
        return None;
    }
    let (mut modifier, mut tone) = (None, false);
    for mark in parts {
        match mark {
            '\u{302}' | '\u{306}' | '\u{31B}' if modifier.is_none() => modifier = Some(mark),
            m if TONES.contains(&m) && !tone => tone = true,
            _ => return None,
        }
    }
    let letter = match modifier {
        None => base,
        Some(m) => std::iter::once(base)
            .chain(std::iter::once(m))
            .nfc()
            .next()?,
    };
    matches!(letter, 'a'..='z' | 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư').then_some((letter, tone))
}

const VOWEL_GROUPS: [&str; 55] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "yêu", "oai", "oao", "oay", "oeo",
    "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu",
];

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Whether a word could be one Vietnamese syllable: Vietnamese letters only,
/// at most one tone mark, consonants around one vowel group that exists
/// (after the `qu` and `gi` onsets).
pub fn is_syllable(word: &str) -> bool {
    let mut letters = Vec::with_capacity(word.len());
    let mut tones = 0;
    for c in word.nfc() {
        let Some((letter, tone)) = untoned(c.to_lowercase().next().unwrap_or(c)) else {
            return false;
        };
        tones += usize::from(tone);
        letters.push(letter);
    }
    if tones > 1 {
        return false;
    }
    let Some(first) = letters.iter().position(|c| is_vowel(*c)) else {
        return false;
    };
    let mut start = first;
    if first > 0 && start + 1 < letters.len() && is_vowel(letters[start + 1]) {
        let onset = letters[first - 1];
        if (onset == 'q' && letters[start] == 'u') || (onset == 'g' && letters[start] == 'i') {
            start += 1;
        }
    }
    let end = letters[start..]
        .iter()
        .position(|c| !is_vowel(*c))
        .map_or(letters.len(), |p| start + p);
    if letters[end..].iter().any(|c| is_vowel(*c)) {
        return false;
    }
    let group: String = letters[start..end].iter().collect();
    VOWEL_GROUPS.contains(&group.as_str())
}

/// How Vietnamese a decoding looks: +1 for each word with a non-ASCII
/// letter that is a possible syllable, -1 for each that is not and for
/// each symbol a list of names has no use for. Looks at the first 64 KiB.
pub fn plausibility(text: &str) -> i64 {
    let end = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i >= 64 * 1024)
        .unwrap_or(text.len());
    let mut score = 0;
    for (piece, is_word) in words_and_gaps(&text[..end]) {
        if is_word {
            if !piece.is_ascii() {
                score += if is_syllable(piece) { 1 } else { -1 };
            }
        } else {
            score -= piece
                .chars()
                .filter(|c| {
                    !c.is_ascii()
                        && !c.is_whitespace()
                        && !matches!(c, '–' | '—' | '‘' | '’' | '“' | '”' | '…' | '№' | '°')
                })
                .count() as i64;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_told_from_mojibake() {
        for word in [
            "Nguyễn",
            "Hoà",
            "hòa",
            "Thuỷ",
            "khuyết",
            "Quỳnh",
            "giữa",
            "Người",
            "ĐẶNG",
            "xoong",
            "khuya",
            "Phường",
            "tuổi",
            "yêu",
        ] {
            assert!(is_syllable(word), "{word}");
        }
        // VNI read as Windows-1258, TCVN3 read as Windows-1258 and so on.
        for word in [
            "Nguyeãn",
            "Vaên",
            "NguyÔn",
            "Hå",
            "tªn",
            "Nguyờịn",
            "ĐĐ",
            "aà",
        ] {
            assert!(!is_syllable(word), "{word}");
        }
    }

    #[test]
    fn tcvn3_and_vni_decode_names() {
        // "Nguyễn Thị Hương" typed in .VnTime: ễ = D4, ị = DE, ư = AD, ơ = AC.
        assert_eq!(
            decode_tcvn3(b"Nguy\xD4n Th\xDE H\xAD\xACng").unwrap(),
            "Nguyễn Thị Hương"
        );
        // In a capitals font the small letters' codes are used.
        assert_eq!(
            decode_tcvn3(b"NGUY\xD4N V\xA8N \xA7\xB5I").unwrap(),
            "NGUYỄN VĂN ĐÀI"
        );
        assert_eq!(decode_tcvn3(b"A\xB5").unwrap(), "À");
        assert_eq!(decode_tcvn3(b"\xA2\xCA").unwrap(), "Ấ");
        assert!(decode_tcvn3(b"\x81").is_none());
        // VNI: "Nguyễn Văn Đức", "Phường".
        assert_eq!(
            decode_vni(b"Nguye\xE3n Va\xEAn \xD1\xF6\xF9c").unwrap(),
            "Nguyễn Văn Đức"
        );
        assert_eq!(decode_vni(b"Ph\xF6\xF4\xF8ng").unwrap(), "Phường");
    }

    #[test]
    fn the_right_decoding_scores_highest() {
        let tcvn3 = b"STT,H\xE4 v\xB5 t\xAAn\n1,Nguy\xD4n Th\xDE H\xAD\xACng\n";
        let as_tcvn3 = plausibility(&decode_tcvn3(tcvn3).unwrap());
        let as_vni = plausibility(&decode_vni(tcvn3).unwrap());
        let (as_1258, _, _) = encoding_rs::WINDOWS_1258.decode(tcvn3);
        assert!(as_tcvn3 > as_vni && as_tcvn3 > plausibility(&as_1258.nfc().collect::<String>()));

        let vni = b"name,amount\nNguye\xE3n Va\xEAn \xD1\xF6\xF9c,540000\n";
        let as_vni = plausibility(&decode_vni(vni).unwrap());
        let as_tcvn3 = decode_tcvn3(vni).map_or(i64::MIN, |t| plausibility(&t));
        let (as_1258, _, _) = encoding_rs::WINDOWS_1258.decode(vni);
        assert!(as_vni > as_tcvn3 && as_vni > plausibility(&as_1258.nfc().collect::<String>()));
    }
}
