//! OData system query options (`$select`, `$filter`, ...) and `Prefer`
//! preferences, shared by every list and get builder.

use std::fmt::Write as _;

use crate::models::BodyType;

/// OData query options. Builders expose these as setters; this type holds
/// them and writes them in the form Graph expects.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct QueryOptions {
    /// `$select`: properties to return.
    pub select: Vec<String>,
    /// `$filter`: an OData filter expression.
    pub filter: Option<String>,
    /// `$orderby`: e.g. `receivedDateTime desc`.
    pub order_by: Vec<String>,
    /// `$top`: page size (and for some APIs, total).
    pub top: Option<u32>,
    /// `$skip`.
    pub skip: Option<u32>,
    /// `$expand`.
    pub expand: Vec<String>,
    /// `$search`, unquoted; quoted when written.
    pub search: Option<String>,
    /// `$count=true`.
    pub count: Option<bool>,
    /// Other parameters (`startDateTime`, ...), written as given.
    pub extra: Vec<(String, String)>,
}

impl QueryOptions {
    /// The options as `(name, value)` pairs, unencoded, in a stable order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in &self.extra {
            out.push((k.clone(), v.clone()));
        }
        if !self.select.is_empty() {
            out.push(("$select".into(), self.select.join(",")));
        }
        if let Some(f) = &self.filter {
            out.push(("$filter".into(), f.clone()));
        }
        if !self.order_by.is_empty() {
            out.push(("$orderby".into(), self.order_by.join(",")));
        }
        if let Some(t) = self.top {
            out.push(("$top".into(), t.to_string()));
        }
        if let Some(s) = self.skip {
            out.push(("$skip".into(), s.to_string()));
        }
        if !self.expand.is_empty() {
            out.push(("$expand".into(), self.expand.join(",")));
        }
        if let Some(s) = &self.search {
            out.push(("$search".into(), quote_search(s)));
        }
        if let Some(c) = self.count {
            out.push(("$count".into(), c.to_string()));
        }
        out
    }
}

/// Quotes a `$search` value as Graph requires: the whole expression in double
/// quotes, inner double quotes escaped with a backslash. An expression the
/// caller already quoted is left as is.
///
/// ```
/// use msgraph_core::odata::quote_search;
/// assert_eq!(quote_search("from:a@b.com subject:invoice"), r#""from:a@b.com subject:invoice""#);
/// assert_eq!(quote_search(r#"subject:"Q3 plan""#), r#""subject:\"Q3 plan\"""#);
/// assert_eq!(quote_search(r#""pizza""#), r#""pizza""#);
/// ```
pub fn quote_search(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') && !t[1..t.len() - 1].contains('"') {
        return t.to_owned();
    }
    let mut out = String::with_capacity(t.len() + 2);
    out.push('"');
    for c in t.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Quotes a string literal for use inside `$filter`: single quotes doubled.
///
/// ```
/// use msgraph_core::odata::filter_literal;
/// assert_eq!(filter_literal("O'Brien"), "'O''Brien'");
/// ```
pub fn filter_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `Prefer` header preferences Graph understands.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Preferences {
    /// `outlook.timezone="..."`: times in responses in this zone (IANA or Windows name).
    pub timezone: Option<String>,
    /// `outlook.body-content-type="text|html"`.
    pub body_content_type: Option<BodyType>,
    /// `odata.maxpagesize=N`.
    pub max_page_size: Option<u32>,
    /// `IdType="ImmutableId"`: ids that survive moves between folders
    /// (`Some(false)` turns a client-wide default off for one request).
    pub immutable_ids: Option<bool>,
    /// `return=minimal` (PATCH/POST answer 204 with no body).
    pub return_minimal: bool,
    /// Other preferences, written as given.
    pub extra: Vec<String>,
}

impl Preferences {
    /// The `Prefer` header value, or `None` when nothing is set.
    pub fn header_value(&self) -> Option<String> {
        let mut out = String::new();
        let mut add = |s: &str| {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(s);
        };
        if let Some(tz) = &self.timezone {
            add(&format!("outlook.timezone=\"{}\"", tz.replace('"', "")));
        }
        if let Some(bt) = &self.body_content_type {
            add(&format!("outlook.body-content-type=\"{}\"", bt.as_str()));
        }
        if let Some(n) = self.max_page_size {
            add(&format!("odata.maxpagesize={n}"));
        }
        if self.immutable_ids == Some(true) {
            add("IdType=\"ImmutableId\"");
        }
        if self.return_minimal {
            add("return=minimal");
        }
        for e in &self.extra {
            add(e);
        }
        if out.is_empty() { None } else { Some(out) }
    }
}

