//! The query options of a request (`$select`, `$filter`, `$orderby`,
//! `$top`, `$skip`, `$count`, `$search`, `$expand`), `$select` applied to an
//! item, and the ordering of JSON values `$orderby` uses.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::errors::{ApiResult, GraphError};
use crate::time::parse_instant;

use super::parser::{Expr, parse_filter};

/// Case-insensitive property lookup, the way Graph reads property names in queries.
pub(crate) fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

/// Follows a property path through nested objects.
pub(crate) fn get_path<'a>(item: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut cur = item;
    for seg in path {
        cur = get_ci(cur.as_object()?, seg)?;
    }
    Some(cur)
}

/// The parsed query options of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryOptions {
    /// Every pair, decoded, in order (kept to rebuild `@odata.nextLink`).
    pub raw: Vec<(String, String)>,
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub orderby: Vec<(Vec<String>, bool)>,
    pub top: Option<usize>,
    pub skip: usize,
    pub search: Option<String>,
    pub count: bool,
    pub expand: Vec<String>,
}

impl QueryOptions {
    /// Parses a raw query string. Option names are read with or without `$`
    /// and in any case, as Graph does.
    pub fn parse(raw_query: &str) -> ApiResult<Self> {
        let raw: Vec<(String, String)> =
            url::form_urlencoded::parse(raw_query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let mut q = QueryOptions { raw: raw.clone(), ..QueryOptions::default() };
        for (k, v) in &raw {
            let name = k.trim_start_matches('$').to_ascii_lowercase();
            match name.as_str() {
                "select" => {
                    q.select = Some(v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                }
                "filter" => q.filter = Some(parse_filter(v)?),
                "orderby" => q.orderby = parse_orderby(v)?,
                "top" => {
                    q.top = Some(v.trim().parse::<usize>().map_err(|_| {
                        GraphError::bad_request(format!("Invalid value '{v}' for $top query option found."))
                    })?)
                }
                "skip" => {
                    q.skip = v.trim().parse::<usize>().map_err(|_| {
                        GraphError::bad_request(format!("Invalid value '{v}' for $skip query option found."))
                    })?
                }
                "search" => q.search = Some(v.clone()),
                "count" => {
                    q.count = match v.trim().to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(GraphError::bad_request(format!(
                                "Invalid value '{v}' for $count query option found. Valid values are 'true' and 'false'."
                            )));
                        }
                    }
                }
                "expand" => q.expand = v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
                _ => {}
            }
        }
        Ok(q)
    }

    /// The value of a non-OData parameter (`startDateTime`, `changeType`, ...), case-insensitive.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.raw.iter().find(|(k, _)| k.trim_start_matches('$').eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Checks `$select`, `$filter` and `$orderby` against the properties of a type.
    pub fn validate(&self, props: &[&str], type_name: &str) -> ApiResult<()> {
        let known = |p: &str| props.iter().any(|k| k.eq_ignore_ascii_case(p));
        if let Some(sel) = &self.select {
            for p in sel {
                if p != "*" && !known(p) {
                    return Err(GraphError::unknown_property(p, type_name));
                }
            }
        }
        if let Some(f) = &self.filter {
            for path in f.properties() {
                if let Some(first) = path.first()
                    && !known(first)
                {
                    return Err(GraphError::unknown_property(first, type_name));
                }
            }
        }
        for (path, _) in &self.orderby {
            if let Some(first) = path.first()
                && !known(first)
            {
                return Err(GraphError::unknown_property(first, type_name));
            }
        }
        Ok(())
    }

    /// Outlook's rule for `$filter` with `$orderby` on messages: every
    /// `$orderby` property must also be in `$filter`, in the same order, before
    /// any other property; otherwise `InefficientFilter`.
    pub fn check_outlook_filter_orderby(&self) -> ApiResult<()> {
        let (Some(filter), false) = (&self.filter, self.orderby.is_empty()) else {
            return Ok(());
        };
        let mut seen: Vec<String> = Vec::new();
        for p in filter.properties() {
            let p = p.join("/").to_ascii_lowercase();
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        let ok = self
            .orderby
            .iter()
            .enumerate()
            .all(|(i, (path, _))| seen.get(i).is_some_and(|s| *s == path.join("/").to_ascii_lowercase()));
        if ok {
            Ok(())
        } else {
            Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "InefficientFilter",
                "The restriction or sort order is too complex for this operation.",
            ))
        }
    }

    /// Applies `$filter` and `$orderby` to rendered items.
    pub fn filter_and_sort(&self, items: &mut Vec<Value>) {
        if let Some(f) = &self.filter {
            items.retain(|it| f.eval(it, &mut Vec::new()));
        }
        if !self.orderby.is_empty() {
            let keys = self.orderby.clone();
            items.sort_by(|a, b| {
                for (path, desc) in &keys {
                    let ord = compare_json(get_path(a, path), get_path(b, path));
                    let ord = if *desc { ord.reverse() } else { ord };
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                Ordering::Equal
            });
        }
    }

    /// Whether `$expand` names this navigation property.
    pub fn expands(&self, name: &str) -> bool {
        self.expand.iter().any(|e| {
            let base = e.split('(').next().unwrap_or(e).trim();
            base.eq_ignore_ascii_case(name)
        })
    }
}

