//! Bytes to UTF-8 text. A byte-order mark settles the encoding (UTF-8,
//! UTF-16); otherwise valid UTF-8 is UTF-8, and anything else is one of the
//! 8-bit encodings old Vietnamese machines save CSV in: Windows-1258 (the
//! code page), TCVN3 (ABC) or VNI (the font encodings, [`super::legacy`]).
//! Every byte means something in each of those, so each decoding is scored
//! by how Vietnamese its words look and they are tried best first; the
//! reader takes the first in which it finds the header. Windows-1258 writes
//! tone marks as separate combining characters, so every decoding is
//! normalised to NFC.

use std::borrow::Cow;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

/// A text encoding a list may arrive in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little endian with a byte-order mark.
    Utf16Le,
    /// UTF-16 big endian with a byte-order mark.
    Utf16Be,
    /// Windows-1258 (Vietnamese code page).
    Windows1258,
    /// TCVN3 (ABC, TCVN 5712:1993 VN3), the `.Vn` fonts' encoding.
    Tcvn3,
    /// VNI, the VNI-Windows fonts' encoding.
    Vni,
}

impl Encoding {
    /// Names of the encodings tried, for messages.
    pub const TRIED: &'static str =
        "UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1258, TCVN3 (ABC), VNI";
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Encoding, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "utf-16" | "utf-16le" => Ok(Encoding::Utf16Le),
            "utf-16be" => Ok(Encoding::Utf16Be),
            "windows-1258" | "cp1258" => Ok(Encoding::Windows1258),
            "tcvn3" | "tcvn" | "abc" => Ok(Encoding::Tcvn3),
            "vni" | "vni-windows" => Ok(Encoding::Vni),
            other => Err(format!(
                "unknown encoding `{other}`: use utf-8, utf-16, utf-16be, windows-1258, tcvn3 or vni"
            )),
        }
    }
}

fn utf16<'a>(rest: &'a [u8], codec: &'static encoding_rs::Encoding) -> Option<Cow<'a, [u8]>> {
    let (text, had_errors) = codec.decode_without_bom_handling(rest);
    (!had_errors).then(|| Cow::Owned(text.into_owned().into_bytes()))
}

/// Windows-1258, unless the result holds control characters: the code page
/// maps every byte, so bytes it leaves undefined (0x81, 0x8D...) come out
/// as C1 controls, a sure sign the file is something else.
fn windows_1258(bytes: &[u8]) -> Option<Cow<'static, [u8]>> {
    let (text, had_errors) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
    let control = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'));
    (!had_errors && !control).then(|| Cow::Owned(text.nfc().collect::<String>().into_bytes()))
}

/// One 8-bit decoding, in NFC.
fn eight_bit(bytes: &[u8], encoding: Encoding) -> Option<Cow<'static, [u8]>> {
    match encoding {
        Encoding::Tcvn3 => super::legacy::decode_tcvn3(bytes).map(|t| Cow::Owned(t.into_bytes())),
        Encoding::Vni => super::legacy::decode_vni(bytes).map(|t| Cow::Owned(t.into_bytes())),
        _ => windows_1258(bytes),
    }
}

/// How much more Vietnamese a font encoding's decoding must look than the
/// code page's to be preferred: a few words, so that text which is not
/// Vietnamese syllables in any decoding stays Windows-1258.
const FONT_MARGIN: i64 = 3;

/// The 8-bit encodings, the most Vietnamese-looking first (judged on the
/// first 64 KiB). Windows-1258, the code page, comes first unless a font
/// encoding looks clearly more Vietnamese.
fn eight_bit_ranked(bytes: &[u8]) -> Vec<Encoding> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let mut ranked: Vec<(i64, Encoding)> = [Encoding::Windows1258, Encoding::Tcvn3, Encoding::Vni]
        .into_iter()
        .filter_map(|e| {
            let text = eight_bit(sample, e)?;
            let score = super::legacy::plausibility(&String::from_utf8_lossy(&text));
            let bonus = if e == Encoding::Windows1258 {
                FONT_MARGIN
            } else {
                0
            };
            Some((score + bonus, e))
        })
        .collect();
    ranked.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    ranked.into_iter().map(|(_, e)| e).collect()
}

