//! Injected failures: "the next N requests to this path get status X".

/// A failure to serve instead of the real answer, for the next `times`
/// requests whose path starts with `path_prefix`.
///
/// The prefix is compared (ASCII case-insensitively, like Graph's paths) with
/// the request path as sent, and with the same path without the `/v1.0`
/// version root, so `"/me/messages"` and `"/v1.0/me/messages"` both work.
/// Identity endpoints can be failed too (`"/common/oauth2/v2.0/token"`).
///
/// The body is Graph's error shape with a code that fits the status
/// (`serviceNotAvailable` for 503, `TooManyRequests` for 429, ...) unless
/// [`code`](Fault::code) or [`raw_body`](Fault::raw_body) say otherwise.
///
/// ```
/// use msgraph_emulator::Fault;
/// let f = Fault::new("/me/messages", 503).times(2).retry_after(1).method("GET");
/// assert_eq!(f.status(), 503);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub(crate) path_prefix: String,
    pub(crate) method: Option<String>,
    pub(crate) status: u16,
    pub(crate) times: u32,
    pub(crate) retry_after: Option<String>,
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) raw_body: Option<(String, Vec<u8>)>,
}

impl Fault {
    /// Fail the next request to `path_prefix` with `status` (once; see [`times`](Fault::times)).
    pub fn new(path_prefix: impl Into<String>, status: u16) -> Self {
        Fault {
            path_prefix: path_prefix.into(),
            method: None,
            status,
            times: 1,
            retry_after: None,
            code: None,
            message: None,
            raw_body: None,
        }
    }

    /// Fail this many requests (default 1).
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Only requests with this method (`"GET"`, `"POST"`, ...).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into().to_ascii_uppercase());
        self
    }

    /// Send `Retry-After: secs`.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs.to_string());
        self
    }

    /// Send `Retry-After` with any value (an HTTP date, a bad value...).
    pub fn retry_after_raw(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// The `error.code` of the body.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The `error.message` of the body.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Send this body with this content type instead of a Graph error (an
    /// HTML page from a proxy, an empty body, truncated JSON...).
    pub fn raw_body(mut self, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        self.raw_body = Some((content_type.into(), body.into()));
        self
    }

    /// The status this fault answers with.
    pub fn status(&self) -> u16 {
        self.status
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method
            && !m.eq_ignore_ascii_case(method)
        {
            return false;
        }
        let prefix = self.path_prefix.to_ascii_lowercase();
        let path = path.to_ascii_lowercase();
        let unversioned = path.strip_prefix("/v1.0").unwrap_or(&path);
        path.starts_with(&prefix) || unversioned.starts_with(&prefix)
    }
}

/// The pending faults.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: Vec<Fault>,
}

impl Faults {
    pub fn add(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// The first pending fault for this request, used up by one.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self.pending.iter().position(|f| f.matches(method, path))?;
        let fault = self.pending[i].clone();
        self.pending[i].times -= 1;
        if self.pending[i].times == 0 {
            self.pending.remove(i);
        }
        Some(fault)
    }

    /// How many fault answers are still pending.
    pub fn remaining(&self) -> u32 {
        self.pending.iter().map(|f| f.times).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_by_prefix_method_and_count() {
        let mut f = Faults::default();
        f.add(Fault::new("/me/messages", 503).times(2).method("get"));
        assert!(f.take("POST", "/v1.0/me/messages").is_none());
        assert!(f.take("GET", "/v1.0/me/mailFolders").is_none());
        assert_eq!(f.take("GET", "/v1.0/Me/Messages/abc").map(|x| x.status), Some(503));
        assert_eq!(f.take("GET", "/v1.0/me/messages").map(|x| x.status), Some(503));
        assert!(f.take("GET", "/v1.0/me/messages").is_none());
        assert_eq!(f.remaining(), 0);
    }
}
