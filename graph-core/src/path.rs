//! Graph paths built from segments. The only place URLs are made from ids.

use std::fmt;

use url::Url;

use crate::{Error, Result};

#[derive(Clone, PartialEq, Eq)]
enum Segment {
    /// A fixed part of the path chosen by the SDK (`me`, `messages`, `microsoft.graph.delta()`).
    Literal(&'static str),
    /// A caller-supplied value: always one segment, percent-encoded.
    Id(String),
    /// Path-based addressing appended to the previous segment:
    /// `root` + `["Documents", "a b.txt"]` is `root:/Documents/a%20b.txt:`.
    /// Each part is encoded on its own (a `/`, `:`, `#`, `?` or `%` in a
    /// name stays in that name).
    ItemPath(Vec<String>),
    /// An OData function call with string arguments: `search(q='...')`.
    Function(&'static str, Vec<(&'static str, String)>),
}

/// A path below the service root, e.g. `me/messages/{id}`.
///
/// Literal segments are chosen by the SDK; ids come from callers and are
/// always percent-encoded as exactly one segment, so an id containing `/`, `?`,
/// `#`, `%` or spaces cannot change the path. An empty id (or `.` / `..`) is
/// reported as [`Error::InvalidInput`] when the URL is built, before anything is
/// sent.
///
/// ```
/// use msgraph_core::GraphPath;
/// let p = GraphPath::new().push("me").push("messages").id("a/b?c#d");
/// let url = p.to_url(&"https://graph.microsoft.com/v1.0".parse().unwrap()).unwrap();
/// assert_eq!(url.as_str(), "https://graph.microsoft.com/v1.0/me/messages/a%2Fb%3Fc%23d");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct GraphPath {
    segments: Vec<Segment>,
}

impl GraphPath {
    /// The service root.
    pub fn new() -> Self {
        GraphPath { segments: Vec::new() }
    }

    /// Appends a fixed segment chosen by the SDK.
    pub fn push(mut self, literal: &'static str) -> Self {
        self.segments.push(Segment::Literal(literal));
        self
    }

    /// Appends a caller-supplied id as one encoded segment.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.segments.push(Segment::Id(id.into()));
        self
    }

    /// Addresses an item by its path below the previous segment (OneDrive's
    /// `root:/Documents/report.pdf:` or `items/{id}:/sub/file.txt:`): `path`
    /// is split on `/`, each name is encoded on its own, and the result is
    /// closed with `:` so further segments (`/content`, `/children`) follow.
    /// An empty path (or `/`) adds nothing: the previous segment itself.
    /// Empty names in the middle (`a//b`), `.` and `..` are
    /// [`Error::InvalidInput`] when the URL is built.
    ///
    /// ```
    /// use msgraph_core::GraphPath;
    /// let p = GraphPath::new().push("me").push("drive").push("root").item_path("/Documents/a b#1:x?.txt").push("content");
    /// let url = p.to_url(&"https://graph.microsoft.com/v1.0".parse().unwrap()).unwrap();
    /// assert_eq!(url.path(), "/v1.0/me/drive/root:/Documents/a%20b%231%3Ax%3F.txt:/content");
    /// ```
    pub fn item_path(mut self, path: &str) -> Self {
        let trimmed = path.trim_matches('/');
        if !trimmed.is_empty() {
            self.segments.push(Segment::ItemPath(trimmed.split('/').map(str::to_owned).collect()));
        }
        self
    }

    /// Appends an OData function call with string arguments, e.g.
    /// `search(q='budget 2024')`: each value is quoted with `'` doubled inside
    /// (OData's rule) and percent-encoded, so it cannot change the path.
    ///
    /// ```
    /// use msgraph_core::GraphPath;
    /// let p = GraphPath::new().push("me").push("drive").push("root").function("search", [("q", "Bob's plan #2")]);
    /// let url = p.to_url(&"https://graph.microsoft.com/v1.0".parse().unwrap()).unwrap();
    /// assert_eq!(url.path(), "/v1.0/me/drive/root/search(q='Bob%27%27s%20plan%20%232')");
    /// ```
    pub fn function<I, V>(mut self, name: &'static str, args: I) -> Self
    where
        I: IntoIterator<Item = (&'static str, V)>,
        V: Into<String>,
    {
        self.segments.push(Segment::Function(name, args.into_iter().map(|(k, v)| (k, v.into())).collect()));
        self
    }

    /// The number of segments.
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// True for the service root.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Appends another path's segments.
    pub fn join(mut self, other: &GraphPath) -> Self {
        self.segments.extend(other.segments.iter().cloned());
        self
    }

    /// The first `n` segments (all of them when there are fewer).
    pub fn prefix(&self, n: usize) -> GraphPath {
        GraphPath { segments: self.segments.iter().take(n).cloned().collect() }
    }

    /// The fixed segment at `index`, if that segment is one (not an id).
    pub fn literal_at(&self, index: usize) -> Option<&'static str> {
        match self.segments.get(index) {
            Some(Segment::Literal(l)) => Some(l),
            _ => None,
        }
    }

    /// Checks every id: not empty, not `.` or `..`.
    pub fn validate(&self) -> Result<()> {
        for s in &self.segments {
            match s {
                Segment::Id(id) => {
                    if id.is_empty() {
                        return Err(Error::invalid_input(format!("empty id in path {self}")));
                    }
                    if id == "." || id == ".." {
                        return Err(Error::invalid_input(format!("id {id:?} is not allowed in path {self}")));
                    }
                }
                Segment::ItemPath(parts) => {
                    if let Some(bad) = parts.iter().find(|p| p.is_empty() || *p == "." || *p == "..") {
                        return Err(Error::invalid_input(format!(
                            "the item path has an empty, `.` or `..` name ({bad:?})"
                        )));
                    }
                }
                Segment::Literal(_) | Segment::Function(..) => {}
            }
        }
        Ok(())
    }

    /// The path appended to `base` (the service root, e.g.
    /// `https://graph.microsoft.com/v1.0`).
    pub fn to_url(&self, base: &Url) -> Result<Url> {
        self.validate()?;
        let mut url = base.clone();
        url.set_query(None);
        url.set_fragment(None);
        if url.cannot_be_a_base() {
            return Err(Error::invalid_input(format!("base URL {base} cannot have a path")));
        }
        let mut path = url.path().trim_end_matches('/').to_owned();
        for s in &self.segments {
            match s {
                Segment::Literal(l) => {
                    path.push('/');
                    path.push_str(l);
                }
                Segment::Id(id) => {
                    path.push('/');
                    path.push_str(&encode_segment(id));
                }
                Segment::Function(name, args) => {
                    path.push('/');
                    path.push_str(name);
                    path.push('(');
                    for (i, (k, v)) in args.iter().enumerate() {
                        if i > 0 {
                            path.push(',');
                        }
                        path.push_str(k);
                        path.push_str("='");
                        path.push_str(
                            &percent_encoding::utf8_percent_encode(&v.replace('\'', "''"), PATH_NAME).to_string(),
                        );
                        path.push('\'');
                    }
                    path.push(')');
                }
                Segment::ItemPath(parts) => {
                    path.push(':');
                    for p in parts {
                        path.push('/');
                        path.push_str(&percent_encoding::utf8_percent_encode(p, PATH_NAME).to_string());
                    }
                    path.push(':');
                }
            }
        }
        url.set_path(&path);
        Ok(url)
    }
}

