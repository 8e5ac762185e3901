//! Argon2id password hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane), computed on the
//! blocking pool so a login never stalls the async threads, and at most [`Gate`]'s number at
//! once: each holds 19 MiB, so a burst of logins must not decide how much memory the server uses.

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

type Job = Box<dyn FnOnce() + Send>;

/// At most `workers` Argon2 computations at once and `queue` more waiting their turn; beyond that
/// a caller is told at once that the hall is busy (HTTP 503), instead of piling up 19 MiB each.
///
/// The computations run on the gate's own `workers` threads, not on the shared blocking pool:
/// the allocator keeps a freed 19 MiB block in the arena of the thread that used it, so hashing on
/// whichever of hundreds of pool threads is free would leave 19 MiB behind on each of them.
pub struct Gate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    workers: usize,
    jobs: OnceLock<Mutex<Sender<Job>>>,
}

/// The hall is busy: too many password checks are under way.
#[derive(Debug)]
pub struct Busy;

impl Gate {
    pub fn new(workers: usize, queue: usize) -> Gate {
        Gate {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
            workers: workers.max(1),
            jobs: OnceLock::new(),
        }
    }

    /// Runs `work` on one of the gate's threads (started on first use), in `turn`: the turn goes
    /// with the job, so a caller that gives up (a client gone) does not free it before the job
    /// is done — abandoned requests cannot pile up work behind the gate.
    pub async fn run<T: Send + 'static>(
        &self,
        turn: Turn,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let jobs = self.jobs.get_or_init(|| {
            let (sender, receiver) = channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            for i in 0..self.workers {
                let receiver = Arc::clone(&receiver);
                let spawned = std::thread::Builder::new()
                    .name(format!("argon2-{i}"))
                    .spawn(move || loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    });
                if let Err(e) = spawned {
                    tracing::error!(error = %e, "cannot start an argon2 thread");
                }
            }
            Mutex::new(sender)
        });
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // A caller that already gave up is not worked for; the turn is given back before
            // the answer, so the caller's next turn finds it free.
            let result = (!done.is_closed()).then(work);
            drop(turn);
            if let Some(result) = result {
                let _ = done.send(result);
            }
        });
        jobs.lock().ok()?.send(job).ok()?;
        result.await.ok()
    }

    /// One worker per core, and a queue of 16 per worker (under a second of waiting).
    pub fn for_this_machine() -> Gate {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Gate::new(cores, 16 * cores)
    }

    /// A turn to compute a hash: at once, after waiting in the queue, or [`Busy`].
    pub async fn enter(&self) -> Result<Turn, Busy> {
        if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
            return Ok(Turn(permit));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Busy);
        }
        // Counted out of the queue however the wait ends, a cancelled wait included.
        let _waiting = Waiting(&self.waiting);
        Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map(Turn)
            .map_err(|_| Busy)
    }
}

/// One of the gate's turns, held until the hash it was taken for is computed.
pub struct Turn(#[allow(dead_code)] OwnedSemaphorePermit);

struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn params() -> Params {
    // m_cost is in KiB: 19 MiB.
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// The most memory a stored hash may ask for (a hash of ours asks 19 MiB).
const MAX_BLOCKS: usize = 64 * 1024;

thread_local! {
    /// Argon2's working memory, allocated once per thread and reused: freeing and allocating
    /// 19 MiB per login fragments the allocator's heaps, and the process then grows by ~19 MiB
    /// with every login (measured: 160 MB after eight verifications on one thread).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// `password` hashed with `argon`'s parameters into `out`, in this thread's reused memory.
fn hash_into(
    argon: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), String> {
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return Err(format!("argon2: {blocks} KiB asked"));
    }
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon
            .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
            .map_err(|e| format!("argon2: {e}"))
    })
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), as `PasswordHasher` writes it.
fn compute_hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let params = params();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| format!("salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    hash_into(
        &argon2(),
        &params,
        password.as_bytes(),
        salt_bytes,
        &mut out,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| format!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| format!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored` (compared in constant time).
fn matches(password: &str, stored: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut out = vec![0u8; expected.len()];
        let argon = Argon2::new(algorithm, version, params.clone());
        hash_into(&argon, &params, password.as_bytes(), salt_bytes, &mut out).ok()?;
        // Output's equality is constant-time.
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

/// A hash outside any request (the demo's accounts at start-up, the test hook's twins).
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || compute_hash(&password))
        .await
        .map_err(|e| format!("hashing task: {e}"))?
}

/// A citizen's new password hashed on the gate's threads, in `turn`.
pub async fn hash_on(gate: &Gate, turn: Turn, password: String) -> Result<String, String> {
    gate.run(turn, move || compute_hash(&password))
        .await
        .ok_or_else(|| "hashing thread gone".to_owned())?
}

/// A hash of nothing in particular, verified when the user does not exist so that a wrong user
/// and a wrong password take the same time.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| compute_hash("decoy-password-never-matches").unwrap_or_default())
}

/// Verifies `password` against `stored`, or against the decoy when there is no account, on the
/// gate's threads, in `turn`.
pub async fn verify(gate: &Gate, turn: Turn, password: String, stored: Option<String>) -> bool {
    let exists = stored.is_some();
    let matched = gate
        // The decoy is made (once) on the gate's thread too, never on an async worker.
        .run(turn, move || {
            matches(&password, stored.as_deref().unwrap_or_else(|| decoy()))
        })
        .await
        .unwrap_or(false);
    exists && matched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_gate_admits_its_workers_queues_a_few_and_turns_the_rest_away() {
        let gate = std::sync::Arc::new(Gate::new(1, 1));
        let first = gate.enter().await.unwrap();
        // One waits in the queue…
        let queued = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.enter().await.is_ok() })
        };
        tokio::task::yield_now().await;
        while gate.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        // …the next is turned away at once.
        assert!(gate.enter().await.is_err());
        drop(first);
        assert!(queued.await.unwrap());
        assert!(gate.enter().await.is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_decoys_never_match() {
        let gate = Gate::new(1, 0);
        let turn = || async { gate.enter().await.unwrap() };
        let stored = hash_on(&gate, turn().await, "abc123!".into())
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(&gate, turn().await, "abc123!".into(), Some(stored.clone())).await);
        assert!(!verify(&gate, turn().await, "abc1234".into(), Some(stored)).await);
        assert!(
            !verify(
                &gate,
                turn().await,
                "decoy-password-never-matches".into(),
                None
            )
            .await
        );
        // The PHC string is the one the argon2 crate itself writes and verifies.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let again = stored_again(&gate).await;
        let parsed = PasswordHash::new(&again).unwrap();
        assert!(argon2().verify_password(b"same", &parsed).is_ok());
        let theirs = argon2()
            .hash_password(b"theirs", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(matches("theirs", &theirs));
        assert!(!matches("mine", &theirs));
    }

    async fn stored_again(gate: &Gate) -> String {
        hash_on(gate, gate.enter().await.unwrap(), "same".into())
            .await
            .unwrap()
    }
}
