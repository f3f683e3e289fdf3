//! Vietnamese text: the normal form every cell is stored in, the folded form
//! used wherever two pieces of text are compared, and the upper-case ASCII
//! form that banks hold account-holder names in.
//!
//! Lists arrive in NFC or NFD, with old-style ("hoà", "thuỷ") or new-style
//! ("hòa", "thủy") tone placement, and with stray spaces. Storing NFC and
//! comparing folded text makes all of those equal without losing what the
//! office wrote.

use compact_str::CompactString;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `cell` without its white space: the account numbers and citizen IDs
/// offices type with spaces in them, held inline when short.
pub fn without_spaces(cell: &str) -> CompactString {
    if cell
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b)
    {
        CompactString::new(cell)
    } else {
        CompactString::new(
            cell.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        )
    }
}

/// NFC, trimmed, with every run of white space (including no-break spaces)
/// collapsed to one ASCII space.
pub fn clean(s: &str) -> String {
    if is_clean_text(s) {
        return s.to_owned();
    }
    clean_slow(s)
}

/// [`clean`] into a [`CompactString`]: a short cell (most names, codes
/// and numbers) is held inline, without an allocation of its own.
pub fn clean_compact(s: &str) -> CompactString {
    if is_clean_text(s) {
        CompactString::new(s)
    } else {
        CompactString::new(clean_slow(s))
    }
}

/// [`clean`], worked out character by character.
fn clean_slow(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    // Most cells are already NFC: skip the normaliser for them.
    let chars: Box<dyn Iterator<Item = char>> = if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Box::new(s.chars())
    } else {
        Box::new(s.nfc())
    };
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// True when `s` is already what [`clean`] makes of it, as nearly every
/// cell is: characters that are NFC whatever surrounds them (starters that
/// never compose, looked up in [`latin_flags`]) and single spaces between
/// words.
fn is_clean_text(s: &str) -> bool {
    let flags = latin_flags();
    let mut after_space = true;
    for c in s.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
            continue;
        }
        after_space = false;
        // A string of starters that are each NFC is NFC: anything that
        // composes with a starter is a character that is not one.
        let stable = c.is_ascii() && !c.is_whitespace()
            || flags
                .get((c as usize).wrapping_sub(0x80))
                .is_some_and(|f| f & STABLE != 0);
        if !stable {
            return false;
        }
    }
    !after_space || s.is_empty()
}

/// True when `c` may be in a person's name: a letter or a combining mark.
pub fn is_name_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    match latin_flags().get((c as usize).wrapping_sub(0x80)) {
        Some(f) => f & NAME_LETTER != 0,
        None => c.is_alphabetic() || is_combining_mark(c),
    }
}

/// [`latin_flags`]: NFC whatever surrounds it, and not white space.
const STABLE: u8 = 1;
/// [`latin_flags`]: a letter or a combining mark.
const NAME_LETTER: u8 = 2;

/// For U+0080 to U+1EFF: [`STABLE`] and [`NAME_LETTER`], worked out once
/// from the Unicode tables.
fn latin_flags() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x1f00)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return 0;
                };
                let mut flags = 0;
                if !c.is_whitespace()
                    && unicode_normalization::char::canonical_combining_class(c) == 0
                    && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
                {
                    flags |= STABLE;
                }
                if c.is_alphabetic() || is_combining_mark(c) {
                    flags |= NAME_LETTER;
                }
                flags
            })
            .collect()
    })
}

/// Removes diacritics: calls `f` with each character's canonical
/// decomposition without its combining marks (the same as NFD then dropping
/// marks, without the reordering NFD needs, since every mark is dropped),
/// `đ`/`Đ` mapped to `d`/`D` (Đ does not decompose).
fn strip_marks(s: &str, mut f: impl FnMut(char)) {
    let table = latin_bases();
    for c in s.chars() {
        if c.is_ascii() {
            f(c);
            continue;
        }
        match table.get((c as usize).wrapping_sub(0x80)) {
            Some(&BASE_NONE) => {}
            Some(&b) if b != BASE_SLOW => f(char::from(b)),
            _ => strip_char(c, &mut f),
        }
    }
}