/// The set of bytes encoded in an id segment: everything except unreserved
/// characters and the few sub-delimiters Graph ids use literally.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'=')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b':');

/// Names in path-based addressing: as [`SEGMENT`], and `:` too (it would end the path).
const PATH_NAME: &percent_encoding::AsciiSet = &SEGMENT.add(b':');

fn encode_segment(id: &str) -> String {
    // Encode everything but unreserved characters (and `%` itself), so the
    // URL parser sees only safe characters and never a `.`/`..` segment.
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

impl fmt::Display for GraphPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.segments {
            match s {
                Segment::Literal(l) => write!(f, "/{l}")?,
                Segment::Id(id) if id.is_empty() => f.write_str("/{empty}")?,
                Segment::Id(_) => f.write_str("/{id}")?,
                Segment::ItemPath(_) => f.write_str(":/{path}:")?,
                Segment::Function(name, _) => write!(f, "/{name}(...)")?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for GraphPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GraphPath({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        "https://graph.microsoft.com/v1.0".parse().unwrap()
    }

    #[test]
    fn hostile_ids_stay_one_segment() {
        for (id, want) in [
            ("a/b?c#d", "a%2Fb%3Fc%23d"),
            ("100%", "100%25"),
            ("with space", "with%20space"),
            ("AAMkAD+x/y==", "AAMkAD%2Bx%2Fy=="),
            ("user_ext#EXT#@contoso.com", "user_ext%23EXT%23@contoso.com"),
            ("%2e%2e", "%252e%252e"),
        ] {
            let url = GraphPath::new().push("me").push("messages").id(id).to_url(&base()).unwrap();
            assert_eq!(url.path(), format!("/v1.0/me/messages/{want}"), "id {id:?}");
            assert_eq!(url.path_segments().unwrap().count(), 4);
            assert!(url.query().is_none() && url.fragment().is_none());
        }
    }

    #[test]
    fn empty_and_dot_ids_are_invalid_input() {
        for id in ["", ".", ".."] {
            let err = GraphPath::new().push("me").push("messages").id(id).to_url(&base()).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{err}");
        }
        let err = GraphPath::new().push("users").id("").to_url(&base()).unwrap_err();
        assert_eq!(err.to_string(), "invalid input: empty id in path /users/{empty}");
    }

    #[test]
    fn item_paths_encode_each_name_and_reject_dot_dot() {
        let p = GraphPath::new().push("me").push("drive").push("root").item_path("a b/c#d.txt").push("content");
        assert_eq!(p.to_url(&base()).unwrap().path(), "/v1.0/me/drive/root:/a%20b/c%23d.txt:/content");
        let p = GraphPath::new().push("drives").id("b!x").push("items").id("01AB").item_path("100%/q?:x");
        assert_eq!(p.to_url(&base()).unwrap().path(), "/v1.0/drives/b!x/items/01AB:/100%25/q%3F%3Ax:");
        // the root itself
        let p = GraphPath::new().push("me").push("drive").push("root").item_path("/").push("children");
        assert_eq!(p.to_url(&base()).unwrap().path(), "/v1.0/me/drive/root/children");
        for bad in ["a/../b", "./x", "a//b"] {
            let err = GraphPath::new().push("root").item_path(bad).to_url(&base()).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{bad}: {err}");
        }
    }

    #[test]
    fn base_with_trailing_slash() {
        let b: Url = "http://127.0.0.1:8080/v1.0/".parse().unwrap();
        let url = GraphPath::new().push("me").to_url(&b).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/v1.0/me");
    }
}
