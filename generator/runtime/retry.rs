// Runtime support for generated clients: copied verbatim into each generated crate.

//! When to retry and how long to wait: backoff with full jitter and `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When and how a failed attempt is retried.
///
/// Defaults ([`RetryPolicy::default`]):
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | [`max_attempts`](Self::max_attempts) | 3 | total attempts, including the first |
/// | [`initial_backoff`](Self::initial_backoff) | 500 ms | delay cap before the first retry |
/// | [`multiplier`](Self::multiplier) | 2.0 | growth of the delay cap per retry |
/// | [`max_backoff`](Self::max_backoff) | 10 s | upper bound of any single backoff delay |
/// | [`max_elapsed`](Self::max_elapsed) | 60 s | no retry starts later than this after the first attempt began |
/// | [`max_retry_after`](Self::max_retry_after) | 60 s | longest `Retry-After` the client waits for |
/// | [`retry_non_idempotent`](Self::retry_non_idempotent) | false | also retry POST and PATCH |
/// | [`retry_timeouts`](Self::retry_timeouts) | false | also retry attempts that timed out |
///
/// What is retried by default, and why:
///
/// | what happened | GET, HEAD, OPTIONS, PUT, DELETE, TRACE | POST, PATCH |
/// | --- | --- | --- |
/// | 429 Too Many Requests | retried | retried |
/// | 500, 502, 503, 504 | retried | only with `retry_non_idempotent(true)` |
/// | connection failed (DNS, connect, TLS handshake) | retried | retried |
/// | connection reset or body cut short after sending | retried | only with `retry_non_idempotent(true)` |
/// | attempt timed out | only with `retry_timeouts(true)` | only with both options |
/// | any other status | returned | returned |
///
/// - **429** means the server refused the request without processing it, so
///   it is safe to send again whatever the method.
/// - **5xx and failures after sending** leave it unknown whether the server
///   applied the request. Idempotent methods (RFC 9110 §9.2.2) may be sent
///   again because applying them twice has the effect of applying them once;
///   POST and PATCH might be applied twice, so they are not retried unless
///   you opt in.
/// - **DELETE is retried**, because its effect is idempotent, but its
///   *response* need not be: a retried cancel whose first attempt did reach
///   the server can come back as an error saying the resource is already
///   gone or canceled (for Polar, `403 AlreadyCanceledSubscription`). The
///   client reports that response as it is, and every error says how many
///   attempts were made (`attempts()`): more than one means the earlier
///   attempt may have succeeded. Use `RetryPolicy::none()` on the call to
///   rule this out.
/// - **Bodies** are built in memory before the first attempt (JSON, forms, multipart with its files),
///   so a retry sends the very same bytes. A body given as a stream (`Upload::stream`, a streamed
///   `FilePart`) is read as it is sent and cannot be read again: such a call makes one attempt,
///   and a retryable status or failure comes back as it is.
/// - **Timeouts** are off by default because the server may still be working
///   on the timed-out attempt, and each retry adds a full timeout to the wait.
///
/// When attempts run out, the last response is returned as is, so the
/// operation reports it as its typed status. The delay before retry `n`
/// (1-based) is drawn uniformly from `0..=min(max_backoff, initial_backoff *
/// multiplier^(n-1))` ("full jitter", which spreads out clients that failed
/// together). A `Retry-After` header (delta-seconds or HTTP date) replaces
/// that delay. When the server asks for longer than `max_retry_after`, or
/// for longer than what is left of `max_elapsed` or of the call's deadline,
/// the response is returned at once instead of sleeping only to fail the
/// same way. A backoff delay is capped by what is left of `max_elapsed`;
/// once that budget is spent, no retry starts.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    multiplier: f64,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
    retry_timeouts: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            multiplier: 2.0,
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
            retry_timeouts: false,
        }
    }
}

