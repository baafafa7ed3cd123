//! Timeouts and retries with exponential backoff for API requests.
//!
//! A request is retried when the failure is transient: a timeout, a transport error (connection refused or
//! reset), `429 Too Many Requests` or a 5xx answer. Everything else (`401`, `403`, `404`, `410`, a malformed
//! answer) is returned at once: retrying would give the same answer.

use std::future::Future;
use std::time::Duration;

/// How long to wait for one request and how often to try it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// Delay before the second attempt; doubled for each further one.
    pub base_delay: Duration,
    /// Longest delay between attempts.
    pub max_delay: Duration,
    /// Time allowed for one attempt (request sent, whole answer read).
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            timeout: Duration::from_secs(60),
        }
    }
}

/// Why one attempt failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttemptError {
    /// The API server answered with an error status.
    #[error("{code} {reason}: {message}")]
    Api {
        /// HTTP status code.
        code: u16,
        /// Kubernetes `Status.reason` (`Forbidden`, `NotFound`, `Expired`, ...).
        reason: String,
        /// Kubernetes `Status.message`.
        message: String,
    },
    /// No complete answer within the policy's timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// Connection, TLS or protocol failure.
    #[error("transport: {0}")]
    Transport(String),
    /// Credentials could not be obtained (exec plugin failed, token file unreadable, ...).
    #[error("authentication: {0}")]
    Auth(String),
    /// The answer is not what the API promises.
    #[error("unexpected answer: {0}")]
    Decode(String),
}

impl AttemptError {
    /// Whether another attempt may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            AttemptError::Api { code, .. } => *code == 429 || *code >= 500,
            AttemptError::Timeout(_) | AttemptError::Transport(_) => true,
            AttemptError::Auth(_) | AttemptError::Decode(_) => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn code(&self) -> Option<u16> {
        match self {
            AttemptError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Classifies a kube client error.
    pub fn from_kube(e: kube::Error) -> Self {
        match e {
            kube::Error::Api(s) => AttemptError::Api {
                code: s.code,
                reason: s.reason.clone(),
                message: s.message.clone(),
            },
            kube::Error::Auth(a) => AttemptError::Auth(a.to_string()),
            kube::Error::SerdeError(e) => AttemptError::Decode(e.to_string()),
            kube::Error::FromUtf8(e) => AttemptError::Decode(e.to_string()),
            other => AttemptError::Transport(error_chain(&other)),
        }
    }
}

/// An error and its sources, `: `-separated (transport errors hide the useful part in the sources).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = inner.source();
    }
    s
}

impl RetryPolicy {
    /// The delay after failed attempt `attempt` (1-based): `base * 2^(attempt-1)`, capped at `max_delay`, minus
    /// up to a quarter of jitter derived from `seed` (so parallel lists do not retry in lockstep).
    pub fn delay(&self, attempt: u32, seed: u64) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let full = self.base_delay.saturating_mul(1u32 << exp).min(self.max_delay);
        let quarter = full / 4;
        let nanos = u64::try_from(quarter.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if nanos == 0 { 0 } else { splitmix(seed) % nanos };
        full.saturating_sub(Duration::from_nanos(jitter))
    }

    /// Runs `op` until it succeeds, fails for good, or the attempts are used up; each attempt is bounded by the
    /// timeout. Returns the last error and the number of attempts made.
    pub async fn run<T, F, Fut>(&self, seed: u64, mut op: F) -> Result<T, (AttemptError, u32)>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, AttemptError>>,
    {
        let attempts = self.attempts.max(1);
        let mut attempt = 1;
        loop {
            let result = match tokio::time::timeout(self.timeout, op()).await {
                Ok(r) => r,
                Err(_) => Err(AttemptError::Timeout(self.timeout)),
            };
            match result {
                Ok(v) => return Ok(v),
                Err(e) if e.is_transient() && attempt < attempts => {
                    tokio::time::sleep(self.delay(attempt, seed.wrapping_add(u64::from(attempt)))).await;
                    attempt += 1;
                }
                Err(e) => return Err((e, attempt)),
            }
        }
    }
}

/// A well-mixed 64-bit value from `x` (SplitMix64).
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fast() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            timeout: Duration::from_millis(200),
        }
    }

    fn api(code: u16) -> AttemptError {
        AttemptError::Api {
            code,
            reason: String::new(),
            message: String::new(),
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
        };
        for seed in 0..50 {
            let d1 = p.delay(1, seed);
            assert!(
                d1 <= Duration::from_millis(100) && d1 >= Duration::from_millis(75),
                "{d1:?}"
            );
            let d3 = p.delay(3, seed);
            assert!(
                d3 <= Duration::from_millis(400) && d3 >= Duration::from_millis(300),
                "{d3:?}"
            );
            let d9 = p.delay(9, seed);
            assert!(
                d9 <= Duration::from_secs(1) && d9 >= Duration::from_millis(750),
                "{d9:?}"
            );
            assert!(p.delay(u32::MAX, seed) <= Duration::from_secs(1));
        }
        // Jitter differs between seeds.
        assert_ne!(p.delay(3, 1), p.delay(3, 2));
    }

    #[test]
    fn transient_classification() {
        assert!(api(429).is_transient());
        assert!(api(500).is_transient());
        assert!(api(503).is_transient());
        assert!(!api(403).is_transient());
        assert!(!api(404).is_transient());
        assert!(!api(410).is_transient());
        assert!(AttemptError::Timeout(Duration::ZERO).is_transient());
        assert!(AttemptError::Transport("reset".into()).is_transient());
        assert!(!AttemptError::Auth("exec".into()).is_transient());
    }

    #[tokio::test]
    async fn retries_transient_then_succeeds() {
        let calls = AtomicU32::new(0);
        let r = fast()
            .run(7, || async {
                if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                    Err(api(503))
                } else {
                    Ok(42)
                }
            })
            .await;
        assert_eq!(r.unwrap(), 42);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn permanent_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let r: Result<(), _> = fast()
            .run(7, || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(api(403))
            })
            .await;
        assert_eq!(r.unwrap_err(), (api(403), 1));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn gives_up_after_attempts() {
        let calls = AtomicU32::new(0);
        let r: Result<(), _> = fast()
            .run(7, || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(api(500))
            })
            .await;
        assert_eq!(r.unwrap_err(), (api(500), 4));
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn slow_attempts_time_out_and_are_retried() {
        let calls = AtomicU32::new(0);
        let r = fast()
            .run(7, || {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                    Ok(n)
                }
            })
            .await;
        assert_eq!(r.unwrap(), 1);
    }
}
