use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};

/// Seconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01.
const FILETIME_UNIX_OFFSET_SECS: i64 = 11_644_473_600;
/// FILETIME ticks (100 ns) per second.
const TICKS_PER_SEC: u64 = 10_000_000;

/// Why a `conversationIndex` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConversationIndexError {
    /// The value is not base64.
    InvalidBase64 {
        /// What the decoder said.
        message: String,
    },
    /// Fewer bytes than the 22-byte header.
    TooShort {
        /// The decoded length.
        len: usize,
    },
}

impl fmt::Display for ConversationIndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConversationIndexError::InvalidBase64 { message } => {
                write!(f, "conversationIndex is not valid base64: {message}")
            }
            ConversationIndexError::TooShort { len } => {
                write!(f, "conversationIndex has {len} bytes; the header alone is {}", ConversationIndex::HEADER_LEN)
            }
        }
    }
}

impl std::error::Error for ConversationIndexError {}

impl From<ConversationIndexError> for msgraph_core::Error {
    fn from(e: ConversationIndexError) -> Self {
        msgraph_core::Error::Decode {
            message: e.to_string(),
            path: Some("conversationIndex".into()),
            status: 200,
            body_prefix: String::new(),
        }
    }
}

/// A decoded `conversationIndex` (MAPI `PidTagConversationIndex`): where a
/// message sits in its thread
/// ([tracking conversations](https://learn.microsoft.com/office/client-developer/outlook/mapi/tracking-conversations)).
///
/// A 22-byte header (the time the thread started and a GUID) followed by
/// one 5-byte child block per reply or forward, so the thread depth is
/// `(len - 22) / 5`: 0 for the message that started the thread. Bytes after
/// the last whole block are kept but not read.
///
/// The header time is read in both layouts found in real mail: Exchange
/// Online's (a reserved `0x01` byte, then the 40 high bits of the FILETIME)
/// and the classic one of Outlook clients and the `Thread-Index` header (the
/// 48 high bits of the FILETIME); they differ in the second byte, which is
/// `0x01` only in the first.
///
/// ```
/// use msgraph_mail::ConversationIndex;
/// let ci = ConversationIndex::decode("AQHTAbcSwb41IIwGp0qstrYSZH+U7Q==").unwrap();
/// assert_eq!(ci.depth(), 0);
/// assert_eq!(ci.header_time().to_rfc3339(), "2017-07-21T00:19:51.650918400+00:00");
///
/// let reply = ConversationIndex::decode("AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A").unwrap();
/// assert_eq!(reply.depth(), 1);
/// assert_eq!(reply.guid_string(), "acba12de-1827-13f3-bbea-ba45cf137f13");
/// let when = reply.child_times().last().unwrap();
/// assert_eq!(when.to_rfc3339(), "2018-07-16T21:43:22.827571200+00:00");
///
/// assert!(ConversationIndex::decode("not base64!").is_err());
/// assert!(ConversationIndex::decode("AQHT").is_err()); // 3 bytes: too short
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConversationIndex {
    bytes: Vec<u8>,
    header_time: DateTime<Utc>,
}

/// One reply or forward level of a [`ConversationIndex`]: 1 bit delta code,
/// 31 bits time delta, 4 bits random, 4 bits sequence count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildBlock([u8; 5]);

impl ChildBlock {
    /// The five bytes.
    pub fn bytes(&self) -> [u8; 5] {
        self.0
    }

    fn word(&self) -> u32 {
        u32::from_be_bytes([self.0[0], self.0[1], self.0[2], self.0[3]])
    }

    /// The delta code: `false` when the delta is stored in units of 2^18
    /// ticks (differences under about 1.7 years), `true` for 2^23 ticks.
    pub fn delta_code(&self) -> bool {
        self.word() & 0x8000_0000 != 0
    }

    /// The 31-bit time delta as stored.
    pub fn raw_delta(&self) -> u32 {
        self.word() & 0x7FFF_FFFF
    }

    /// The time delta this block records (precision 26 ms or 0.8 s).
    pub fn time_delta(&self) -> TimeDelta {
        let shift = if self.delta_code() { 23 } else { 18 };
        // At most 2^54 ticks: 1.8e18 ns, inside i64.
        let ticks = u64::from(self.raw_delta()) << shift;
        TimeDelta::nanoseconds(i64::try_from(ticks.saturating_mul(100)).unwrap_or(i64::MAX))
    }

    /// The 4 random bits.
    pub fn random(&self) -> u8 {
        self.0[4] >> 4
    }

