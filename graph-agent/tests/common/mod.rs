//! Shared test helpers: an emulator with an SDK client, and a JSON Schema
//! check for the subset of JSON Schema that schemars emits.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use msgraph_agent::{Agent, Catalogue, ToolOutput};
use std::time::Duration;

use msgraph_core::{GraphClient, RetryPolicy, StaticTokenCredential};
use msgraph_emulator::{Emulator, demo};
use serde_json::{Value, json};

/// The demo data's anchor, as the emulator's own SDK tests use.
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 13, 0, 0, 0).unwrap()
}

/// An emulator with demo data and an agent signed in as its user.
pub async fn start() -> (Emulator, Agent) {
    let emu = Emulator::builder().anchor(anchor()).start().await.expect("emulator starts");
    let token = emu.issue_token(demo::USER_UPN).expect("token");
    let client = GraphClient::builder()
        .base_url(emu.base_url())
        .credential(StaticTokenCredential::new(token))
        // retries without multi-second backoff (Retry-After is still honoured)
        .retry_policy(
            RetryPolicy::default().initial_delay(Duration::from_millis(10)).max_delay(Duration::from_millis(50)),
        )
        .build()
        .expect("client");
    (emu, Agent::new(client))
}

/// Calls a tool, expects success, and checks the result against the tool's
/// declared output schema.
pub async fn ok(agent: &Agent, tool: &str, args: Value) -> Value {
    let out: ToolOutput = agent.call(tool, args.clone()).await;
    assert!(!out.is_error, "{tool}({args}) failed: {}", out.text());
    let def = Catalogue::all().get(tool).expect("a tool of the catalogue");
    if let Err(e) = validate(&def.output_schema, &out.content, "$") {
        panic!("{tool}: the result does not match its output schema: {e}\nresult: {}", out.content);
    }
    out.content
}

/// Calls a tool and expects a tool error; returns its message.
pub async fn err(agent: &Agent, tool: &str, args: Value) -> String {
    let out = agent.call(tool, args.clone()).await;
    assert!(out.is_error, "{tool}({args}) should fail, got {}", out.text());
    out.error_message().unwrap_or_default().to_owned()
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        _ => true,
    }
}

/// Checks `v` against `schema` (type, properties, required,
/// additionalProperties: false, items, enum, const, anyOf/oneOf/allOf, minimum).
pub fn validate(schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let Some(s) = schema.as_object() else {
        return if schema == &Value::Bool(false) { Err(format!("{at}: nothing allowed")) } else { Ok(()) };
    };
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => return Err(format!("{at}: expected {t}, got {v}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| t.as_str().is_some_and(|t| type_ok(t, v))) => {
            return Err(format!("{at}: expected one of {ts:?}, got {v}"));
        }
        _ => {}
    }
    if let Some(Value::Array(allowed)) = s.get("enum")
        && !allowed.contains(v)
    {
        return Err(format!("{at}: {v} is not one of {allowed:?}"));
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        return Err(format!("{at}: {v} is not {c}"));
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64())
        && n < min
    {
        return Err(format!("{at}: {n} < {min}"));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = s.get(key)
            && !alts.iter().any(|a| validate(a, v, at).is_ok())
        {
            return Err(format!("{at}: matches none of {key}"));
        }
    }
    if let Some(Value::Array(all)) = s.get("allOf") {
        for a in all {
            validate(a, v, at)?;
        }
    }
    if let Value::Object(obj) = v {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = s.get("required") {
            for r in required.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    return Err(format!("{at}: missing required `{r}`"));
                }
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(ps, val, &format!("{at}.{k}"))?,
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => return Err(format!("{at}: unexpected `{k}`")),
                    Some(extra @ Value::Object(_)) => validate(extra, val, &format!("{at}.{k}"))?,
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (v, s.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(item_schema, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn the_validator_rejects_what_it_should() {
    let schema = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": ["integer", "null"]}},
        "required": ["a"], "additionalProperties": false});
    assert!(validate(&schema, &json!({"a": "x", "b": 1}), "$").is_ok());
    assert!(validate(&schema, &json!({"a": "x", "b": null}), "$").is_ok());
    assert!(validate(&schema, &json!({"b": 1}), "$").is_err());
    assert!(validate(&schema, &json!({"a": 1}), "$").is_err());
    assert!(validate(&schema, &json!({"a": "x", "c": 1}), "$").is_err());
    assert!(validate(&json!({"enum": ["low", "high"]}), &json!("mid"), "$").is_err());
}
