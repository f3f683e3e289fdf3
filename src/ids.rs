//! Identifiers that travel to the banks and come back in their answers:
//! batch, message (`MsgId`), payment information (`PmtInfId`) and end-to-end
//! (`EndToEndId`) ids. All are derived from what is paid, never random, so
//! the same input gives the same ids and a rerun cannot mint a second
//! identity for the same payment. All fit ISO 20022's Max35Text.

use sha2::{Digest, Sha256};

use crate::period::Period;

/// The batch a list becomes: office, period and the input's sha256 (so a
/// supplementary list for the same month gets ids of its own).
/// `HUYENX-202407-1A2B3C4D`, at most 24 characters.
pub fn batch_id(office: &str, period: Period, input_sha256: &str) -> String {
    format!(
        "{office}-{}-{}",
        period.compact(),
        input_sha256[..8].to_ascii_uppercase()
    )
}

/// The message id of a batch's file for one bank: at most 31 characters.
pub fn message_id(batch_id: &str, bank_bin: &str) -> String {
    format!("{batch_id}-{bank_bin}")
}

/// The most parts one bank's payments may be split into: two base-36
/// digits.
pub const MAX_PARTS: u32 = 36 * 36 - 1;

/// The message id of part `k` (from 1) of a bank's payments: the bank's
/// message id and `k` in two base-36 digits (`…-97040501`, `…-9704050A`),
/// at most 33 characters, so that its payment information id fits 35.
pub fn part_message_id(batch_id: &str, bank_bin: &str, k: u32) -> String {
    assert!((1..=MAX_PARTS).contains(&k), "part {k} cannot be numbered");
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let (hi, lo) = ((k / 36) as usize, (k % 36) as usize);
    format!(
        "{}{}{}",
        message_id(batch_id, bank_bin),
        DIGITS[hi] as char,
        DIGITS[lo] as char
    )
}

/// The payment information id inside that message: at most 33 characters.
pub fn payment_info_id(message_id: &str) -> String {
    format!("{message_id}-1")
}

/// The message id a payment information id of ours was made from, the
/// inverse of [`payment_info_id`]; `None` for one that is not of that form.
pub fn message_of_payment_info(payment_info_id: &str) -> Option<&str> {
    payment_info_id.strip_suffix("-1")
}

/// The end-to-end id of one payment: office, period and 64 bits of a hash
/// of office, period, payment type, beneficiary and attempt.
/// `HUYENX202407-9F86D081884C7D65`, at most 31 characters. Attempt 1 is the
/// first payment; a re-issue after a failure is attempt 2 and so on.
pub fn end_to_end_id(
    office: &str,
    period: Period,
    payment_type: &str,
    beneficiary: &str,
    attempt: u32,
) -> String {
    EndToEndIds::new(office, period)
        .id(payment_type, beneficiary, attempt)
        .to_string()
}

/// An end-to-end id, held inline: ISO 20022's Max35Text.
pub type EndToEndId = arrayvec::ArrayString<35>;

/// [`end_to_end_id`] for many payments of one office and period: the hash
/// of the shared parts and the id's prefix are made once.
#[derive(Clone)]
pub struct EndToEndIds {
    hasher: Sha256,
    prefix: String,
}

impl EndToEndIds {
    /// Ids of `office`'s payments for `period`.
    /// The office code is at most 8 characters (the configuration checks
    /// it), so an id is at most 31.
    pub fn new(office: &str, period: Period) -> EndToEndIds {
        let mut hasher = Sha256::new();
        for part in [office, &period.to_string()] {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        EndToEndIds {
            hasher,
            prefix: format!("{office}{}-", period.compact()),
        }
    }

    /// The id of one payment.
    pub fn id(&self, payment_type: &str, beneficiary: &str, attempt: u32) -> EndToEndId {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut hasher = self.hasher.clone();
        for part in [payment_type, beneficiary] {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update(attempt.to_be_bytes());
        let digest = hasher.finalize();
        let mut id = EndToEndId::new();
        id.push_str(&self.prefix);
        for byte in &digest[..8] {
            id.push(char::from(HEX[usize::from(byte >> 4)]));
            id.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_distinct_and_short() {
        let p: Period = "2024-07".parse().unwrap();
        let a = end_to_end_id("OFFICE12", p, "monthly", "cid:019148001234", 1);
        assert_eq!(
            a,
            end_to_end_id("OFFICE12", p, "monthly", "cid:019148001234", 1)
        );
        assert_ne!(
            a,
            end_to_end_id("OFFICE12", p, "monthly", "cid:019148001234", 2)
        );
        assert_ne!(
            a,
            end_to_end_id("OFFICE12", p, "arrears", "cid:019148001234", 1)
        );
        assert_ne!(
            a,
            end_to_end_id(
                "OFFICE12",
                "2024-08".parse().unwrap(),
                "monthly",
                "cid:019148001234",
                1
            )
        );
        assert!(a.len() <= 35 && a.starts_with("OFFICE12202407-"));
        // The digest's first 64 bits, upper-case hex.
        let mut hasher = Sha256::new();
        hasher.update(b"OFFICE12\x1f2024-07\x1fmonthly\x1fcid:019148001234\x1f");
        hasher.update(1u32.to_be_bytes());
        let expected = hex::encode_upper(&hasher.finalize()[..8]);
        assert_eq!(a, format!("OFFICE12202407-{expected}"));
        let batch = batch_id("OFFICE12", p, &"ab".repeat(32));
        assert_eq!(batch, "OFFICE12-202407-ABABABAB");
        assert!(payment_info_id(&message_id(&batch, "970405")).len() <= 35);
        let message = message_id(&batch, "970405");
        assert_eq!(
            message_of_payment_info(&payment_info_id(&message)),
            Some(message.as_str())
        );
        assert_eq!(message_of_payment_info(&message), None);
    }
}
