//! The business clock. All business code asks it for the time: the real clock in Asia/Shanghai, or
//! a fixed starting point (`--clock`) from which it runs on, so the seed's 2018 screens can be
//! reproduced.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// China Standard Time: UTC+8 all year (no daylight saving since 1991).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

#[derive(Debug, Clone)]
pub struct Clock {
    fixed: Option<(DateTime<FixedOffset>, Instant)>,
    /// Seconds added by [`Clock::advance`], shared by every clone (tests of expiry and lockout).
    skew: Arc<AtomicI64>,
}

impl Clock {
    pub fn real() -> Self {
        Clock {
            fixed: None,
            skew: Arc::default(),
        }
    }

    /// Starts at `start` and runs on in real time.
    pub fn starting_at(start: DateTime<FixedOffset>) -> Self {
        Clock {
            fixed: Some((start, Instant::now())),
            skew: Arc::default(),
        }
    }

    /// Parses `--clock` (RFC 3339).
    pub fn parse(text: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(text)
            .map(Clock::starting_at)
            .map_err(|_| format!("--clock: '{text}' is not an RFC 3339 date-time such as 2018-01-05T10:00:00+08:00"))
    }

    /// Moves this clock and all its clones forward.
    pub fn advance(&self, seconds: i64) {
        self.skew.fetch_add(seconds, Ordering::SeqCst);
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        let skew = chrono::Duration::seconds(self.skew.load(Ordering::SeqCst));
        self.unskewed() + skew
    }

    fn unskewed(&self) -> DateTime<FixedOffset> {
        match self.fixed {
            Some((start, since)) => {
                let elapsed = chrono::Duration::from_std(since.elapsed()).unwrap_or_default();
                (start + elapsed).with_timezone(&shanghai())
            }
            None => Utc::now().with_timezone(&shanghai()),
        }
    }

    /// The business date-time in Asia/Shanghai, as the policy reads it.
    pub fn local_now(&self) -> NaiveDateTime {
        self.now().naive_local()
    }

    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_starts_where_told_in_shanghai_time() {
        let clock = Clock::parse("2018-01-05T02:00:00Z").unwrap();
        assert_eq!(
            clock.local_now().format("%Y-%m-%d %H:%M").to_string(),
            "2018-01-05 10:00"
        );
        assert!(Clock::parse("yesterday").is_err());
        assert!(!Clock::real().is_fixed());
        let copy = clock.clone();
        clock.advance(3600);
        assert_eq!(copy.local_now().format("%H:%M").to_string(), "11:00");
    }
}
