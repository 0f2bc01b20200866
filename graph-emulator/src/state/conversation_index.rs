//! `conversationIndex` values built as Exchange builds them
//! ([MS-OXOMSG] 2.2.1.3 PidTagConversationIndex).
//!
//! - Header, 22 bytes: a reserved byte `0x01`; the 40 most significant bits
//!   of the FILETIME of the conversation's first message, big-endian (the 24
//!   low bits are dropped); a 16-byte GUID naming the conversation.
//! - One 5-byte child block per reply or forward: a delta-code bit and a
//!   31-bit time delta (the FILETIME difference from the header time, shifted
//!   right by 18 bits, or by 23 bits with the code bit set when the
//!   difference is over ~1.7 years), then 8 random bits.
//!
//! Graph shows the value base64-encoded (`Edm.Binary`).

use chrono::{DateTime, TimeZone, Utc};

use crate::time::filetime;

/// Length of the header block.
const HEADER_LEN: usize = 22;
/// Length of one child block.
const CHILD_LEN: usize = 5;

/// The header of a new conversation started at `time`.
pub(crate) fn header(time: DateTime<Utc>, guid: [u8; 16]) -> Vec<u8> {
    let ft = filetime(time).to_be_bytes();
    let mut out = Vec::with_capacity(HEADER_LEN);
    out.push(0x01);
    out.extend_from_slice(&ft[..5]);
    out.extend_from_slice(&guid);
    out
}

/// The header time as a FILETIME (low 24 bits zero).
fn header_filetime(index: &[u8]) -> Option<u64> {
    if index.len() < HEADER_LEN || index[0] != 0x01 {
        return None;
    }
    let mut b = [0u8; 8];
    b[..5].copy_from_slice(&index[1..6]);
    Some(u64::from_be_bytes(b))
}

/// The index of a reply (or forward) to a message whose index is `parent`,
/// sent at `time`. A parent that is not a valid index gets a fresh header.
pub(crate) fn child(parent: &[u8], time: DateTime<Utc>, random: u8, fallback_guid: [u8; 16]) -> Vec<u8> {
    let Some(head) = header_filetime(parent) else {
        return header(time, fallback_guid);
    };
    let diff = filetime(time).saturating_sub(head);
    let word: u32 = if diff & 0x00FE_0000_0000_0000 == 0 {
        ((diff >> 18) & 0x7FFF_FFFF) as u32
    } else {
        0x8000_0000 | ((diff >> 23) & 0x7FFF_FFFF) as u32
    };
    let mut out = parent.to_vec();
    out.extend_from_slice(&word.to_be_bytes());
    out.push(random);
    out
}

/// A decoded `conversationIndex`: when the conversation started, the GUID
/// naming it, and the time of each reply level (one per 5-byte child block).
///
/// ```
/// use msgraph_emulator::ConversationIndex;
/// // Header only: reserved byte, 5 FILETIME bytes, 16 GUID bytes.
/// let idx = ConversationIndex::decode_base64("AQHaAAAAAAAAAAAAAAAAAAAAAAAAAA==").unwrap();
/// assert!(idx.replies.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConversationIndex {
    /// When the first message was sent (to ~1.7 s: the header drops the low 24 bits of the FILETIME).
    pub started: DateTime<Utc>,
    /// The conversation's GUID bytes.
    pub guid: [u8; 16],
    /// When each reply or forward down the thread was sent.
    pub replies: Vec<DateTime<Utc>>,
}

fn from_filetime(ft: u64) -> DateTime<Utc> {
    let secs = (ft / 10_000_000) as i64 - 11_644_473_600;
    let nanos = ((ft % 10_000_000) * 100) as u32;
    Utc.timestamp_opt(secs, nanos).single().unwrap_or_default()
}

impl ConversationIndex {
    /// Decodes raw bytes; `None` unless it is a 22-byte header plus whole 5-byte blocks.
    pub fn decode(index: &[u8]) -> Option<Self> {
        let head = header_filetime(index)?;
        if !(index.len() - HEADER_LEN).is_multiple_of(CHILD_LEN) {
            return None;
        }
        let mut guid = [0u8; 16];
        guid.copy_from_slice(&index[6..22]);
        let replies = index[HEADER_LEN..]
            .chunks(CHILD_LEN)
            .map(|c| {
                let word = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                let delta = (word & 0x7FFF_FFFF) as u64;
                let diff = if word & 0x8000_0000 == 0 { delta << 18 } else { delta << 23 };
                from_filetime(head + diff)
            })
            .collect();
        Some(ConversationIndex { started: from_filetime(head), guid, replies })
    }

    /// Decodes the base64 form Graph returns.
    pub fn decode_base64(value: &str) -> Option<Self> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?;
        Self::decode(&bytes)
    }

    /// How deep in the thread the message is (0 for the first message).
    pub fn depth(&self) -> usize {
        self.replies.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn header_is_22_bytes_starting_with_the_reserved_byte() {
        let t = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
        let h = header(t, [7; 16]);
        assert_eq!(h.len(), 22);
        assert_eq!(h[0], 0x01);
        // 2024 FILETIMEs start 0x01 0xDA: the familiar "AQHa..." base64 prefix.
        assert_eq!(&h[1..3], &[0x01, 0xDA]);
        let d = ConversationIndex::decode(&h).unwrap();
        assert!((t - d.started).num_seconds().abs() < 2);
        assert_eq!(d.guid, [7; 16]);
    }

    #[test]
    fn replies_append_five_byte_blocks_with_their_time() {
        let t = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
        let h = header(t, [1; 16]);
        let r1 = child(&h, t + Duration::hours(3), 0x42, [0; 16]);
        let r2 = child(&r1, t + Duration::days(2), 0x17, [0; 16]);
        assert_eq!(r1.len(), 27);
        assert_eq!(r2.len(), 32);
        assert_eq!(&r2[..27], &r1[..]);
        let d = ConversationIndex::decode(&r2).unwrap();
        assert_eq!(d.replies.len(), 2);
        assert!((d.replies[0] - (t + Duration::hours(3))).num_seconds().abs() < 2);
        assert!((d.replies[1] - (t + Duration::days(2))).num_seconds().abs() < 2);
    }

    #[test]
    fn long_gaps_use_the_delta_code_bit() {
        let t = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
        let h = header(t, [1; 16]);
        let r = child(&h, t + Duration::days(800), 0, [0; 16]);
        assert_eq!(r[22] & 0x80, 0x80);
        let d = ConversationIndex::decode(&r).unwrap();
        assert!((d.replies[0] - (t + Duration::days(800))).num_seconds().abs() < 2);
    }
}
