//! ConversationIndex: decoding real values, typed errors, and property tests
//! over random bytes and strings (seeded, so a failure reproduces).

use base64::Engine as _;
use chrono::{TimeDelta, TimeZone, Utc};
use msgraph_mail::{ConversationIndex, ConversationIndexError, Message};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn exchange_online_header_from_a_graph_sample() {
    // attachment-get-3.json: the attached message was sent 2017-07-21T00:19:52Z.
    let ci = ConversationIndex::decode("AQHTAbcSwb41IIwGp0qstrYSZH+U7Q==").unwrap();
    assert_eq!(ci.depth(), 0);
    assert!(!ci.is_response());
    assert_eq!(
        ci.header_time(),
        Utc.with_ymd_and_hms(2017, 7, 21, 0, 19, 51).unwrap() + TimeDelta::nanoseconds(650_918_400)
    );
    assert_eq!(ci.guid_string(), "c1be3520-8c06-a74a-acb6-b612647f94ed");
    assert_eq!(ci.child_blocks().count(), 0);
    assert_eq!(ci.parent(), None);
    assert_eq!(ci.to_base64(), "AQHTAbcSwb41IIwGp0qstrYSZH+U7Q==");
}

#[test]
fn classic_thread_index_with_one_reply() {
    // A Thread-Index header: started 2018-07-16 07:40:00.2799616 UTC, one reply 14:03:22.5476096 later.
    let ci: ConversationIndex = "AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A".parse().unwrap();
    assert_eq!(ci.depth(), 1);
    assert_eq!(
        ci.header_time(),
        Utc.with_ymd_and_hms(2018, 7, 16, 7, 40, 0).unwrap() + TimeDelta::nanoseconds(279_961_600)
    );
    assert_eq!(ci.guid_string(), "acba12de-1827-13f3-bbea-ba45cf137f13");
    let child = ci.child_blocks().next().unwrap();
    assert!(!child.delta_code());
    assert_eq!(child.time_delta(), TimeDelta::nanoseconds(50_602_547_609_600));
    assert_eq!((child.random(), child.sequence()), (0, 0));
    let reply_time = ci.child_times().next().unwrap();
    assert_eq!(
        reply_time,
        Utc.with_ymd_and_hms(2018, 7, 16, 21, 43, 22).unwrap() + TimeDelta::nanoseconds(827_571_200)
    );
    let parent = ci.parent().unwrap();
    assert_eq!(parent.depth(), 0);
    assert!(parent.is_ancestor_of(&ci));
    assert!(!ci.is_ancestor_of(&parent));
    assert!(parent.same_thread(&ci));
}

#[test]
fn depth_is_len_minus_22_over_5() {
    let header = base64::engine::general_purpose::STANDARD.decode("AQHTAbcSwb41IIwGp0qstrYSZH+U7Q==").unwrap();
    for children in 0..6 {
        let mut bytes = header.clone();
        for i in 0..children {
            bytes.extend_from_slice(&[0x00, 0x00, 0x10 + i as u8, 0x00, 0x5A]);
        }
        let ci = ConversationIndex::decode(&b64(&bytes)).unwrap();
        assert_eq!(ci.depth(), children);
        assert_eq!(ci.child_blocks().count(), children);
        assert_eq!(ci.child_times().count(), children);
    }
    // Bytes after the last whole block are ignored by depth.
    let mut odd = header.clone();
    odd.extend_from_slice(&[1, 2, 3]);
    assert_eq!(ConversationIndex::from_bytes(odd).unwrap().depth(), 0);
}

#[test]
fn delta_code_one_uses_the_coarse_unit() {
    let mut bytes = base64::engine::general_purpose::STANDARD.decode("AQHTAbcSwb41IIwGp0qstrYSZH+U7Q==").unwrap();
    bytes.extend_from_slice(&[0x80, 0x00, 0x00, 0x01, 0x3C]);
    let ci = ConversationIndex::from_bytes(bytes).unwrap();
    let c = ci.child_blocks().next().unwrap();
    assert!(c.delta_code());
    assert_eq!(c.raw_delta(), 1);
    assert_eq!(c.time_delta(), TimeDelta::nanoseconds((1i64 << 23) * 100));
    assert_eq!((c.random(), c.sequence()), (3, 12));
}