impl RetryPolicy {
    /// A single attempt, never retried.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// Total attempts including the first (default 3); 0 is treated as 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Delay cap before the first retry (default 500 ms).
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Growth of the delay cap per retry (default 2.0); values below 1 or
    /// not finite are treated as 1.
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() && multiplier >= 1.0 { multiplier } else { 1.0 };
        self
    }

    /// Upper bound of a single backoff delay (default 10 s).
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// No retry starts later than this after the first attempt began (default 60 s).
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// The longest server-requested `Retry-After` delay the client waits for
    /// (default 60 s); a longer one returns the response at once.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Also retry non-idempotent methods (POST, PATCH) on 5xx statuses and
    /// in-flight failures (default false: they could be applied twice). 429 is
    /// retried for every method regardless.
    pub fn retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = enabled;
        self
    }

    /// Also retry attempts that timed out (default false).
    pub fn retry_timeouts(mut self, enabled: bool) -> Self {
        self.retry_timeouts = enabled;
        self
    }

    pub(crate) fn attempts_allowed(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn max_elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether a request with this method may be retried once it may have
    /// reached the server.
    pub(crate) fn method_allowed(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    pub(crate) fn timeouts_allowed(&self, method: &Method) -> bool {
        self.retry_timeouts && self.method_allowed(method)
    }

    /// The randomised delay before retry number `retry` (1-based).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        jittered(self.backoff_cap(retry))
    }

    /// The upper bound of the delay before retry number `retry` (1-based).
    fn backoff_cap(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let secs = self.initial_backoff.as_secs_f64() * self.multiplier.powi(exponent);
        // Overflow or NaN (huge exponent) saturates at max_backoff.
        Duration::try_from_secs_f64(secs).map_or(self.max_backoff, |d| d.min(self.max_backoff))
    }

    /// Whether a response with this status may be retried for this method.
    pub(crate) fn status_allowed(&self, status: StatusCode, method: &Method) -> bool {
        // 429: the server refused without processing, so any method may resend.
        is_retryable_status(status) && (status == StatusCode::TOO_MANY_REQUESTS || self.method_allowed(method))
    }

    /// The delay a `Retry-After` header asks for: `Ok(None)` without one, and
    /// `Err(())` when it asks for longer than `max_retry_after`.
    pub(crate) fn retry_after(&self, headers: &HeaderMap) -> Result<Option<Duration>, ()> {
        let Some(value) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()) else { return Ok(None) };
        match parse_retry_after(value, SystemTime::now()) {
            Some(delay) if delay > self.max_retry_after => Err(()),
            delay => Ok(delay),
        }
    }
}

/// GET, HEAD, OPTIONS, PUT, DELETE and TRACE (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE].contains(method)
}

/// 429, 500, 502, 503 and 504: overload or transient upstream failures.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Uniform in `0..=cap` (full jitter).
fn jittered(cap: Duration) -> Duration {
    let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=cap_nanos))
}

/// Parses `Retry-After` as delta-seconds or an HTTP date relative to `now`.
/// A date in the past means "now"; anything unparseable is ignored.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits only: too many of them saturate (and get capped by the caller).
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_delta_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retry_after_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap_or(SystemTime::UNIX_EPOCH);
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_beyond_the_cap_gives_up() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(policy.retry_after(&headers), Err(()));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(policy.retry_after(&headers), Ok(Some(Duration::from_secs(2))));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(policy.retry_after(&headers), Ok(None));
        assert_eq!(policy.retry_after(&HeaderMap::new()), Ok(None));
    }

    #[test]
    fn backoff_bounds() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff_cap(1), Duration::from_millis(500));
        assert_eq!(policy.backoff_cap(2), Duration::from_secs(1));
        assert_eq!(policy.backoff_cap(3), Duration::from_secs(2));
        assert_eq!(policy.backoff_cap(10), Duration::from_secs(10));
        assert_eq!(policy.backoff_cap(u32::MAX), Duration::from_secs(10));
        for retry in 1..20 {
            for _ in 0..50 {
                assert!(policy.backoff(retry) <= policy.backoff_cap(retry));
            }
        }
        let flat = RetryPolicy::default().multiplier(f64::NAN);
        assert_eq!(flat.backoff_cap(5), Duration::from_millis(500));
    }

    #[test]
    fn methods_and_statuses() {
        let policy = RetryPolicy::default();
        assert!(policy.method_allowed(&Method::GET));
        assert!(policy.method_allowed(&Method::PUT));
        assert!(!policy.method_allowed(&Method::POST));
        assert!(!policy.method_allowed(&Method::PATCH));
        assert!(RetryPolicy::default().retry_non_idempotent(true).method_allowed(&Method::POST));
        assert!(!policy.timeouts_allowed(&Method::GET));
        for method in [Method::GET, Method::DELETE, Method::POST, Method::PATCH] {
            assert!(policy.status_allowed(StatusCode::TOO_MANY_REQUESTS, &method), "429 for {method}");
        }
        assert!(policy.status_allowed(StatusCode::SERVICE_UNAVAILABLE, &Method::DELETE));
        assert!(!policy.status_allowed(StatusCode::SERVICE_UNAVAILABLE, &Method::PATCH));
        assert!(!policy.status_allowed(StatusCode::FORBIDDEN, &Method::GET));
        assert!(policy.clone().retry_timeouts(true).timeouts_allowed(&Method::GET));
        for code in [429, 500, 502, 503, 504] {
            assert!(StatusCode::from_u16(code).is_ok_and(is_retryable_status));
        }
        for code in [200, 400, 404, 501, 505] {
            assert!(!StatusCode::from_u16(code).is_ok_and(is_retryable_status));
        }
        assert_eq!(RetryPolicy::none().attempts_allowed(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts_allowed(), 1);
    }
}
