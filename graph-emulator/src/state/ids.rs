//! Opaque, deterministic ids shaped like Graph's.
//!
//! Exchange ids as Graph shows them are URL-safe base64 of a binary entry id
//! (`AAMkAGVmMDEz...AAA=`): they contain `-`, `_` and a trailing `=`, which a
//! client must percent-encode in paths and the server must decode. The
//! emulator builds them the same way from a counter mixed through splitmix64,
//! so the same seed gives the same ids on every run.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

/// What an id names; it changes the id's shape a little, like Exchange's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    Message,
    Folder,
    Event,
    Calendar,
    Attachment,
    Conversation,
}

impl IdKind {
    fn tag(self) -> u8 {
        match self {
            IdKind::Message => 0x07,
            IdKind::Folder => 0x01,
            IdKind::Event => 0x0d,
            IdKind::Calendar => 0x0c,
            IdKind::Attachment => 0x12,
            IdKind::Conversation => 0x10,
        }
    }
}

/// splitmix64: a small, well-mixed, deterministic generator.
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Deterministic bytes from a seed.
pub(crate) fn bytes_from(seed: u64, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    let mut s = seed;
    while out.len() < n {
        s = splitmix(s);
        out.extend_from_slice(&s.to_be_bytes());
    }
    out.truncate(n);
    out
}

/// A GUID string (lowercase, hyphenated) from a seed.
pub(crate) fn guid(seed: u64) -> String {
    let b = bytes_from(seed ^ 0x6775_6964, 16);
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-4{:x}{:02x}-{:x}{:x}{:02x}-{}",
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        b[5],
        b[6] & 0x0f,
        b[7],
        8 | (b[8] & 0x03),
        b[8] >> 4,
        b[9],
        b[10..16].iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

/// The id generator of one emulator.
#[derive(Debug, Clone)]
pub(crate) struct IdGen {
    counter: u64,
    mailbox_tag: String,
}

impl IdGen {
    pub fn new(seed: u64) -> Self {
        IdGen { counter: seed.wrapping_mul(1_000_003), mailbox_tag: guid(seed) }
    }

    /// The next number; also used for tokens and request ids.
    pub fn next_u64(&mut self) -> u64 {
        self.counter = self.counter.wrapping_add(1);
        splitmix(self.counter)
    }

    /// A new Graph-shaped id.
    pub fn next(&mut self, kind: IdKind) -> String {
        let n = self.next_u64();
        // `AAMkA...` like Exchange item ids; conversation ids read `AAQkA...`.
        let mut raw: Vec<u8> = vec![0x00, 0x03, 0x24, 0x00];
        if kind == IdKind::Conversation {
            raw[1] = 0x04;
        }
        raw.extend_from_slice(self.mailbox_tag.as_bytes());
        raw.extend_from_slice(&[0x00, 0x46, 0x00, 0x00, 0x00, 0x00, kind.tag()]);
        raw.extend_from_slice(&bytes_from(n, 16));
        raw.extend_from_slice(&[0x07, 0x00]);
        raw.extend_from_slice(&bytes_from(n ^ 0xA5A5, 6));
        raw.extend_from_slice(&[0x00, 0x00, 0x00]);
        // 4 + 36 + 7 + 16 + 2 + 6 + 3 = 74 bytes: 74 % 3 == 2, so one '=' of padding.
        URL_SAFE.encode(raw)
    }

    /// A new opaque token (delta, skip, device code, access token body).
    pub fn token(&mut self, len: usize) -> String {
        let n = self.next_u64();
        let bytes = bytes_from(n, len);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A new GUID.
    pub fn guid(&mut self) -> String {
        let n = self.next_u64();
        guid(n)
    }
}

/// Whether a string can be one of our ids: URL-safe (or standard) base64 of
/// at least 16 bytes. Anything else is `ErrorInvalidIdMalformed`.
pub(crate) fn is_well_formed(id: &str) -> bool {
    if id.len() < 16 || id.len() > 1024 {
        return false;
    }
    let normal: String = id
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let trimmed = normal.trim_end_matches('=');
    let padded = format!("{trimmed}{}", "=".repeat((4 - trimmed.len() % 4) % 4));
    STANDARD.decode(padded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_and_graph_shaped() {
        let mut a = IdGen::new(7);
        let mut b = IdGen::new(7);
        let ids: Vec<String> = (0..50).map(|_| a.next(IdKind::Message)).collect();
        let again: Vec<String> = (0..50).map(|_| b.next(IdKind::Message)).collect();
        assert_eq!(ids, again);
        assert!(ids.iter().all(|id| id.starts_with("AAMkA") && id.ends_with('=') && is_well_formed(id)));
        assert!(ids.iter().any(|id| id.contains('-') || id.contains('_')));
    }

    #[test]
    fn malformed_ids_are_recognised() {
        assert!(!is_well_formed("123"));
        assert!(!is_well_formed("not an id at all, clearly"));
        assert!(is_well_formed("AAMkAGI2TG93AAAAAAAAAA=="));
    }

    #[test]
    fn guids_have_the_right_shape() {
        let g = guid(1);
        assert_eq!(g.len(), 36);
        assert_eq!(g.matches('-').count(), 4);
    }
}
