//! Upload sessions: one implementation of Graph's resumable uploads, used by
//! Outlook's large attachments
//! (<https://learn.microsoft.com/graph/outlook-large-attachments>) and
//! OneDrive's large files
//! (<https://learn.microsoft.com/graph/api/driveitem-createuploadsession>).
//!
//! A session has a pre-authenticated URL (`/upload/{kind}/{id}?authtoken=`),
//! an expiry, and the bytes received so far. Slices are `PUT` in order with
//! `Content-Range: bytes a-b/total`; what differs between the two services
//! is a matter of rules ([`UploadKind`]): the largest slice, whether slices
//! must be multiples of 320 KiB, the status codes and JSON casing of the
//! answers, and the error codes. What happens when the last byte arrives is
//! up to the target (an attachment on a message, a file in a drive).

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::state::ids::IdGen;

/// OneDrive: slices other than the last must be multiples of 320 KiB.
pub(crate) const DRIVE_SLICE_MULTIPLE: u64 = 320 * 1024;
/// OneDrive: each slice must be smaller than 60 MiB.
pub(crate) const DRIVE_SLICE_LIMIT: u64 = 60 * 1024 * 1024;
/// Outlook: slices of at most 4 MiB.
pub(crate) const OUTLOOK_SLICE_LIMIT: u64 = 4 * 1024 * 1024;

/// Which service a session belongs to, and so which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadKind {
    /// A file attachment of an Outlook message.
    Attachment,
    /// A file in a OneDrive.
    Drive,
}

/// The error codes a kind uses.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Code {
    InvalidRequest,
    InvalidRange,
    NotFound,
    Unauthenticated,
}