/// [`strip_marks`] of one character, worked out.
fn strip_char(c: char, f: &mut impl FnMut(char)) {
    match c {
        'đ' => f('d'),
        'Đ' => f('D'),
        c => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                f(d);
            }
        }),
    }
}

const BASE_NONE: u8 = 0xff;
const BASE_SLOW: u8 = 0;

/// For U+0080 to U+1EFF (Latin-1, the Latin extensions, combining marks
/// and Vietnamese's precomposed letters): the one ASCII character
/// [`strip_char`] makes of it, `BASE_NONE` when it makes nothing, else
/// `BASE_SLOW`. Worked out once from the decomposition tables, so that
/// names are stripped by a lookup.
fn latin_bases() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x1f00)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return BASE_SLOW;
                };
                let mut out = Vec::new();
                strip_char(c, &mut |d| out.push(d));
                match out.as_slice() {
                    [] => BASE_NONE,
                    [d] if d.is_ascii() && *d != '\0' => *d as u8,
                    _ => BASE_SLOW,
                }
            })
            .collect()
    })
}

/// The comparison key of a header, a bank name or a person's name: lower-case
/// ASCII letters and digits in words separated by one space. Punctuation
/// separates words, so `NHNo&PTNT`, `NHNo & PTNT` and `nhno ptnt` are equal.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_key_into(s, &mut out);
    out
}

/// [`fold_key`] appended to `out`, for loops that reuse one buffer.
pub fn fold_key_into(s: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    strip_marks(s, |c| {
        if c.is_ascii_alphanumeric() {
            if pending_space && out.len() > start {
                out.push(' ');
            }
            pending_space = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_space = true;
        }
    });
}

/// Characters every ISO 20022 implementation accepts in names and remittance
/// text (the SWIFT "x" character set).
fn is_swift_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " /-?:().,'+".contains(c)
}

/// The form banks hold a name in: diacritics removed, upper case, only
/// characters of the SWIFT set, single spaces, at most `max` characters (cut
/// at a word boundary where one exists). `Đặng Văn Đức` becomes `DANG VAN DUC`.
pub fn bank_ascii(s: &str, max: usize) -> CompactString {
    // Built in a `String` (pushing a character there is cheap), then held
    // inline when it is short.
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    strip_marks(s, |c| {
        let c = c.to_ascii_uppercase();
        if is_swift_char(c) && c != ' ' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    });
    CompactString::new(truncate_words(out, max))
}

/// A name or text as a bank that takes Vietnamese receives it: NFC, single
/// spaces, no control or format characters, at most `max` characters (cut
/// at a word boundary where one exists). XML escaping is the writer's.
pub fn bank_vietnamese(s: &str, max: usize) -> CompactString {
    let cleaned = clean(s);
    let kept: String = cleaned
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
        .collect();
    if kept.chars().count() <= max {
        return CompactString::new(kept);
    }
    let cut: String = kept.chars().take(max + 1).collect();
    let end = match cut.trim_end().rfind(' ') {
        Some(space) if space > 0 && cut[..space].chars().count() <= max => space,
        _ => cut.char_indices().nth(max).map_or(cut.len(), |(i, _)| i),
    };
    CompactString::new(cut[..end].trim_end())
}