#[test]
fn invalid_values_are_typed_errors() {
    // From user-post-messages-3.json: not valid base64.
    assert!(matches!(ConversationIndex::decode("Adfsdfsdfsdfw=="), Err(ConversationIndexError::InvalidBase64 { .. })));
    assert!(matches!(ConversationIndex::decode("%%%"), Err(ConversationIndexError::InvalidBase64 { .. })));
    assert_eq!(ConversationIndex::decode(""), Err(ConversationIndexError::TooShort { len: 0 }));
    assert_eq!(ConversationIndex::decode(&b64(&[1; 21])), Err(ConversationIndexError::TooShort { len: 21 }));
    let e: msgraph_core::Error = ConversationIndex::decode("AQ==").unwrap_err().into();
    assert!(matches!(e, msgraph_core::Error::Decode { ref path, .. } if path.as_deref() == Some("conversationIndex")));
}

#[test]
fn message_helper_reads_its_own_index() {
    let text = include_str!("../../../testdata/graph-samples/mail/user-post-messages-3.json");
    let m: Message = serde_json::from_str(text).unwrap();
    assert!(m.conversation_position().unwrap().is_err());
    let none: Message = serde_json::from_str(r#"{"id":"x"}"#).unwrap();
    assert!(none.conversation_position().is_none());
}

#[test]
fn property_any_bytes_decode_without_panicking() {
    let mut rng = fastrand::Rng::with_seed(0x5EED_0005);
    for _ in 0..20_000 {
        let len = rng.usize(0..200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        match ConversationIndex::decode(&b64(&bytes)) {
            Ok(ci) => {
                assert!(len >= 22);
                assert_eq!(ci.depth(), (len - 22) / 5);
                assert_eq!(ci.as_bytes(), bytes.as_slice());
                assert_eq!(ci.to_base64(), b64(&bytes));
                assert_eq!(ci.child_blocks().count(), ci.depth());
                assert!(ci.child_times().count() <= ci.depth());
                for c in ci.child_blocks() {
                    assert!(c.time_delta() >= TimeDelta::zero());
                    assert!(c.random() < 16 && c.sequence() < 16);
                }
                if let Some(p) = ci.parent() {
                    assert_eq!(p.depth() + 1, ci.depth());
                    assert!(p.is_ancestor_of(&ci) && p.same_thread(&ci));
                    assert_eq!(p.header_time(), ci.header_time());
                }
            }
            Err(e) => {
                assert!(len < 22);
                assert_eq!(e, ConversationIndexError::TooShort { len });
            }
        }
    }
}

#[test]
fn property_any_string_decodes_without_panicking() {
    let mut rng = fastrand::Rng::with_seed(0x5EED_0006);
    let alphabet: Vec<char> = "ABCxyz019+/=_-%é \n".chars().collect();
    for _ in 0..20_000 {
        let len = rng.usize(0..80);
        let s: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
        if let Ok(ci) = ConversationIndex::decode(&s) {
            assert_eq!(ci.depth(), (ci.as_bytes().len() - 22) / 5);
        }
    }
}

#[test]
fn property_header_time_follows_the_filetime_bits() {
    let mut rng = fastrand::Rng::with_seed(0x5EED_0007);
    let epoch = Utc.with_ymd_and_hms(1601, 1, 1, 0, 0, 0).unwrap();
    for _ in 0..5_000 {
        // Exchange Online layout: 0x01, then the 40 high bits of a FILETIME whose top byte is 0x01.
        let high40: u64 = (0x01u64 << 32) | u64::from(rng.u32(..));
        let mut bytes = vec![0x01];
        bytes.extend_from_slice(&high40.to_be_bytes()[3..]);
        bytes.extend((0..16).map(|_| rng.u8(..)));
        let ci = ConversationIndex::from_bytes(bytes).unwrap();
        let ticks = high40 << 24;
        let want = epoch
            + TimeDelta::seconds((ticks / 10_000_000) as i64)
            + TimeDelta::nanoseconds((ticks % 10_000_000 * 100) as i64);
        assert_eq!(ci.header_time(), want);
    }
}