    /// The 4-bit sequence count.
    pub fn sequence(&self) -> u8 {
        self.0[4] & 0x0F
    }
}

fn filetime_to_utc(ticks: u64) -> Option<DateTime<Utc>> {
    let secs = i64::try_from(ticks / TICKS_PER_SEC).ok()? - FILETIME_UNIX_OFFSET_SECS;
    let nanos = u32::try_from(ticks % TICKS_PER_SEC * 100).ok()?;
    DateTime::from_timestamp(secs, nanos)
}

impl ConversationIndex {
    /// Length of the header block.
    pub const HEADER_LEN: usize = 22;
    /// Length of each child block.
    pub const CHILD_LEN: usize = 5;

    /// Decodes the base64 value Graph returns in `conversationIndex`.
    pub fn decode(base64: &str) -> Result<Self, ConversationIndexError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|e| ConversationIndexError::InvalidBase64 { message: e.to_string() })?;
        Self::from_bytes(bytes)
    }

    /// Reads raw bytes (e.g. the MAPI property).
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, ConversationIndexError> {
        let bytes = bytes.into();
        if bytes.len() < Self::HEADER_LEN {
            return Err(ConversationIndexError::TooShort { len: bytes.len() });
        }
        let be = |range: std::ops::Range<usize>| bytes[range].iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        let ticks = if bytes[0] == 0x01 && bytes[1] == 0x01 { be(1..6) << 24 } else { be(0..6) << 16 };
        // Every 48-bit FILETIME prefix is a date chrono can hold (before year 60,000).
        let header_time = filetime_to_utc(ticks).unwrap_or(DateTime::<Utc>::MAX_UTC);
        Ok(ConversationIndex { bytes, header_time })
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The value as Graph writes it.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.bytes)
    }

    /// Thread depth: `(len - 22) / 5`; 0 for the first message of a thread.
    pub fn depth(&self) -> usize {
        (self.bytes.len() - Self::HEADER_LEN) / Self::CHILD_LEN
    }

    /// True when the message is a reply or forward (depth > 0).
    pub fn is_response(&self) -> bool {
        self.depth() > 0
    }

    /// When the thread started (the header's FILETIME, about 1.7 s precision).
    pub fn header_time(&self) -> DateTime<Utc> {
        self.header_time
    }

    /// The thread's GUID (bytes 6..22).
    pub fn guid(&self) -> [u8; 16] {
        let mut g = [0u8; 16];
        g.copy_from_slice(&self.bytes[6..Self::HEADER_LEN]);
        g
    }

    /// The GUID as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (its fields are stored big-endian).
    pub fn guid_string(&self) -> String {
        let h: String = self.guid().iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
    }

    /// The child blocks, oldest first.
    pub fn child_blocks(&self) -> impl Iterator<Item = ChildBlock> + '_ {
        self.bytes[Self::HEADER_LEN..].chunks_exact(Self::CHILD_LEN).map(|c| {
            let mut b = [0u8; 5];
            b.copy_from_slice(c);
            ChildBlock(b)
        })
    }

    /// When each reply or forward was made: the header time plus the deltas
    /// so far (Outlook stores each delta from the previous level; for the
    /// first level this is the difference from the header that the MAPI
    /// documentation describes). Stops early only if a date would overflow.
    pub fn child_times(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.child_blocks().scan(self.header_time, |t, block| {
            *t = t.checked_add_signed(block.time_delta())?;
            Some(*t)
        })
    }

    /// The index of the message this one responds to (one block fewer);
    /// `None` for the first message of a thread.
    pub fn parent(&self) -> Option<ConversationIndex> {
        let depth = self.depth();
        if depth == 0 {
            return None;
        }
        let len = Self::HEADER_LEN + (depth - 1) * Self::CHILD_LEN;
        Some(ConversationIndex { bytes: self.bytes[..len].to_vec(), header_time: self.header_time })
    }

    /// True when both belong to the same thread (same header).
    pub fn same_thread(&self, other: &ConversationIndex) -> bool {
        self.bytes[..Self::HEADER_LEN] == other.bytes[..Self::HEADER_LEN]
    }

    /// True when `other` is a response (direct or not) to this message.
    pub fn is_ancestor_of(&self, other: &ConversationIndex) -> bool {
        let mine = Self::HEADER_LEN + self.depth() * Self::CHILD_LEN;
        other.depth() > self.depth() && other.bytes.get(..mine) == Some(&self.bytes[..mine])
    }
}

impl std::str::FromStr for ConversationIndex {
    type Err = ConversationIndexError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::decode(s)
    }
}
