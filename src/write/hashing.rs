//! A writer that computes the sha256 and size of what passes through it, so
//! that no output file is read back to be hashed.

use std::io::{self, Write};

use sha2::{Digest, Sha256};

/// Hashes and counts bytes on their way to `inner`.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

/// The digest and size of a finished file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// sha256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Flushes and returns the inner writer with the digest.
    pub fn finish(mut self) -> io::Result<(W, WrittenFile)> {
        self.inner.flush()?;
        let file = WrittenFile {
            sha256: hex::encode(self.hasher.finalize()),
            bytes: self.bytes,
        };
        Ok((self.inner, file))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_matches_the_bytes_written() {
        let mut w = HashingWriter::new(Vec::new());
        w.write_all(b"abc").unwrap();
        let (bytes, file) = w.finish().unwrap();
        assert_eq!(bytes, b"abc");
        assert_eq!(file.bytes, 3);
        assert_eq!(
            file.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
