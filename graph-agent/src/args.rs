//! Argument types whose parse errors tell a model exactly what to send.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date(pub(crate) NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Date)
            .map_err(|_| serde::de::Error::custom(format!("must be a date YYYY-MM-DD (e.g. 2026-03-05), got `{s}`")))
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date", "description": "A date, YYYY-MM-DD (e.g. 2026-03-05)." })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// A local date and time without offset, `YYYY-MM-DDTHH:MM[:SS]`, read in
/// the time zone the tool names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalDateTime(pub(crate) NaiveDateTime);

impl LocalDateTime {
    pub(crate) fn parse(s: &str) -> Option<NaiveDateTime> {
        let s = s.trim();
        // An offset or `Z` would be ignored silently by the local reading: refuse it.
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    }
}

impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        LocalDateTime::parse(&s).map(LocalDateTime).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "must be a local date and time YYYY-MM-DDTHH:MM:SS without offset (e.g. 2026-03-05T09:00:00; the time zone is the `time_zone` argument), got `{s}`"
            ))
        })
    }
}

impl JsonSchema for LocalDateTime {
    fn schema_name() -> Cow<'static, str> {
        "LocalDateTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A local date and time without offset, YYYY-MM-DDTHH:MM:SS (e.g. 2026-03-05T09:00:00).",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$"
        })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// Low, normal or high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Importance {
    Low,
    Normal,
    High,
}

impl From<Importance> for msgraph_core::models::Importance {
    fn from(i: Importance) -> Self {
        match i {
            Importance::Low => msgraph_core::models::Importance::Low,
            Importance::Normal => msgraph_core::models::Importance::Normal,
            Importance::High => msgraph_core::models::Importance::High,
        }
    }
}

/// Text or HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) enum BodyType {
    #[default]
    Text,
    Html,
}

/// A required, non-blank id or name.
pub(crate) fn non_blank<'a>(what: &str, s: &'a str) -> Result<&'a str, crate::ToolError> {
    let t = s.trim();
    if t.is_empty() { Err(crate::ToolError::new(format!("`{what}` must not be empty"))) } else { Ok(t) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_say_what_they_want() {
        let e = serde_json::from_value::<Date>(serde_json::json!("tomorrow")).unwrap_err().to_string();
        assert!(e.contains("YYYY-MM-DD") && e.contains("tomorrow"), "{e}");
        assert_eq!(
            serde_json::from_value::<Date>(serde_json::json!("2026-03-05")).unwrap().0.to_string(),
            "2026-03-05"
        );
        assert!(serde_json::from_value::<LocalDateTime>(serde_json::json!("2026-03-05T09:00:00Z")).is_err());
        assert!(serde_json::from_value::<LocalDateTime>(serde_json::json!("2026-03-05T09:00")).is_ok());
    }
}
