//! `$search` on messages: free text and the KQL fields Outlook accepts.

use serde_json::Value;

use crate::errors::{ApiResult, GraphError};

/// A `$search` query over messages: terms joined by AND, each either free
/// text (subject, body, sender, recipients) or `field:value` with the KQL
/// fields `from`, `to`, `cc`, `subject`, `body`, `participants`,
/// `category`, `hasattachments`.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    terms: Vec<(Option<String>, String)>,
}

impl Search {
    /// Parses `"..."` (the outer quotes are Graph's required form; a bare word is accepted too).
    pub fn parse(raw: &str) -> ApiResult<Self> {
        let mut s = raw.trim();
        if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
            s = &s[1..s.len() - 1];
        }
        let mut terms = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut words = Vec::new();
        for c in s.chars() {
            match c {
                '"' | '\'' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => {
                    if !cur.is_empty() {
                        words.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        for w in words {
            if w == "AND" {
                continue;
            }
            match w.split_once(':') {
                Some((field, value)) if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphabetic()) => {
                    let field = field.to_ascii_lowercase();
                    if !matches!(
                        field.as_str(),
                        "from"
                            | "to"
                            | "cc"
                            | "bcc"
                            | "subject"
                            | "body"
                            | "participants"
                            | "category"
                            | "hasattachments"
                            | "hasattachment"
                    ) {
                        return Err(GraphError::bad_request(format!("The KQL property '{field}' is not supported.")));
                    }
                    terms.push((Some(field), value.to_lowercase()));
                }
                _ => terms.push((None, w.to_lowercase())),
            }
        }
        if terms.is_empty() {
            return Err(GraphError::bad_request("Syntax error: the $search query is empty."));
        }
        Ok(Search { terms })
    }

    /// Whether a rendered message matches every term.
    pub fn matches(&self, msg: &Value, body_text: &str) -> bool {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_lowercase();
        let addr = |v: Option<&Value>| {
            let name = text(v.and_then(|r| r.get("emailAddress")).and_then(|e| e.get("name")));
            let address = text(v.and_then(|r| r.get("emailAddress")).and_then(|e| e.get("address")));
            format!("{name} {address}")
        };
        let list = |key: &str| -> String {
            msg.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|r| addr(Some(r))).collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let subject = text(msg.get("subject"));
        let body = body_text.to_lowercase();
        let from = addr(msg.get("from"));
        let (to, cc, bcc) = (list("toRecipients"), list("ccRecipients"), list("bccRecipients"));
        let cats = msg
            .get("categories")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_lowercase).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        self.terms.iter().all(|(field, value)| match field.as_deref() {
            None => subject.contains(value) || body.contains(value) || from.contains(value) || to.contains(value),
            Some("from") => from.contains(value),
            Some("to") => to.contains(value),
            Some("cc") => cc.contains(value),
            Some("bcc") => bcc.contains(value),
            Some("subject") => subject.contains(value),
            Some("body") => body.contains(value),
            Some("category") => cats.contains(value),
            Some("hasattachments" | "hasattachment") => {
                msg.get("hasAttachments").and_then(Value::as_bool).unwrap_or(false)
                    == (value == "true" || value == "yes")
            }
            _ => from.contains(value) || to.contains(value) || cc.contains(value) || bcc.contains(value),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kql_fields_and_quoted_phrases() {
        let m = json!({"subject": "Trip to Paris", "hasAttachments": true, "categories": ["Travel"],
            "toRecipients": [{"emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}}]});
        assert!(Search::parse("\"subject:'trip to'\"").unwrap().matches(&m, ""));
        assert!(Search::parse("\"to:megan\"").unwrap().matches(&m, ""));
        assert!(!Search::parse("\"paris london\"").unwrap().matches(&m, ""));
    }

    #[test]
    fn search_terms() {
        let m = json!({"subject": "Budget draft", "from": {"emailAddress": {"name": "Alex Wilber", "address": "AlexW@contoso.com"}}});
        assert!(Search::parse("\"budget\"").unwrap().matches(&m, "numbers inside"));
        assert!(Search::parse("\"from:alex subject:draft\"").unwrap().matches(&m, ""));
        assert!(!Search::parse("\"from:megan\"").unwrap().matches(&m, ""));
        assert!(Search::parse("\"numbers\"").unwrap().matches(&m, "numbers inside"));
    }
}