/// Cuts ASCII text to at most `max` bytes, at the last space before the limit
/// when there is one.
fn truncate_words(mut s: String, max: usize) -> String {
    if s.len() <= max {
        return s;
    }
    let cut = match s[..=max].rfind(' ') {
        Some(space) if space > 0 => space,
        _ => max,
    };
    s.truncate(cut);
    s.truncate(s.trim_end().len());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_taken_as_clean_is_what_cleaning_makes() {
        let nfd_e: String = "ệ".nfd().collect();
        for cp in (0x0u32..0x1f00).chain([0x2028, 0x3000, 0xfeff]) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for s in [
                format!("{c}"),
                format!("a{c}b"),
                format!("Lê {c}"),
                format!("{c} "),
                format!("e{c}"),
                format!("{c}{nfd_e}"),
                format!("{c}\u{301}"),
            ] {
                if is_clean_text(&s) {
                    assert_eq!(clean_slow(&s), s, "U+{cp:04X} in {s:?}");
                }
            }
            let letter = c.is_alphabetic() || is_combining_mark(c);
            assert_eq!(is_name_letter(c), letter, "U+{cp:04X}");
        }
        assert!(is_clean_text("Nguyễn Thị Hoà"));
        assert!(!is_clean_text(&nfd_e));
        assert!(!is_clean_text("Lê\u{a0}Văn"));
    }

    #[test]
    fn spaces_are_taken_out_of_numbers() {
        assert_eq!(without_spaces("3700 2051\u{a0}23456"), "3700205123456");
        assert_eq!(without_spaces(" 019\t148\u{b}001234 "), "019148001234");
        assert_eq!(without_spaces("019148001234"), "019148001234");
    }

    #[test]
    fn the_lookup_table_strips_as_the_decomposition_does() {
        for cp in 0x80u32..0x1f00 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = c.to_string();
            let (mut fast, mut slow) = (String::new(), String::new());
            strip_marks(&s, |d| fast.push(d));
            strip_char(c, &mut |d| slow.push(d));
            assert_eq!(fast, slow, "U+{cp:04X}");
        }
        assert_eq!(latin_bases()['ệ' as usize - 0x80], b'e');
        assert_eq!(latin_bases()['\u{301}' as usize - 0x80], BASE_NONE);
    }

    #[test]
    fn bank_form_strips_diacritics_and_maps_d_with_stroke() {
        assert_eq!(bank_ascii("Đặng Văn Đức", 140), "DANG VAN DUC");
        assert_eq!(bank_ascii("  Nguyễn   Thị  Hoà ", 140), "NGUYEN THI HOA");
        assert_eq!(bank_ascii("Lê <script>&amp;", 140), "LE SCRIPT AMP");
    }

    #[test]
    fn bank_form_is_the_same_for_nfc_and_nfd_input() {
        let nfc = "Trần Thị Thuỷ";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(bank_ascii(nfc, 140), bank_ascii(&nfd, 140));
    }

    #[test]
    fn bank_form_cuts_at_a_word_boundary() {
        let long = "NGUYEN ".repeat(30);
        let cut = bank_ascii(&long, 140);
        assert!(cut.len() <= 140);
        assert!(cut.ends_with("NGUYEN"));
        assert_eq!(bank_ascii("ABCDEFGHIJ", 4), "ABCD");
    }

    #[test]
    fn fold_key_ignores_case_marks_punctuation_and_tone_placement() {
        assert_eq!(fold_key(" Số  CCCD "), "so cccd");
        assert_eq!(fold_key("Xã/Phường"), "xa phuong");
        assert_eq!(fold_key("NHNo&PTNT"), fold_key("nhno & ptnt"));
        assert_eq!(fold_key("hoà"), fold_key("hòa"));
        assert_eq!(fold_key("thuỷ"), fold_key("thủy"));
        assert_eq!(fold_key("Đắk Lắk"), "dak lak");
    }

    #[test]
    fn clean_normalises_to_nfc_and_collapses_space() {
        let nfd: String = "Phạm Thị Hằng".nfd().collect();
        assert_eq!(clean(&format!("  {nfd}\u{a0}\t ")), "Phạm Thị Hằng");
        assert_eq!(clean("plain"), "plain");
        assert_eq!(clean("a\r\nb"), "a b");
        assert_eq!(clean("a\u{b}b"), "a b");
        assert_eq!(clean_compact(" Lò  Thị\u{a0}Mai "), "Lò Thị Mai");
    }
}
