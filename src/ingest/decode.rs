//! Bytes to UTF-8 text: recognises a byte-order mark and checks that the
//! rest is valid UTF-8.

use std::borrow::Cow;

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
}

impl Encoding {
    /// Names of the encodings `decode` tries, for messages.
    pub const TRIED: &'static str = "UTF-8, UTF-8 with BOM, UTF-16 with BOM";
}

/// Decodes `bytes` into UTF-8, borrowing when no conversion is needed.
pub fn decode(bytes: &[u8]) -> Option<(Cow<'_, [u8]>, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .ok()
            .map(|_| (Cow::Borrowed(rest), Encoding::Utf8Bom));
    }
    for (bom, encoding, codec) in [
        (&b"\xFF\xFE"[..], Encoding::Utf16Le, encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], Encoding::Utf16Be, encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = codec.decode_without_bom_handling(rest);
            return (!had_errors).then(|| (Cow::Owned(text.into_owned().into_bytes()), encoding));
        }
    }
    std::str::from_utf8(bytes)
        .ok()
        .map(|_| (Cow::Borrowed(bytes), Encoding::Utf8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_are_recognised_and_removed() {
        let (text, enc) = decode("\u{feff}Họ và tên".as_bytes()).unwrap();
        assert_eq!((&*text, enc), ("Họ và tên".as_bytes(), Encoding::Utf8Bom));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("Hà".encode_utf16().flat_map(u16::to_le_bytes));
        let (text, enc) = decode(&utf16).unwrap();
        assert_eq!((&*text, enc), ("Hà".as_bytes(), Encoding::Utf16Le));
    }

    #[test]
    fn invalid_utf8_is_not_guessed() {
        assert!(decode(b"Nguy\xc3n").is_none());
    }
}
