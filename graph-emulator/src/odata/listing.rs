//! Paging and collection bodies: page sizes, `@odata.nextLink`,
//! `@odata.count`, and [`Listing`], which filters, sorts, pages and selects.

use serde_json::{Map, Value};

use super::query::{QueryOptions, apply_select};

/// Page size: `$top`, else `Prefer: odata.maxpagesize`, else the collection's default.
pub(crate) fn page_size(q: &QueryOptions, prefer_max: Option<usize>, default: usize, max: usize) -> usize {
    q.top.or(prefer_max).unwrap_or(default).clamp(1, max)
}

/// The URL of the next page: the same path and query with `$skip` moved on.
pub(crate) fn next_link(link_base: &str, q: &QueryOptions, skip: usize) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &q.raw {
        if !k.trim_start_matches('$').eq_ignore_ascii_case("skip") {
            ser.append_pair(k, v);
        }
    }
    ser.append_pair("$skip", &skip.to_string());
    format!("{link_base}?{}", ser.finish())
}

/// A collection response: `@odata.context`, `@odata.count`, `value`, `@odata.nextLink`.
pub(crate) fn collection(context: &str, value: Vec<Value>, count: Option<usize>, next: Option<String>) -> Value {
    let mut obj = Map::new();
    obj.insert("@odata.context".into(), Value::String(context.to_owned()));
    if let Some(c) = count {
        obj.insert("@odata.count".into(), Value::from(c));
    }
    obj.insert("value".into(), Value::Array(value));
    if let Some(n) = next {
        obj.insert("@odata.nextLink".into(), Value::String(n));
    }
    Value::Object(obj)
}

/// Filters, sorts and pages rendered items, building the collection body.
pub(crate) struct Listing<'a> {
    pub query: &'a QueryOptions,
    pub props: &'a [&'a str],
    pub context: String,
    pub link_base: &'a str,
    pub prefer_max: Option<usize>,
    pub default_page: usize,
    pub max_page: usize,
}

impl Listing<'_> {
    /// Applies `$filter`, `$orderby`, paging, `$count` and `$select`.
    pub fn render(&self, mut items: Vec<Value>) -> Value {
        self.query.filter_and_sort(&mut items);
        self.page(items)
    }

    /// Pages already filtered and sorted items.
    pub fn page(&self, items: Vec<Value>) -> Value {
        let total = items.len();
        let size = page_size(self.query, self.prefer_max, self.default_page, self.max_page);
        let start = self.query.skip.min(total);
        let end = (start + size).min(total);
        let next = (end < total).then(|| next_link(self.link_base, self.query, end));
        let value = items
            .into_iter()
            .skip(start)
            .take(end - start)
            .map(|v| apply_select(v, self.query.select.as_deref(), self.props))
            .collect();
        collection(&self.context, value, self.query.count.then_some(total), next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn page_size_prefers_top_then_the_header_then_the_default_within_bounds() {
        let q = |s: &str| QueryOptions::parse(s).unwrap();
        assert_eq!(page_size(&q("$top=5"), Some(50), 10, 1000), 5);
        assert_eq!(page_size(&q(""), Some(50), 10, 1000), 50);
        assert_eq!(page_size(&q(""), None, 10, 1000), 10);
        assert_eq!(page_size(&q("$top=5000"), None, 10, 1000), 1000);
        assert_eq!(page_size(&q(""), Some(0), 10, 1000), 1);
    }

    #[test]
    fn listing_filters_sorts_pages_counts_and_selects() {
        let q = QueryOptions::parse("$filter=n ge 2&$orderby=n desc&$top=2&$count=true&$select=n").unwrap();
        let listing = Listing {
            query: &q,
            props: &["n", "x"],
            context: "ctx".into(),
            link_base: "http://h/v1.0/items",
            prefer_max: None,
            default_page: 10,
            max_page: 100,
        };
        let items = (0..5).map(|n| json!({"id": format!("i{n}"), "n": n, "x": "drop"})).collect();
        let body = listing.render(items);
        assert_eq!(body["@odata.count"], 3);
        assert_eq!(body["value"], json!([{"id": "i4", "n": 4}, {"id": "i3", "n": 3}]));
        assert!(body["@odata.nextLink"].as_str().unwrap().ends_with("%24skip=2"), "{body}");
        assert_eq!(collection("c", vec![], None, None), json!({"@odata.context": "c", "value": []}));
    }

    #[test]
    fn next_link_keeps_the_query() {
        let q = QueryOptions::parse("$select=subject&$top=5&$skip=5").unwrap();
        let link = next_link("http://127.0.0.1:1/v1.0/me/messages", &q, 10);
        assert_eq!(link, "http://127.0.0.1:1/v1.0/me/messages?%24select=subject&%24top=5&%24skip=10");
    }
}
