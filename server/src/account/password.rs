//! Argon2id password hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane), computed on the
//! blocking pool so a login never stalls the async threads.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use std::sync::OnceLock;

fn argon2() -> Argon2<'static> {
    // m_cost is in KiB: 19 MiB.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| format!("argon2: {e}"))
    })
    .await
    .map_err(|e| format!("hashing task: {e}"))?
}

/// A hash of nothing in particular, verified when the user does not exist so that a wrong user
/// and a wrong password take the same time.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"decoy-password-never-matches", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies `password` against `stored`, or against the decoy when there is no account.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let exists = stored.is_some();
    let stored = stored.unwrap_or_else(|| decoy().to_owned());
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    exists && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_decoys_never_match() {
        let stored = hash("abc123!".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("abc123!".into(), Some(stored.clone())).await);
        assert!(!verify("abc1234".into(), Some(stored)).await);
        assert!(!verify("decoy-password-never-matches".into(), None).await);
    }
}
