//! Randomness and one-way hashes: every token, code and captcha comes from the OS CSPRNG, and only
//! its SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// `bytes` random bytes, base64url: session tokens and row ids.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// `count` random decimal digits (SMS codes).
pub fn random_digits(count: usize) -> String {
    (0..count)
        .map(|_| char::from(b'0' + OsRng.gen_range(0..10u8)))
        .collect()
}

/// A uniformly random element.
pub fn pick<T: Copy>(items: &[T]) -> T {
    items[OsRng.gen_range(0..items.len())]
}

pub fn range(low: i32, high: i32) -> i32 {
    OsRng.gen_range(low..high)
}

/// SHA-256 of the parts joined by a separator no part contains, hex.
pub fn hash(parts: &[&str]) -> String {
    let mut digest = Sha256::new();
    for part in parts {
        digest.update(part.as_bytes());
        digest.update([0x1f]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(64);
    for byte in digest.finalize() {
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    text
}

/// Constant-time equality of two hex digests.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored hashes are SHA-256 of the parts, each followed by 0x1f, in lower-case hex
    /// (sessions stored before a change of the code must still be found).
    #[test]
    fn hashes_are_the_known_digests() {
        assert_eq!(
            hash(&["a"]),
            "69fc94c033d1f48cef62e24c0833e6baac18b6282855d12124d25f4c0bb75ac5"
        );
        assert_eq!(
            hash(&["session", "tok"]),
            "fa4b32d69d5ca2420fb68a82e637dbc8159cb6b3fbb9e022bc7875cbd7a86b9d"
        );
    }

    #[test]
    fn tokens_codes_and_hashes() {
        assert_eq!(random_token(32).len(), 43);
        assert_ne!(random_token(32), random_token(32));
        let code = random_digits(6);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(hash(&["a", "b"]), hash(&["a", "b"]));
        assert_ne!(hash(&["ab", ""]), hash(&["a", "b"]));
        assert!(same(&hash(&["x"]), &hash(&["x"])));
        assert!(!same(&hash(&["x"]), &hash(&["y"])));
    }
}
