//! The business clock. All business code asks it for the time: the real clock in Asia/Shanghai, or
//! a fixed starting point (`--clock`) from which it runs on, so the seed's 2018 screens can be
//! reproduced.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use std::time::Instant;

/// China Standard Time: UTC+8 all year (no daylight saving since 1991).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

#[derive(Debug, Clone)]
pub struct Clock {
    fixed: Option<(DateTime<FixedOffset>, Instant)>,
}

impl Clock {
    pub fn real() -> Self {
        Clock { fixed: None }
    }

    /// Starts at `start` and runs on in real time.
    pub fn starting_at(start: DateTime<FixedOffset>) -> Self {
        Clock {
            fixed: Some((start, Instant::now())),
        }
    }

    /// Parses `--clock` (RFC 3339).
    pub fn parse(text: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(text)
            .map(Clock::starting_at)
            .map_err(|_| format!("--clock: '{text}' is not an RFC 3339 date-time such as 2018-01-05T10:00:00+08:00"))
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
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
    }
}