impl UploadKind {
    /// The URL segment (`/upload/{segment}/{id}`).
    pub fn segment(self) -> &'static str {
        match self {
            UploadKind::Attachment => "attachment",
            UploadKind::Drive => "drive",
        }
    }

    /// The kind of a URL segment.
    pub fn from_segment(s: &str) -> Option<Self> {
        match s {
            "attachment" => Some(UploadKind::Attachment),
            "drive" => Some(UploadKind::Drive),
            _ => None,
        }
    }

    /// How long a session lives.
    pub fn lifetime(self) -> Duration {
        match self {
            UploadKind::Attachment => Duration::hours(2),
            UploadKind::Drive => Duration::hours(24),
        }
    }

    /// An error in this service's vocabulary (Outlook's `ErrorXxx`, OneDrive's lowerCamel codes).
    pub fn error(self, code: Code, message: impl Into<String>) -> GraphError {
        let (status, outlook, drive) = match code {
            Code::InvalidRequest => (StatusCode::BAD_REQUEST, "ErrorInvalidRequest", "invalidRequest"),
            Code::InvalidRange => (StatusCode::RANGE_NOT_SATISFIABLE, "ErrorInvalidRange", "invalidRange"),
            Code::NotFound => (StatusCode::NOT_FOUND, "ErrorItemNotFound", "itemNotFound"),
            Code::Unauthenticated => (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "unauthenticated"),
        };
        let code = match self {
            UploadKind::Attachment => outlook,
            UploadKind::Drive => drive,
        };
        GraphError::new(status, code, message)
    }

    /// The status of an answer to a slice that is not the last.
    pub fn interim_status(self) -> StatusCode {
        match self {
            UploadKind::Attachment => StatusCode::OK,
            UploadKind::Drive => StatusCode::ACCEPTED,
        }
    }

    fn check_slice(self, len: u64, last: bool) -> ApiResult<()> {
        match self {
            UploadKind::Attachment if len > OUTLOOK_SLICE_LIMIT => Err(self.error(
                Code::InvalidRequest,
                format!("The byte range is {len} bytes; upload at most 4 MB ({OUTLOOK_SLICE_LIMIT} bytes) per request."),
            )),
            UploadKind::Drive if len >= DRIVE_SLICE_LIMIT => Err(self.error(
                Code::InvalidRequest,
                format!("The fragment is {len} bytes; each fragment must be smaller than 60 MiB ({DRIVE_SLICE_LIMIT} bytes)."),
            )),
            UploadKind::Drive if !last && !len.is_multiple_of(DRIVE_SLICE_MULTIPLE) => Err(self.error(
                Code::InvalidRequest,
                format!(
                    "The fragment is {len} bytes; every fragment but the last must be a multiple of 320 KiB ({DRIVE_SLICE_MULTIPLE} bytes)."
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Where an Outlook attachment goes, and what it is.
#[derive(Debug, Clone)]
pub(crate) struct AttachmentTarget {
    pub user_id: String,
    pub message_id: String,
    pub name: String,
    pub content_type: Option<String>,
    pub is_inline: bool,
    pub content_id: Option<String>,
}

/// What a session uploads to.
#[derive(Debug, Clone)]
pub(crate) enum UploadTarget {
    Attachment(AttachmentTarget),
    Drive(crate::state::drive::DriveUploadTarget),
}

/// One upload session.
#[derive(Debug, Clone)]
pub(crate) struct UploadSession {
    pub id: String,
    pub secret: String,
    pub kind: UploadKind,
    pub target: UploadTarget,
    /// The size announced when the session was created, if any.
    pub expected_size: Option<u64>,
    /// The total of the first `Content-Range`; every later slice must agree.
    pub total: Option<u64>,
    pub data: Vec<u8>,
    pub expires: DateTime<Utc>,
    /// OneDrive's `deferCommit`: the file is made by an explicit POST.
    pub defer_commit: bool,
    /// Every byte is in, the file is not made yet (deferred, or a conflict at the end).
    pub awaiting_commit: bool,
}

/// What a slice did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slice {
    /// More bytes are expected, from this offset.
    More(u64),
    /// That was the last byte.
    Done,
}

/// Parses `bytes a-b/total` (`total` may be `*`).
pub(crate) fn parse_content_range(v: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (a, b) = range.trim().split_once('-')?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?, total))
}

impl UploadSession {
    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.data.len() as u64
    }

    /// `nextExpectedRanges` as the service writes it: OneDrive `"26-"`,
    /// Outlook a bare start (`"2097152"`) once bytes have arrived.
    pub fn next_expected_ranges(&self) -> Vec<String> {
        let n = self.received();
        if self.awaiting_commit || self.total.is_some_and(|t| n >= t) {
            return Vec::new();
        }
        match self.kind {
            UploadKind::Attachment if n > 0 => vec![n.to_string()],
            _ => vec![format!("{n}-")],
        }
    }

    /// The session's status (the answer to `GET` and to a slice that is not the last).
    pub fn status_body(&self, origin: &str) -> Value {
        let expires = format_expiry(self.expires);
        match (&self.kind, &self.target) {
            (UploadKind::Attachment, UploadTarget::Attachment(t)) => json!({
                "@odata.context": format!(
                    "{origin}/api/v2.0/$metadata#Users('{}')/Messages('{}')/AttachmentSessions/$entity",
                    t.user_id, t.message_id
                ),
                "ExpirationDateTime": expires,
                "nextExpectedRanges": self.next_expected_ranges(),
            }),
            _ => json!({
                "expirationDateTime": expires,
                "nextExpectedRanges": self.next_expected_ranges(),
            }),
        }
    }

    /// Takes one slice: `Content-Range` checked against what was received
    /// (out of order or overlapping: 416), the total against the session's,
    /// the length against the body and the kind's slice rules.
    pub fn accept(&mut self, content_range: Option<&str>, body: &[u8]) -> ApiResult<Slice> {
        let kind = self.kind;
        let bad = |m: String| kind.error(Code::InvalidRequest, m);
        let Some(range) = content_range else {
            return Err(bad("The Content-Range header is required: bytes {start}-{end}/{total}.".into()));
        };
        let Some((start, end, total)) = parse_content_range(range) else {
            return Err(bad(format!(
                "The Content-Range header '{range}' is not of the form bytes {{start}}-{{end}}/{{total}}."
            )));
        };
        let Some(total) = total else {
            return Err(bad("The total size in Content-Range must be known ('*' is not accepted).".into()));
        };
        if end < start || end >= total {
            return Err(bad(format!("The Content-Range '{range}' is not a range within the file.")));
        }
        if let Some(expected) = self.expected_size.or(self.total)
            && expected != total
        {
            return Err(bad(format!(
                "The Content-Range total {total} differs from the file size {expected} of this upload session."
            )));
        }
        let len = end - start + 1;
        if len != body.len() as u64 {
            return Err(bad(format!(
                "The Content-Range '{range}' announces {len} bytes but the request carries {}.",
                body.len()
            )));
        }
        let received = self.received();
        if self.awaiting_commit || start < received {
            return Err(kind.error(
                Code::InvalidRange,
                format!(
                    "The range {start}-{end} overlaps bytes already received; the next expected byte is {received}."
                ),
            ));
        }
        if start > received {
            return Err(kind.error(
                Code::InvalidRange,
                format!("The range {start}-{end} is out of order; the next expected byte is {received}."),
            ));
        }
        let last = end + 1 == total;
        kind.check_slice(len, last)?;
        self.total = Some(total);
        self.data.extend_from_slice(body);
        Ok(if last { Slice::Done } else { Slice::More(end + 1) })
    }
}

/// OneDrive and Outlook write expiry times with fractional seconds.
pub(crate) fn format_expiry(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Every open upload session.
#[derive(Debug, Default)]
pub(crate) struct UploadSessions {
    map: HashMap<String, UploadSession>,
}

impl UploadSessions {
    /// Opens a session; returns it (for its id, secret and expiry).
    pub fn create(
        &mut self,
        ids: &mut IdGen,
        kind: UploadKind,
        target: UploadTarget,
        expected_size: Option<u64>,
        defer_commit: bool,
        now: DateTime<Utc>,
    ) -> &UploadSession {
        self.map.retain(|_, s| s.expires > now);
        let id = ids.token(24);
        let session = UploadSession {
            id: id.clone(),
            secret: ids.token(32),
            kind,
            target,
            expected_size,
            total: None,
            data: Vec::new(),
            expires: now + kind.lifetime(),
            defer_commit,
            awaiting_commit: false,
        };
        self.map.entry(id).or_insert(session)
    }

    /// A live session of this kind whose secret matches: 404 when it does
    /// not exist, was cancelled or completed, or expired; 401 on a wrong secret.
    pub fn find(
        &mut self,
        kind: UploadKind,
        id: &str,
        secret: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<&mut UploadSession> {
        let expired = self.map.get(id).is_some_and(|s| s.expires <= now);
        if expired {
            self.map.remove(id);
        }
        let Some(s) = self.map.get_mut(id).filter(|s| s.kind == kind) else {
            return Err(kind
                .error(Code::NotFound, "The upload session does not exist, was cancelled or completed, or expired."));
        };
        if s.secret != secret {
            return Err(kind.error(Code::Unauthenticated, "The upload URL's authtoken is not valid for this session."));
        }
        Ok(s)
    }

    /// Removes a session (cancel, or completion).
    pub fn remove(&mut self, id: &str) -> Option<UploadSession> {
        self.map.remove(id)
    }

    /// Puts a session back (a completion that failed keeps its session).
    pub fn restore(&mut self, session: UploadSession) {
        self.map.insert(session.id.clone(), session);
    }

    /// Makes every session expired.
    pub fn expire_all(&mut self) {
        let past = Utc::now() - Duration::seconds(1);
        for s in self.map.values_mut() {
            s.expires = past;
        }
    }

    /// Live sessions.
    pub fn len(&self) -> usize {
        let now = Utc::now();
        self.map.values().filter(|s| s.expires > now).count()
    }
}

/// The origin of pre-authenticated URLs for a client at `origin`: the same
/// socket under the other loopback name, so it is another host to the client.
pub(crate) fn preauth_origin(origin: &str) -> String {
    let Some(rest) = origin.strip_prefix("http://") else {
        return origin.to_owned();
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        _ => (rest, None),
    };
    let other = if host.eq_ignore_ascii_case("localhost") {
        "127.0.0.1"
    } else if host == "127.0.0.1" {
        "localhost"
    } else {
        host
    };
    match port {
        Some(p) => format!("http://{other}:{p}"),
        None => format!("http://{other}"),
    }
}

/// The pre-authenticated URL of a session.
pub(crate) fn upload_url(preauth_origin: &str, s: &UploadSession) -> String {
    format!("{preauth_origin}/upload/{}/{}?authtoken={}", s.kind.segment(), s.id, s.secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preauth_urls_live_on_the_other_loopback_name() {
        assert_eq!(preauth_origin("http://127.0.0.1:8080"), "http://localhost:8080");
        assert_eq!(preauth_origin("http://localhost:8080"), "http://127.0.0.1:8080");
        assert_eq!(preauth_origin("http://emulator:80"), "http://emulator:80");
    }

    fn session(kind: UploadKind, size: Option<u64>) -> UploadSession {
        let target = UploadTarget::Attachment(AttachmentTarget {
            user_id: "u".into(),
            message_id: "m".into(),
            name: "n".into(),
            content_type: None,
            is_inline: false,
            content_id: None,
        });
        UploadSession {
            id: "s".into(),
            secret: "k".into(),
            kind,
            target,
            expected_size: size,
            total: None,
            data: Vec::new(),
            expires: Utc::now() + Duration::hours(1),
            defer_commit: false,
            awaiting_commit: false,
        }
    }

    #[test]
    fn slice_limits_per_kind() {
        assert!(UploadKind::Drive.check_slice(DRIVE_SLICE_LIMIT - DRIVE_SLICE_MULTIPLE, false).is_ok());
        assert_eq!(UploadKind::Drive.check_slice(DRIVE_SLICE_LIMIT, false).unwrap_err().code, "invalidRequest");
        assert_eq!(UploadKind::Drive.check_slice(DRIVE_SLICE_LIMIT, true).unwrap_err().status.as_u16(), 400);
        assert!(UploadKind::Drive.check_slice(1, true).is_ok());
        assert!(UploadKind::Attachment.check_slice(OUTLOOK_SLICE_LIMIT, false).is_ok());
        assert!(UploadKind::Attachment.check_slice(1000, false).is_ok(), "no 320 KiB rule for Outlook");
        assert_eq!(
            UploadKind::Attachment.check_slice(OUTLOOK_SLICE_LIMIT + 1, true).unwrap_err().code,
            "ErrorInvalidRequest"
        );
    }

    #[test]
    fn content_ranges_parse() {
        assert_eq!(parse_content_range("bytes 0-25/128"), Some((0, 25, Some(128))));
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, 9, None)));
        assert_eq!(parse_content_range("0-25/128"), None);
        assert_eq!(parse_content_range("bytes a-b/c"), None);
    }

    #[test]
    fn drive_slices_follow_the_320_kib_rule_and_order() {
        let mut s = session(UploadKind::Drive, None);
        let total = DRIVE_SLICE_MULTIPLE * 2 + 10;
        let bad = vec![0u8; 1000];
        let e = s.accept(Some(&format!("bytes 0-999/{total}")), &bad).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code.as_str()), (400, "invalidRequest"));
        let one = vec![1u8; DRIVE_SLICE_MULTIPLE as usize];
        let r = format!("bytes 0-{}/{total}", DRIVE_SLICE_MULTIPLE - 1);
        assert_eq!(s.accept(Some(&r), &one).unwrap(), Slice::More(DRIVE_SLICE_MULTIPLE));
        assert_eq!(s.accept(Some(&r), &one).unwrap_err().status.as_u16(), 416);
        assert_eq!(s.next_expected_ranges(), vec![format!("{DRIVE_SLICE_MULTIPLE}-")]);
        let rest = vec![2u8; (total - DRIVE_SLICE_MULTIPLE) as usize];
        let r = format!("bytes {}-{}/{total}", DRIVE_SLICE_MULTIPLE, total - 1);
        assert_eq!(s.accept(Some(&r), &rest).unwrap(), Slice::Done);
        assert_eq!(s.data.len() as u64, total);
    }

    #[test]
    fn outlook_slices_are_at_most_4_mib_and_ranges_are_bare_starts() {
        let mut s = session(UploadKind::Attachment, Some(10));
        assert_eq!(s.next_expected_ranges(), vec!["0-".to_owned()]);
        assert_eq!(s.accept(Some("bytes 0-3/10"), b"abcd").unwrap(), Slice::More(4));
        assert_eq!(s.next_expected_ranges(), vec!["4".to_owned()]);
        assert_eq!(s.accept(Some("bytes 6-9/10"), b"ghij").unwrap_err().status.as_u16(), 416);
        assert_eq!(s.accept(Some("bytes 4-9/11"), b"efghij").unwrap_err().code, "ErrorInvalidRequest");
        assert_eq!(s.accept(Some("bytes 4-9/10"), b"efghij").unwrap(), Slice::Done);
    }
}
