//! Graph's URL paths as segments: shared by routing (`crate::routes`) and by
//! the state that keeps resource paths (subscriptions), so it lives below both.
//!
//! Graph's path segments are case-insensitive (`/me/MailFolders/Inbox` works)
//! and ids are percent-decoded one segment at a time, so an id containing
//! `%2F` stays one segment. The key syntax `mailFolders('id')` is accepted too.

use percent_encoding::percent_decode_str;

/// Segment names that are matched case-insensitively (stored lowercase).
const KEYWORDS: &[&str] = &[
    "me",
    "users",
    "messages",
    "mailfolders",
    "childfolders",
    "attachments",
    "$value",
    "$count",
    "$batch",
    "delta",
    "move",
    "copy",
    "send",
    "sendmail",
    "reply",
    "replyall",
    "forward",
    "createreply",
    "createreplyall",
    "createforward",
    "permanentdelete",
    "outlook",
    "mastercategories",
    "mailboxsettings",
    "events",
    "calendar",
    "calendars",
    "calendarview",
    "instances",
    "accept",
    "decline",
    "tentativelyaccept",
    "cancel",
    "getschedule",
    "createuploadsession",
    "drive",
    "drives",
];

fn canon(seg: String) -> String {
    let lower = seg.to_ascii_lowercase();
    if KEYWORDS.contains(&lower.as_str()) { lower } else { seg }
}

/// Splits a raw (percent-encoded) path into decoded segments; keywords are
/// lowercased, ids kept as they are; `name('key')` becomes `name`, `key`.
pub(crate) fn split_path(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seg in raw.split('/').filter(|s| !s.is_empty()) {
        let decoded = percent_decode_str(seg).decode_utf8_lossy().into_owned();
        match decoded.find('(') {
            Some(open) if open > 0 && decoded.ends_with(')') => {
                let name = decoded[..open].to_owned();
                let mut key = decoded[open + 1..decoded.len() - 1].trim().to_owned();
                if key.len() >= 2 && key.starts_with('\'') && key.ends_with('\'') {
                    key = key[1..key.len() - 1].replace("''", "'");
                }
                out.push(canon(name));
                if !key.is_empty() {
                    out.push(key);
                }
            }
            _ => out.push(canon(decoded)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_decoded_one_by_one_and_keywords_lowercased() {
        assert_eq!(
            split_path("/v1.0/Me/MailFolders/Inbox/Messages"),
            vec!["v1.0", "me", "mailfolders", "Inbox", "messages"]
        );
        assert_eq!(split_path("/v1.0/me/messages/AAMk%2Fa%3D%3D"), vec!["v1.0", "me", "messages", "AAMk/a=="]);
        assert_eq!(
            split_path("/v1.0/me/mailFolders('AQMk''x')/messages/delta()"),
            vec!["v1.0", "me", "mailfolders", "AQMk'x", "messages", "delta"]
        );
    }
}
