//! Checking request bodies against Graph's types, the way Graph's OData
//! layer does: an unknown property or a value of the wrong type is a 400
//! `RequestBodyRead`; enum values are read case-insensitively and stored in
//! Graph's casing (`"Low"` becomes `"low"`).

use serde_json::{Map, Value};

use crate::errors::{ApiResult, GraphError};

/// The expected shape of a property.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Bool,
    Int,
    Str,
    StrArray,
    /// `microsoft.graph.recipient`.
    Recipient,
    /// A collection of recipients.
    Recipients,
    /// `microsoft.graph.attendee` collection.
    Attendees,
    /// `microsoft.graph.itemBody`.
    ItemBody,
    /// `microsoft.graph.followupFlag`.
    Flag,
    /// `microsoft.graph.dateTimeTimeZone`.
    DateTimeTimeZone,
    /// An enum: type name and its members in Graph's casing.
    Enum(&'static str, &'static [&'static str]),
    /// Any JSON object.
    Object,
    /// Any JSON array.
    Array,
    /// Accepted and ignored (read-only properties clients echo back).
    Ignored,
}

pub(crate) const IMPORTANCE: Kind = Kind::Enum("importance", &["low", "normal", "high"]);
pub(crate) const BODY_TYPE: &[&str] = &["text", "html"];
pub(crate) const FLAG_STATUS: &[&str] = &["notFlagged", "complete", "flagged"];

fn bad_value(prop: &str, expected: &str) -> GraphError {
    GraphError::body_read(format!("Cannot convert the value of property '{prop}' to the expected type '{expected}'."))
}

fn unknown(prop: &str, type_name: &str) -> GraphError {
    GraphError::body_read(format!(
        "The property '{prop}' does not exist on type 'microsoft.graph.{type_name}'. Make sure to only use property names that are defined by the type or mark the type as open type."
    ))
}

fn canonical_enum(v: &Value, members: &[&str]) -> Option<Value> {
    let s = v.as_str()?;
    members.iter().find(|m| m.eq_ignore_ascii_case(s)).map(|m| Value::String((*m).to_owned()))
}

fn check_recipient(prop: &str, v: &Value) -> ApiResult<Value> {
    let obj = v.as_object().ok_or_else(|| bad_value(prop, "microsoft.graph.recipient"))?;
    let mut out = Map::new();
    for (k, val) in obj {
        if k.starts_with('@') {
            continue;
        }
        if k != "emailAddress" {
            return Err(unknown(k, "recipient"));
        }
        let ea = val.as_object().ok_or_else(|| bad_value("emailAddress", "microsoft.graph.emailAddress"))?;
        let mut e = Map::new();
        for (ek, ev) in ea {
            match ek.as_str() {
                "address" | "name" => {
                    if !(ev.is_string() || ev.is_null()) {
                        return Err(bad_value(ek, "Edm.String"));
                    }
                    e.insert(ek.clone(), ev.clone());
                }
                k if k.starts_with('@') => {}
                other => return Err(unknown(other, "emailAddress")),
            }
        }
        out.insert("emailAddress".into(), Value::Object(e));
    }
    Ok(Value::Object(out))
}

fn check_value(prop: &str, kind: Kind, v: &Value) -> ApiResult<Option<Value>> {
    if v.is_null() {
        return Ok(Some(Value::Null));
    }
    let ok = |b: bool, t: &str| if b { Ok(Some(v.clone())) } else { Err(bad_value(prop, t)) };
    match kind {
        Kind::Ignored => Ok(None),
        Kind::Bool => ok(v.is_boolean(), "Edm.Boolean"),
        Kind::Int => ok(v.is_i64() || v.is_u64(), "Edm.Int32"),
        Kind::Str => ok(v.is_string(), "Edm.String"),
        Kind::Object => ok(v.is_object(), "Edm.ComplexType"),
        Kind::Array => ok(v.is_array(), "Collection"),
        Kind::StrArray => ok(v.as_array().is_some_and(|a| a.iter().all(Value::is_string)), "Collection(Edm.String)"),
        Kind::Enum(name, members) => canonical_enum(v, members).map(Some).ok_or_else(|| {
            GraphError::body_read(format!(
                "Cannot convert the literal '{}' to the expected type 'microsoft.graph.{name}'.",
                v.as_str().unwrap_or(&v.to_string())
            ))
        }),
        Kind::Recipient => check_recipient(prop, v).map(Some),
        Kind::Recipients => {
            let arr = v.as_array().ok_or_else(|| bad_value(prop, "Collection(microsoft.graph.recipient)"))?;
            arr.iter().map(|r| check_recipient(prop, r)).collect::<ApiResult<Vec<_>>>().map(|a| Some(Value::Array(a)))
        }
        Kind::Attendees => {
            let arr = v.as_array().ok_or_else(|| bad_value(prop, "Collection(microsoft.graph.attendee)"))?;
            let mut out = Vec::new();
            for a in arr {
                let obj = a.as_object().ok_or_else(|| bad_value(prop, "microsoft.graph.attendee"))?;
                let mut att = Map::new();
                for (k, val) in obj {
                    match k.as_str() {
                        "emailAddress" => {
                            let r = check_recipient(prop, &serde_json::json!({ "emailAddress": val }))?;
                            att.insert(k.clone(), r["emailAddress"].clone());
                        }
                        "type" => {
                            let t = canonical_enum(val, &["required", "optional", "resource"])
                                .ok_or_else(|| bad_value("type", "microsoft.graph.attendeeType"))?;
                            att.insert(k.clone(), t);
                        }
                        "status" | "proposedNewTime" => {
                            att.insert(k.clone(), val.clone());
                        }
                        k if k.starts_with('@') => {}
                        other => return Err(unknown(other, "attendee")),
                    }
                }
                att.entry("type").or_insert_with(|| Value::String("required".into()));
                out.push(Value::Object(att));
            }
            Ok(Some(Value::Array(out)))
        }
        Kind::ItemBody => {
            let obj = v.as_object().ok_or_else(|| bad_value(prop, "microsoft.graph.itemBody"))?;
            let mut out = Map::new();
            out.insert("contentType".into(), Value::String("text".into()));
            out.insert("content".into(), Value::String(String::new()));
            for (k, val) in obj {
                match k.as_str() {
                    "contentType" => {
                        let t = canonical_enum(val, BODY_TYPE).ok_or_else(|| {
                            GraphError::body_read(format!(
                                "Cannot convert the literal '{}' to the expected type 'microsoft.graph.bodyType'.",
                                val.as_str().unwrap_or_default()
                            ))
                        })?;
                        out.insert(k.clone(), t);
                    }
                    "content" => {
                        if !(val.is_string() || val.is_null()) {
                            return Err(bad_value("content", "Edm.String"));
                        }
                        out.insert(k.clone(), Value::String(val.as_str().unwrap_or_default().to_owned()));
                    }
                    k if k.starts_with('@') => {}
                    other => return Err(unknown(other, "itemBody")),
                }
            }
            Ok(Some(Value::Object(out)))
        }
        Kind::Flag => {
            let obj = v.as_object().ok_or_else(|| bad_value(prop, "microsoft.graph.followupFlag"))?;
            let mut out = Map::new();
            for (k, val) in obj {
                match k.as_str() {
                    "flagStatus" => {
                        let s = canonical_enum(val, FLAG_STATUS).ok_or_else(|| {
                            GraphError::body_read(format!(
                                "Cannot convert the literal '{}' to the expected type 'microsoft.graph.followupFlagStatus'.",
                                val.as_str().unwrap_or_default()
                            ))
                        })?;
                        out.insert(k.clone(), s);
                    }
                    "startDateTime" | "dueDateTime" | "completedDateTime" => {
                        out.insert(k.clone(), check_value(k, Kind::DateTimeTimeZone, val)?.unwrap_or(Value::Null));
                    }
                    k if k.starts_with('@') => {}
                    other => return Err(unknown(other, "followupFlag")),
                }
            }
            Ok(Some(Value::Object(out)))
        }
        Kind::DateTimeTimeZone => {
            let obj = v.as_object().ok_or_else(|| bad_value(prop, "microsoft.graph.dateTimeTimeZone"))?;
            for (k, val) in obj {
                match k.as_str() {
                    "dateTime" | "timeZone" => {
                        if !(val.is_string() || val.is_null()) {
                            return Err(bad_value(k, "Edm.String"));
                        }
                    }
                    k if k.starts_with('@') => {}
                    other => return Err(unknown(other, "dateTimeTimeZone")),
                }
            }
            Ok(Some(v.clone()))
        }
    }
}

/// Checks a body against a type's writable properties and returns the
/// normalized properties (ignored ones dropped). `@odata.*` annotations are
/// accepted and dropped.
pub(crate) fn check_body(
    body: &Map<String, Value>,
    schema: &[(&str, Kind)],
    type_name: &str,
) -> ApiResult<Map<String, Value>> {
    let mut out = Map::new();
    for (k, v) in body {
        if k.starts_with('@') || k.contains("@odata.") {
            continue;
        }
        let Some((name, kind)) = schema.iter().find(|(n, _)| n == k) else {
            return Err(unknown(k, type_name));
        };
        if let Some(val) = check_value(name, *kind, v)? {
            out.insert((*name).to_owned(), val);
        }
    }
    Ok(out)
}

/// Reads an action's body (`move`, `sendMail`, `getSchedule`, ...). Graph
/// matches action parameter names case-insensitively (Microsoft's SDKs send
/// `{"DestinationId": ...}`), so a key equal to one of `params` in any case
/// is renamed to that spelling; other keys are kept for the caller to refuse.
pub(crate) fn action_params(body: &[u8], params: &[&str]) -> ApiResult<Map<String, Value>> {
    Ok(json_object(body)?
        .into_iter()
        .map(|(k, v)| match params.iter().find(|p| p.eq_ignore_ascii_case(&k)) {
            Some(p) => ((*p).to_owned(), v),
            None => (k, v),
        })
        .collect())
}

/// Reads a request body as a JSON object (an empty body is an empty object).
pub(crate) fn json_object(body: &[u8]) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(GraphError::unreadable_json()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SCHEMA: &[(&str, Kind)] = &[
        ("subject", Kind::Str),
        ("isRead", Kind::Bool),
        ("importance", IMPORTANCE),
        ("body", Kind::ItemBody),
        ("toRecipients", Kind::Recipients),
        ("id", Kind::Ignored),
    ];

    #[test]
    fn normalizes_enums_and_drops_ignored() {
        let body = json!({"subject": "Hi", "importance": "Low", "body": {"contentType": "HTML", "content": "<b>x</b>"}, "id": "zzz", "@odata.type": "#microsoft.graph.message"});
        let out = check_body(body.as_object().unwrap(), SCHEMA, "message").unwrap();
        assert_eq!(
            Value::Object(out),
            json!({"subject": "Hi", "importance": "low", "body": {"contentType": "html", "content": "<b>x</b>"}})
        );
    }

    #[test]
    fn rejects_unknown_properties_and_wrong_types() {
        let e = check_body(json!({"Subject": "x"}).as_object().unwrap(), SCHEMA, "message").unwrap_err();
        assert_eq!(e.code, "RequestBodyRead");
        assert!(e.message.contains("'Subject'"));
        let e = check_body(json!({"isRead": "true"}).as_object().unwrap(), SCHEMA, "message").unwrap_err();
        assert_eq!(e.code, "RequestBodyRead");
        let e = check_body(json!({"importance": "urgent"}).as_object().unwrap(), SCHEMA, "message").unwrap_err();
        assert!(e.message.contains("microsoft.graph.importance"));
        let e = check_body(json!({"toRecipients": [{"address": "a@b.c"}]}).as_object().unwrap(), SCHEMA, "message")
            .unwrap_err();
        assert_eq!(e.code, "RequestBodyRead");
    }
}
