//! Approvers' keys: an Ed25519 key pair per person. The secret key is kept
//! as a standard encrypted PKCS#8 file (PEM `ENCRYPTED PRIVATE KEY`: PBES2
//! with scrypt, N = 2^17, r = 8, p = 1, and AES-256-CBC), readable by any
//! PKCS#8 implementation given the passphrase; the public key is 64
//! hexadecimal digits in the office's configuration.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

/// The environment variable a script or test gives the passphrase in.
pub const PASSPHRASE_VAR: &str = "DISBURSE_PASSPHRASE";

/// The shortest passphrase a new key takes.
pub const MIN_PASSPHRASE: usize = 8;

/// scrypt's cost: 2^17 rounds of 1 KiB blocks (128 MiB, about half a
/// second), the work factor recommended for interactive logins.
const SCRYPT_LOG_N: u8 = 17;

/// A key that cannot be used. None of these carries the passphrase or any
/// byte of the secret key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file cannot be read or written.
    #[error("cannot use the key file `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// Others may read the secret key file.
    #[error(
        "the key file `{path}` may be read by other users (mode {mode:o}); a secret key must be readable by its owner only"
    )]
    Exposed {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Not an encrypted private key.
    #[error("`{0}` is not an encrypted Ed25519 key made by `disburse keygen`")]
    NotAKey(PathBuf),
    /// The passphrase does not open it.
    #[error("the passphrase does not open the key `{0}`")]
    WrongPassphrase(PathBuf),
    /// No passphrase could be asked for.
    #[error("no passphrase: {0}")]
    NoPassphrase(String),
    /// The key cannot be made.
    #[error("cannot make the key: {0}")]
    Generate(String),
}

/// A public key from the configuration's 64 hexadecimal digits; why not,
/// when it is not one.
pub fn public_key(text: &str) -> Result<VerifyingKey, String> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut bytes)
        .map_err(|_| "must be 64 hexadecimal digits (as `disburse keygen` prints it)".to_owned())?;
    let key =
        VerifyingKey::from_bytes(&bytes).map_err(|_| "is not an Ed25519 public key".to_owned())?;
    if key.is_weak() {
        return Err("is a weak Ed25519 key, which anyone could sign for".to_owned());
    }
    Ok(key)
}

/// A public key as the configuration and approvals write it.
pub fn public_key_text(key: &VerifyingKey) -> String {
    hex::encode(key.to_bytes())
}

/// Makes a new key pair: the encrypted secret key as PEM, and the public
/// key.
pub fn generate(passphrase: &str) -> Result<(Zeroizing<String>, VerifyingKey), KeyError> {
    let failed = |e: &dyn std::fmt::Display| KeyError::Generate(e.to_string());
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut()).map_err(|e| failed(&e))?;
    let key = SigningKey::from_bytes(&seed);
    // PKCS#8 version 1 (without the public key), which every reader takes.
    let pair = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    let der = pair.to_pkcs8_der().map_err(|e| failed(&e))?;
    let info = pkcs8::PrivateKeyInfoRef::try_from(der.as_bytes()).map_err(|e| failed(&e))?;
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| failed(&e))?;
    getrandom::fill(&mut iv).map_err(|e| failed(&e))?;
    let cost = pkcs5::scrypt::Params::new(SCRYPT_LOG_N, 8, 1).map_err(|e| failed(&e))?;
    let params = pkcs5::pbes2::Parameters::generate_scrypt_aes256cbc(cost, &salt, iv)
        .map_err(|e| failed(&e))?;
    let encrypted = info
        .encrypt_with_params(params, passphrase.as_bytes())
        .map_err(|e| failed(&e))?;
    let pem = encrypted
        .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
        .map_err(|e| failed(&e))?;
    Ok((pem, key.verifying_key()))
}

/// Writes a new secret key file, readable by its owner only; an existing
/// file is never overwritten.
pub fn write_secret(path: &Path, pem: &str) -> Result<(), KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(pem.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(())
}

/// Opens a secret key file with its passphrase.
pub fn open(path: &Path, passphrase: &str) -> Result<SigningKey, KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Exposed {
                path: path.to_owned(),
                mode,
            });
        }
    }
    if meta.len() > 64 * 1024 {
        return Err(KeyError::NotAKey(path.to_owned()));
    }
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(io)?);
    if !text
        .trim_start()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    {
        return Err(KeyError::NotAKey(path.to_owned()));
    }
    SigningKey::from_pkcs8_encrypted_pem(&text, passphrase.as_bytes()).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(_) => KeyError::WrongPassphrase(path.to_owned()),
        _ => KeyError::NotAKey(path.to_owned()),
    })
}

/// The passphrase: from `DISBURSE_PASSPHRASE`, else asked at the terminal
/// (twice when `confirm`, for a new key). It is never echoed, logged or
/// kept longer than the key takes to open.
pub fn passphrase(prompt: &str, confirm: bool) -> Result<Zeroizing<String>, KeyError> {
    if let Ok(given) = std::env::var(PASSPHRASE_VAR) {
        return Ok(Zeroizing::new(given));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| {
                KeyError::NoPassphrase(format!(
                    "cannot ask for it at a terminal ({e}); set {PASSPHRASE_VAR} to give it"
                ))
            })
    };
    let first = ask(prompt)?;
    if confirm {
        let again = ask("Again, to confirm: ")?;
        if *again != *first {
            return Err(KeyError::NoPassphrase(
                "the two passphrases differ".to_owned(),
            ));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, Verifier};

    #[test]
    fn a_key_opens_with_its_passphrase_only_and_signs_for_its_public_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ke-toan.key");
        let (pem, public) = generate("mật khẩu dài").unwrap();
        write_secret(&path, &pem).unwrap();
        assert!(matches!(
            write_secret(&path, &pem),
            Err(KeyError::Io { .. })
        ));
        let key = open(&path, "mật khẩu dài").unwrap();
        assert_eq!(key.verifying_key(), public);
        let signature = key.sign(b"batch");
        assert!(public.verify(b"batch", &signature).is_ok());
        assert!(matches!(
            open(&path, "mat khau dai"),
            Err(KeyError::WrongPassphrase(_))
        ));
        let text = public_key_text(&public);
        assert_eq!(public_key(&text).unwrap(), public);
        assert!(public_key(&text[1..]).is_err());
        assert!(public_key(&"0".repeat(64)).is_err(), "the identity is weak");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let (pem, _) = generate("passphrase").unwrap();
        write_secret(&path, &pem).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = open(&path, "passphrase").unwrap_err();
        assert!(
            matches!(err, KeyError::Exposed { mode: 0o644, .. }),
            "{err}"
        );
    }
}
