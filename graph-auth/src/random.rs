//! Randomness and encodings for PKCE verifiers, `state`, JWT ids and nonces,
//! from the operating system's CSPRNG (through `ring`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use msgraph_core::{Error, Result};
use ring::rand::{SecureRandom, SystemRandom};

/// `N` bytes from the system CSPRNG.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| Error::io("the system random number generator failed", std::io::Error::other("ring::rand")))?;
    Ok(out)
}

/// Base64url without padding (JWT, PKCE).
pub(crate) fn b64url(data: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// A random UUID (version 4), lower-case hyphenated.
pub(crate) fn uuid_v4() -> Result<String> {
    let mut b = bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = uuid_v4().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, uuid_v4().unwrap());
    }
}