impl Preferences {
    /// Sets the `Prefer` header on `headers` (nothing when no preference is set).
    pub fn apply_to(&self, headers: &mut http::HeaderMap) {
        if let Some(v) = self.header_value().and_then(|p| http::HeaderValue::from_str(&p).ok()) {
            headers.insert("prefer", v);
        }
    }

    /// These preferences over `defaults`: every preference set here wins,
    /// the others come from `defaults` (extra preferences are added to the
    /// defaults' ones).
    pub fn merged_over(&self, defaults: &Preferences) -> Preferences {
        let mut extra = defaults.extra.clone();
        extra.extend(self.extra.iter().filter(|e| !defaults.extra.contains(e)).cloned());
        Preferences {
            timezone: self.timezone.clone().or_else(|| defaults.timezone.clone()),
            body_content_type: self.body_content_type.clone().or_else(|| defaults.body_content_type.clone()),
            max_page_size: self.max_page_size.or(defaults.max_page_size),
            immutable_ids: self.immutable_ids.or(defaults.immutable_ids),
            return_minimal: self.return_minimal || defaults.return_minimal,
            extra,
        }
    }
}

/// Bytes left as they are in a query value: unreserved characters and the
/// punctuation OData expressions use. Space becomes `%20` (never `+`).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'/')
    .remove(b'@')
    .remove(b'*')
    .remove(b'!');

/// Writes `(name, value)` pairs as a query string, percent-encoding values
/// with `%20` for spaces (Graph does not read `+` as a space everywhere).
pub(crate) fn encode_query(pairs: &[(String, String)]) -> String {
    let mut q = String::new();
    for (k, v) in pairs {
        if !q.is_empty() {
            q.push('&');
        }
        let _ = write!(
            q,
            "{}={}",
            percent_encoding::utf8_percent_encode(k, QUERY_VALUE),
            percent_encoding::utf8_percent_encode(v, QUERY_VALUE)
        );
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_in_graph_form() {
        let q = QueryOptions {
            select: vec!["id".into(), "subject".into()],
            filter: Some("isRead eq false".into()),
            top: Some(10),
            search: Some("from:a@b.com".into()),
            count: Some(true),
            ..Default::default()
        };
        assert_eq!(
            encode_query(&q.to_pairs()),
            "$select=id,subject&$filter=isRead%20eq%20false&$top=10&$search=%22from:a@b.com%22&$count=true"
        );
    }

    #[test]
    fn special_characters_in_values_are_encoded() {
        let s = encode_query(&[("$filter".into(), "subject eq 'a&b=c+d#e?'".into())]);
        assert_eq!(s, "$filter=subject%20eq%20'a%26b%3Dc%2Bd%23e%3F'");
    }

    #[test]
    fn prefer_header_joins_preferences() {
        let p = Preferences {
            timezone: Some("America/New_York".into()),
            body_content_type: Some(BodyType::Text),
            max_page_size: Some(50),
            immutable_ids: Some(true),
            ..Default::default()
        };
        assert_eq!(
            p.header_value().unwrap(),
            r#"outlook.timezone="America/New_York", outlook.body-content-type="text", odata.maxpagesize=50, IdType="ImmutableId""#
        );
        assert_eq!(Preferences::default().header_value(), None);
    }

    #[test]
    fn request_preferences_win_over_client_defaults() {
        let defaults = Preferences {
            immutable_ids: Some(true),
            timezone: Some("UTC".into()),
            extra: vec!["a=1".into()],
            ..Default::default()
        };
        let req = Preferences { immutable_ids: Some(false), extra: vec!["b=2".into()], ..Default::default() };
        let m = req.merged_over(&defaults);
        assert_eq!(m.immutable_ids, Some(false));
        assert_eq!(m.header_value().unwrap(), r#"outlook.timezone="UTC", a=1, b=2"#);
        assert_eq!(
            Preferences::default().merged_over(&defaults).header_value().unwrap(),
            r#"outlook.timezone="UTC", IdType="ImmutableId", a=1"#
        );
    }
}