/// The decodings to try, most likely first; `forced` tries only that one.
/// Lazy: a file is decoded in a further encoding only when the reader finds
/// no header in the ones before.
pub fn decode<'a>(
    bytes: &'a [u8],
    forced: Option<Encoding>,
) -> Box<dyn Iterator<Item = (Cow<'a, [u8]>, Encoding)> + 'a> {
    let bom_utf8 = bytes.strip_prefix(b"\xEF\xBB\xBF");
    let bom_le = bytes.strip_prefix(b"\xFF\xFE");
    let bom_be = bytes.strip_prefix(b"\xFE\xFF");
    fn utf8(b: &[u8]) -> Option<Cow<'_, [u8]>> {
        // A list is validated whole: the vectorised check is several
        // times faster than the standard library's on large inputs.
        simdutf8::basic::from_utf8(b).ok().map(|_| Cow::Borrowed(b))
    }
    let mut out: Vec<(Cow<'_, [u8]>, Encoding)> = Vec::new();
    let mut push = |decoded: Option<Cow<'a, [u8]>>, encoding| {
        if let Some(d) = decoded {
            out.push((d, encoding));
        }
    };
    match forced {
        Some(Encoding::Utf8 | Encoding::Utf8Bom) => {
            let (b, e) = bom_utf8.map_or((bytes, Encoding::Utf8), |b| (b, Encoding::Utf8Bom));
            push(utf8(b), e);
        }
        Some(Encoding::Utf16Le) => push(
            utf16(bom_le.unwrap_or(bytes), encoding_rs::UTF_16LE),
            Encoding::Utf16Le,
        ),
        Some(Encoding::Utf16Be) => push(
            utf16(bom_be.unwrap_or(bytes), encoding_rs::UTF_16BE),
            Encoding::Utf16Be,
        ),
        Some(e @ (Encoding::Windows1258 | Encoding::Tcvn3 | Encoding::Vni)) => {
            push(eight_bit(bytes, e), e)
        }
        None => {
            if let Some(rest) = bom_utf8 {
                push(utf8(rest), Encoding::Utf8Bom);
            } else if let Some(rest) = bom_le {
                push(utf16(rest, encoding_rs::UTF_16LE), Encoding::Utf16Le);
            } else if let Some(rest) = bom_be {
                push(utf16(rest, encoding_rs::UTF_16BE), Encoding::Utf16Be);
            } else if let Some(text) = utf8(bytes) {
                push(Some(text), Encoding::Utf8);
            } else {
                return Box::new(
                    eight_bit_ranked(bytes)
                        .into_iter()
                        .filter_map(move |e| eight_bit(bytes, e).map(|text| (text, e))),
                );
            }
        }
    }
    Box::new(out.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(bytes: &[u8]) -> (String, Encoding) {
        let (text, enc) = decode(bytes, None).next().unwrap();
        (String::from_utf8(text.into_owned()).unwrap(), enc)
    }

    #[test]
    fn boms_are_recognised_and_removed() {
        assert_eq!(
            first("\u{feff}Họ và tên".as_bytes()),
            ("Họ và tên".to_owned(), Encoding::Utf8Bom)
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("Hà".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(first(&utf16), ("Hà".to_owned(), Encoding::Utf16Le));
    }

    #[test]
    fn windows_1258_is_decoded_to_nfc() {
        // "Hồ" in Windows-1258: H, ô (0xF4), combining grave (0xCC).
        let (text, enc) = first(b"H\xF4\xCC");
        assert_eq!(enc, Encoding::Windows1258);
        assert_eq!(text, "Hồ");
        assert_eq!(text.chars().count(), 2, "NFC");
    }

    #[test]
    fn a_forced_encoding_is_the_only_one_tried() {
        assert!(decode(b"Nguy\\xc3n", Some(Encoding::Utf16Be)).count() <= 1);
        assert!(
            decode(b"\xFF\xFE\x00", Some(Encoding::Utf8))
                .next()
                .is_none()
        );
        assert_eq!(
            "windows-1258".parse::<Encoding>(),
            Ok(Encoding::Windows1258)
        );
        assert_eq!("ABC".parse::<Encoding>(), Ok(Encoding::Tcvn3));
        assert!("koi8-r".parse::<Encoding>().is_err());
    }
}