/// Keeps `id`, `@odata.*` annotations and the selected properties of an item.
pub(crate) fn apply_select(item: Value, select: Option<&[String]>, props: &[&str]) -> Value {
    let (Some(sel), Value::Object(obj)) = (select, &item) else {
        return item;
    };
    if sel.iter().any(|s| s == "*") {
        return item;
    }
    let mut out = Map::new();
    for (k, v) in obj {
        let keep = k.starts_with('@')
            || k == "id"
            || sel.iter().any(|s| s.eq_ignore_ascii_case(k) && props.iter().any(|p| p.eq_ignore_ascii_case(k)));
        if keep {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Orders JSON values: null first, then booleans, numbers, and strings
/// (date-times compare as instants, other strings case-insensitively).
pub(crate) fn compare_json(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let rank = |v: Option<&Value>| match v {
        None | Some(Value::Null) => 0,
        Some(Value::Bool(_)) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        _ => 4,
    };
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => match (parse_instant(x), parse_instant(y)) {
            (Some(dx), Some(dy)) if looks_like_datetime(x) && looks_like_datetime(y) => dx.cmp(&dy),
            _ => x.to_lowercase().cmp(&y.to_lowercase()),
        },
        _ => rank(a).cmp(&rank(b)),
    }
}

fn looks_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

/// Parses `$orderby`: `prop [asc|desc], ...`.
fn parse_orderby(v: &str) -> ApiResult<Vec<(Vec<String>, bool)>> {
    let mut out = Vec::new();
    for part in v.split(',') {
        let mut words = part.split_whitespace();
        let Some(prop) = words.next() else { continue };
        let desc = match words.next().map(|w| w.to_ascii_lowercase()) {
            None => false,
            Some(w) if w == "asc" => false,
            Some(w) if w == "desc" => true,
            Some(w) => {
                return Err(GraphError::bad_request(format!("Syntax error at position in '{v}': unexpected '{w}'.")));
            }
        };
        if words.next().is_some() {
            return Err(GraphError::bad_request(format!("Syntax error in $orderby '{v}'.")));
        }
        out.push((prop.split('/').map(str::to_owned).collect(), desc));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_are_read_with_or_without_dollar_in_any_case() {
        let q = QueryOptions::parse("select=subject,%20from&$TOP=3&$Skip=2&$count=true&$expand=attachments").unwrap();
        assert_eq!(q.select, Some(vec!["subject".to_owned(), "from".to_owned()]));
        assert_eq!((q.top, q.skip, q.count), (Some(3), 2, true));
        assert_eq!(q.expand, ["attachments"]);
        assert!(QueryOptions::parse("$top=-1").is_err());
    }

    #[test]
    fn select_keeps_id_and_annotations() {
        let item = json!({"id": "1", "@odata.etag": "e", "subject": "s", "body": "b"});
        let sel = ["Subject".to_owned()];
        let out = apply_select(item, Some(&sel), &["subject", "body"]);
        assert_eq!(out, json!({"id": "1", "@odata.etag": "e", "subject": "s"}));
    }

    #[test]
    fn json_values_order_null_bools_numbers_strings_and_instants() {
        use std::cmp::Ordering::*;
        let (a, b) = (json!("2024-03-01T10:00:00Z"), json!("2024-03-01T09:00:00-02:00"));
        assert_eq!(compare_json(Some(&a), Some(&b)), Less, "instants, not text");
        assert_eq!(compare_json(None, Some(&json!(false))), Less);
        assert_eq!(compare_json(Some(&json!("abc")), Some(&json!("ABD"))), Less);
        assert_eq!(compare_json(Some(&json!(2)), Some(&json!(10))), Less);
        let p = ["a".to_owned(), "B".to_owned()];
        assert_eq!(get_path(&json!({"A": {"b": 1}}), &p), Some(&json!(1)));
    }

    #[test]
    fn outlook_orderby_rule() {
        let ok = QueryOptions::parse(
            "$filter=receivedDateTime ge 2024-01-01 and isRead eq false&$orderby=receivedDateTime desc",
        )
        .unwrap();
        assert!(ok.check_outlook_filter_orderby().is_ok());
        let bad = QueryOptions::parse("$filter=isRead eq false&$orderby=receivedDateTime desc").unwrap();
        assert_eq!(bad.check_outlook_filter_orderby().unwrap_err().code, "InefficientFilter");
    }
}
