//! One delta item parsed into its change in one pass.
//!
//! `T` parses the item as it would anywhere else, through a thin layer
//! over the JSON deserializer that watches the item's top-level keys:
//! - `id`: its string is noted on the way to `T` (borrowed from the page;
//!   copied only when it has escapes);
//! - `@removed`: its value is read here (`{"reason": ...}`); `T` is handed
//!   `null` for it, and when it is an object the item is a removal;
//! - `deleted` (OneDrive's facet): the same, a removal when not `null`.
//!
//! Once an item is known to be a removal, `T` is told the object has ended
//! and the rest of the item is skipped here (still noting `id`, a later
//! `@removed` and duplicates). `T`'s result is dropped then, errors
//! included: a removal whose body lacks what `T` requires
//! (`{"id": "x", "@removed": {"reason": "deleted"}}` for a `T` with
//! required fields) is still a [`Change::Removed`].
//!
//! Anything the earlier two-pass parse would have answered differently
//! makes this pass fail instead (a duplicate top-level `id`, `@removed` or
//! `deleted`; an `id` that is neither a string nor `null`; an item that is
//! not an object; `T` failing before a removal shows), and the page is
//! parsed again the earlier way ([`super::parse_page`]). Keys are compared
//! unescaped: `"\u0040removed"` is `@removed` (the earlier probe searched
//! the text for `"@removed"` and missed that spelling unless something else
//! matched). Nested `@removed` keys (inside a property) are `T`'s business
//! only.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::UnitDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{Change, Removal, RemovedInfo, RemovedReason};

/// A delta item as its change (see the module notes).
pub(super) struct DeltaItem<T>(pub(super) Change<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for DeltaItem<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut watch = Watch::default();
        let parsed = T::deserialize(Tap { inner: d, hook: &mut watch });
        watch.finish(parsed).map(DeltaItem)
    }
}

/// The top-level keys that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Key {
    Id,
    Removed,
    Deleted,
    #[default]
    Other,
}

fn classify(key: &str) -> Key {
    match key {
        "id" => Key::Id,
        "@removed" => Key::Removed,
        "deleted" => Key::Deleted,
        _ => Key::Other,
    }
}

/// What was seen of one item's top-level keys.
#[derive(Default)]
struct Watch<'de> {
    /// The item was an object (its keys were watched).
    object: bool,
    /// The key whose value comes next.
    key: Key,
    /// How often `id`, `@removed` and `deleted` came.
    ids: u8,
    removeds: u8,
    deleteds: u8,
    id: IdValue<'de>,
    /// `@removed` with an object: the removal's reason, when it gave one.
    removed: Option<Option<RemovedReason>>,
    /// `deleted` with anything but `null`.
    deleted: bool,
    /// A removal was found: `T` sees no more keys, the rest is skipped here.
    stop: bool,
    /// The object was read to its closing brace.
    complete: bool,
}

impl Watch<'_> {
    fn is_removal(&self) -> bool {
        self.removed.is_some() || self.deleted
    }

    /// The change, from what was seen and `T`'s result.
    fn finish<T, E: de::Error>(self, parsed: Result<T, E>) -> Result<Change<T>, E> {
        let fallback = |what: &str| Err(E::custom(format_args!("{what}; the page is parsed again item by item")));
        if !self.object {
            return parsed.and_then(|_| fallback("a delta item that is not an object"));
        }
        if self.ids > 1 || self.removeds > 1 || self.deleteds > 1 {
            return fallback("a delta item with a repeated `id`, `@removed` or `deleted`");
        }
        if self.id.invalid {
            return fallback("a delta item whose `id` is not a string");
        }
        if !self.is_removal() {
            return parsed.map(Change::Upserted);
        }
        if !self.complete {
            // the skip failed: its error is what `parsed` carries
            return parsed.and_then(|_| fallback("a removed delta item not read to its end"));
        }
        let reason = match self.removed {
            Some(reason) => reason.unwrap_or(RemovedReason::Deleted),
            None => RemovedReason::Deleted,
        };
        let id = self.id.value.map(Cow::into_owned).unwrap_or_default();
        Ok(Change::Removed(Removal { id, reason }))
    }

    /// Reads the value of `@removed` or `deleted` (here, not by `T`).
    fn read_marker<'de, A: MapAccess<'de>>(&mut self, key: Key, map: &mut A) -> Result<(), A::Error> {
        match key {
            Key::Removed => {
                self.removeds = self.removeds.saturating_add(1);
                if let Some(info) = map.next_value::<Option<RemovedInfo>>()? {
                    self.removed = Some(info.reason);
                }
            }
            _ => {
                self.deleteds = self.deleteds.saturating_add(1);
                if map.next_value::<Option<IgnoredAny>>()?.is_some() {
                    self.deleted = true;
                }
            }
        }
        self.stop = self.is_removal();
        Ok(())
    }
}

/// The item's top-level `id`: its string, or that it was something else.
#[derive(Default)]
struct IdValue<'de> {
    value: Option<Cow<'de, str>>,
    invalid: bool,
}

/// What a [`Tap`] tells about the values it passes on.
trait Hook<'de> {
    /// A string borrowed from the input.
    fn borrowed(&mut self, s: &'de str);
    /// A string that lives only for the call (it had escapes).
    fn transient(&mut self, s: &str);
    /// `null`.
    fn null(&mut self) {}
    /// Any other kind of value.
    fn other(&mut self) {}
    /// An object, handed to `visitor`.
    fn map<V: Visitor<'de>, A: MapAccess<'de>>(&mut self, visitor: V, map: A) -> Result<V::Value, A::Error> {
        self.other();
        visitor.visit_map(map)
    }
}

/// A key: which of the watched ones it is.
impl<'de> Hook<'de> for Key {
    fn borrowed(&mut self, s: &'de str) {
        *self = classify(s);
    }

    fn transient(&mut self, s: &str) {
        *self = classify(s);
    }
}

impl<'de> Hook<'de> for IdValue<'de> {
    fn borrowed(&mut self, s: &'de str) {
        self.value = Some(Cow::Borrowed(s));
    }

    fn transient(&mut self, s: &str) {
        self.value = Some(Cow::Owned(s.to_owned()));
    }

    fn null(&mut self) {
        self.value = None;
    }

    fn other(&mut self) {
        self.invalid = true;
    }
}

/// The item itself: its object's keys are watched.
impl<'de> Hook<'de> for Watch<'de> {
    fn borrowed(&mut self, _: &'de str) {}

    fn transient(&mut self, _: &str) {}

    fn map<V: Visitor<'de>, A: MapAccess<'de>>(&mut self, visitor: V, mut map: A) -> Result<V::Value, A::Error> {
        self.object = true;
        let parsed = visitor.visit_map(WatchedMap { inner: &mut map, watch: self });
        if self.stop && !self.complete {
            self.skip_rest(&mut map)?;
        }
        parsed
    }
}

impl<'de> Watch<'de> {
    /// Reads what `T` was not shown of a removed item, still watching.
    fn skip_rest<A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        loop {
            let mut key = Key::Other;
            if map.next_key_seed(TapSeed { seed: PhantomData::<IgnoredAny>, hook: &mut key })?.is_none() {
                self.complete = true;
                return Ok(());
            }
            match key {
                Key::Id => {
                    self.ids = self.ids.saturating_add(1);
                    map.next_value_seed(TapSeed { seed: PhantomData::<IgnoredAny>, hook: &mut self.id })?;
                }
                Key::Removed | Key::Deleted => self.read_marker(key, map)?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }
}

/// The item's object as `T` reads it.
struct WatchedMap<'a, 'de, A> {
    inner: &'a mut A,
    watch: &'a mut Watch<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchedMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if self.watch.stop {
            return Ok(None);
        }
        let mut key = Key::Other;
        let next = self.inner.next_key_seed(TapSeed { seed, hook: &mut key })?;
        self.watch.key = key;
        if next.is_none() {
            self.watch.complete = true;
        }
        Ok(next)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        match self.watch.key {
            Key::Other => self.inner.next_value_seed(seed),
            Key::Id => {
                self.watch.ids = self.watch.ids.saturating_add(1);
                self.inner.next_value_seed(TapSeed { seed, hook: &mut self.watch.id })
            }
            key @ (Key::Removed | Key::Deleted) => {
                self.watch.read_marker(key, self.inner)?;
                // `T` sees `null` there: what it made of the value is
                // dropped for a removal, and `null` is what it was otherwise
                seed.deserialize(UnitDeserializer::new())
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A seed whose deserializer is tapped.
struct TapSeed<'a, S, H> {
    seed: S,
    hook: &'a mut H,
}

impl<'de, S: DeserializeSeed<'de>, H: Hook<'de>> DeserializeSeed<'de> for TapSeed<'_, S, H> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Tap { inner: d, hook: self.hook })
    }
}

/// A deserializer that tells `hook` what it hands to the visitor, and
/// otherwise does what `inner` does.
struct Tap<'a, D, H> {
    inner: D,
    hook: &'a mut H,
}

/// A visitor that tells `hook` what it is given, then passes it on.
struct TapVisitor<'a, V, H> {
    inner: V,
    hook: &'a mut H,
}

macro_rules! tap_methods {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method(TapVisitor { inner: visitor, hook: self.hook })
        }
    )*};
}

impl<'de, D: Deserializer<'de>, H: Hook<'de>> Deserializer<'de> for Tap<'_, D, H> {
    type Error = D::Error;

    tap_methods! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq
        deserialize_map deserialize_identifier
    }

    /// Skipped values are read, so that the hook sees them too.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(TapVisitor { inner: visitor, hook: self.hook })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_unit_struct(name, TapVisitor { inner: visitor, hook: self.hook })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_newtype_struct(name, TapVisitor { inner: visitor, hook: self.hook })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple(len, TapVisitor { inner: visitor, hook: self.hook })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple_struct(name, len, TapVisitor { inner: visitor, hook: self.hook })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(name, fields, TapVisitor { inner: visitor, hook: self.hook })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_enum(name, variants, TapVisitor { inner: visitor, hook: self.hook })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! visit_other {
    ($($method:ident: $ty:ty)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.hook.other();
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>, H: Hook<'de>> Visitor<'de> for TapVisitor<'_, V, H> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    visit_other! {
        visit_bool: bool visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64 visit_i128: i128
        visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64 visit_u128: u128
        visit_f32: f32 visit_f64: f64 visit_char: char
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.hook.transient(v);
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.hook.borrowed(v);
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.hook.transient(&v);
        self.inner.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.hook.transient(s),
            Err(_) => self.hook.other(),
        }
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.hook.borrowed(s),
            Err(_) => self.hook.other(),
        }
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        match std::str::from_utf8(&v) {
            Ok(s) => self.hook.transient(s),
            Err(_) => self.hook.other(),
        }
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.hook.null();
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.hook.null();
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Tap { inner: d, hook: self.hook })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Tap { inner: d, hook: self.hook })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.hook.other();
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.hook.map(self.inner, map)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.hook.other();
        self.inner.visit_enum(data)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::{TwoPassItem, parse_page};
    use super::*;
    use crate::models::Additional;
    use crate::{Page, Response};

    /// A type with required fields (a removal's body has none of them).
    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Strict {
        id: String,
        subject: String,
    }

    /// Like the SDK's models: every field optional, the rest kept.
    #[derive(Debug, Clone, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Loose {
        id: Option<String>,
        subject: Option<String>,
        #[serde(flatten)]
        additional: Additional,
    }

    /// Like OneDrive's driveItem, with its `deleted` facet.
    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Drive {
        id: Option<String>,
        name: Option<String>,
        deleted: Option<Facet>,
    }

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Facet {
        state: Option<String>,
    }

    fn removed(id: &str, reason: RemovedReason) -> String {
        format!("{:?}", Change::<()>::Removed(Removal { id: id.to_owned(), reason }))
    }

    /// The item through the one pass, checked against the two-pass parse
    /// it replaces (the same change, or both fail).
    fn one<T: DeserializeOwned + fmt::Debug>(text: &str) -> Result<Change<T>, String> {
        let fast = serde_json::from_str::<DeltaItem<T>>(text).map(|i| i.0).map_err(|e| e.to_string());
        let slow = serde_json::from_str::<TwoPassItem<T>>(text).map(|i| i.0).map_err(|e| e.to_string());
        match (&fast, &slow) {
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "one pass and two passes differ: {text}"),
            (Err(_), Err(_)) => {}
            _ => panic!("one pass {fast:?}, two passes {slow:?}: {text}"),
        }
        fast
    }

    fn debug<T: fmt::Debug>(c: Result<Change<T>, String>) -> String {
        match c {
            Ok(c) => format!("{c:?}"),
            Err(e) => format!("error: {e}"),
        }
    }

    fn is_removed<T: fmt::Debug>(c: Result<Change<T>, String>, id: &str, reason: RemovedReason) {
        match c {
            Ok(Change::Removed(r)) => assert_eq!(r, Removal { id: id.to_owned(), reason }),
            other => panic!("expected {}, got {}", removed(id, reason), debug(other)),
        }
    }

    fn page_of(items: &[&str]) -> Response {
        let body =
            format!(r##"{{"@odata.context":"x","value":[{}],"@odata.deltaLink":"https://d/?t=1"}}"##, items.join(","));
        let url = url::Url::parse("https://graph.microsoft.com/v1.0/me/messages/delta").expect("a URL");
        Response::new(200, http::HeaderMap::new(), body, url)
    }

    /// A whole page through `parse_page`, checked against the two-pass page.
    fn page<T: DeserializeOwned + fmt::Debug>(items: &[&str]) -> crate::Result<Vec<Change<T>>> {
        let response = page_of(items);
        let got = parse_page::<T>(&response).map(|p: Page<DeltaItem<T>>| {
            assert_eq!(p.delta_link.as_deref(), Some("https://d/?t=1"));
            p.value.into_iter().map(|i| i.0).collect::<Vec<_>>()
        });
        let before =
            response.json::<Page<TwoPassItem<T>>>().map(|p| p.value.into_iter().map(|i| i.0).collect::<Vec<_>>());
        assert_eq!(format!("{got:?}"), format!("{before:?}"), "parse_page and the two-pass page differ");
        got
    }

    #[test]
    fn removal_with_and_without_reason() {
        let c =
            one::<Loose>(r##"{"@odata.type":"#microsoft.graph.message","id":"a","@removed":{"reason":"changed"}}"##);
        is_removed(c, "a", RemovedReason::Changed);
        is_removed(one::<Loose>(r##"{"id":"b","@removed":{"reason":"deleted"}}"##), "b", RemovedReason::Deleted);
        is_removed(one::<Loose>(r##"{"id":"c","@removed":{}}"##), "c", RemovedReason::Deleted);
        // a reason Graph may add later is kept as it came
        is_removed(
            one::<Loose>(r##"{"id":"d","@removed":{"reason":"archived","x":1}}"##),
            "d",
            RemovedReason::Unknown("archived".into()),
        );
    }

    #[test]
    fn removal_whose_body_lacks_required_fields() {
        for text in [
            r##"{"id":"a","@removed":{"reason":"deleted"}}"##,
            r##"{"@removed":{"reason":"deleted"},"id":"a"}"##,
            r##"{"@odata.type":"#microsoft.graph.message","@removed":{"reason":"deleted"},"id":"a","@odata.etag":"W/\"1\""}"##,
        ] {
            is_removed(one::<Strict>(text), "a", RemovedReason::Deleted);
        }
        // no id at all: the removal has an empty one, as before
        is_removed(one::<Strict>(r##"{"@removed":{"reason":"changed"}}"##), "", RemovedReason::Changed);
        // and the same item not removed is T's error
        assert!(one::<Strict>(r##"{"id":"a"}"##).is_err());
    }

    #[test]
    fn nested_removed_is_not_a_removal() {
        let text = r##"{"id":"a","subject":"s","flag":{"@removed":{"reason":"deleted"}},"deleted":null}"##;
        let Ok(Change::Upserted(m)) = one::<Loose>(text) else { panic!("an upsert: {text}") };
        assert_eq!(m.id.as_deref(), Some("a"));
        assert_eq!(m.additional["flag"], json!({"@removed": {"reason": "deleted"}}));
        assert_eq!(m.additional["deleted"], Value::Null);
        let Ok(Change::Upserted(v)) = one::<Value>(text) else { panic!("an upsert: {text}") };
        assert_eq!(v, serde_json::from_str::<Value>(text).expect("JSON"));
        // in an array of a property, too
        let text = r##"{"id":"a","attachments":[{"id":"x","@removed":{}}]}"##;
        assert!(matches!(one::<Value>(text), Ok(Change::Upserted(_))));
    }

    #[test]
    fn key_orders() {
        let rest =
            r##""subject":"s","body":{"content":"@removed \"deleted\"","id":"inner"},"toRecipients":[{"id":"r"}]"##;
        for text in [
            format!(r##"{{"@removed":{{"reason":"changed"}},"id":"a",{rest}}}"##),
            format!(r##"{{"id":"a","@removed":{{"reason":"changed"}},{rest}}}"##),
            format!(r##"{{"id":"a",{rest},"@removed":{{"reason":"changed"}}}}"##),
            format!(r##"{{{rest},"@removed":{{"reason":"changed"}},"id":"a"}}"##),
        ] {
            is_removed(one::<Loose>(&text), "a", RemovedReason::Changed);
            is_removed(one::<Strict>(&text), "a", RemovedReason::Changed);
            is_removed(one::<Value>(&text), "a", RemovedReason::Changed);
        }
    }

    #[test]
    fn escaped_keys_and_ids() {
        // `@removed` spelled with an escape is still `@removed`
        let c = one_pass::<Loose>(r##"{"id":"a","\u0040removed":{"reason":"changed"}}"##);
        is_removed(c, "a", RemovedReason::Changed);
        // so is `id`, and an id with escapes comes unescaped
        let c = one::<Loose>(r##"{"i\u0064":"a\/b\u002B=","@removed":{"reason":"deleted"}}"##);
        is_removed(c, "a/b+=", RemovedReason::Deleted);
        let c = one::<Loose>(r##"{"@removed":{"reason":"deleted"},"id":"a\/b"}"##);
        is_removed(c, "a/b", RemovedReason::Deleted);
        // an escaped key that is not one of them is T's
        let Ok(Change::Upserted(m)) = one::<Loose>(r##"{"id":"a","sub\u006aect":"s","x\"y":1}"##) else {
            panic!("an upsert")
        };
        assert_eq!(m.subject.as_deref(), Some("s"));
        assert_eq!(m.additional["x\"y"], json!(1));
    }

    /// Only the one pass (the two-pass probe looked for `"@removed"` in the
    /// text and missed an escaped spelling when nothing else matched).
    fn one_pass<T: DeserializeOwned>(text: &str) -> Result<Change<T>, String> {
        serde_json::from_str::<DeltaItem<T>>(text).map(|i| i.0).map_err(|e| e.to_string())
    }

    #[test]
    fn drive_deleted_facet() {
        let text = r##"{"id":"f","name":"a.txt","deleted":{"state":"deleted"},"parentReference":{"id":"p"}}"##;
        is_removed(one::<Drive>(text), "f", RemovedReason::Deleted);
        is_removed(one::<Drive>(r##"{"deleted":{},"id":"f"}"##), "f", RemovedReason::Deleted);
        // `null` is no facet
        let Ok(Change::Upserted(d)) = one::<Drive>(r##"{"id":"f","name":"a.txt","deleted":null}"##) else {
            panic!("an upsert")
        };
        assert_eq!((d.id.as_deref(), d.name.as_deref(), d.deleted), (Some("f"), Some("a.txt"), None));
        // `@removed` says why, wherever it stands
        is_removed(
            one::<Drive>(r##"{"id":"f","deleted":{},"@removed":{"reason":"changed"}}"##),
            "f",
            RemovedReason::Changed,
        );
        is_removed(
            one::<Drive>(r##"{"@removed":{"reason":"changed"},"deleted":{},"id":"f"}"##),
            "f",
            RemovedReason::Changed,
        );
        // a `deleted` facet of a shape T does not expect is still a removal
        is_removed(one::<Drive>(r##"{"id":"f","deleted":true}"##), "f", RemovedReason::Deleted);
    }

    #[test]
    fn unknown_fields_kept() {
        let text = r##"{"@odata.etag":"W/\"CQ\"","id":"a","subject":"s","x":{"y":[1,2]},"@removed":null}"##;
        let Ok(Change::Upserted(m)) = one::<Loose>(text) else { panic!("an upsert") };
        assert_eq!((m.id.as_deref(), m.subject.as_deref()), (Some("a"), Some("s")));
        assert_eq!(m.additional["@odata.etag"], json!("W/\"CQ\""));
        assert_eq!(m.additional["x"], json!({"y": [1, 2]}));
        assert_eq!(m.additional["@removed"], Value::Null);
        assert_eq!(m.additional.len(), 3);
        let Ok(Change::Upserted(s)) = one::<Strict>(r##"{"subject":"s","extra":[{}],"id":"a"}"##) else {
            panic!("an upsert")
        };
        assert_eq!(s, Strict { id: "a".into(), subject: "s".into() });
    }

    #[test]
    fn what_the_one_pass_refuses_is_parsed_again() {
        // T fails before the removal shows: the page is parsed the two-pass way
        let text = r##"{"id":"a","subject":5,"@removed":{"reason":"changed"}}"##;
        assert!(one_pass::<Strict>(text).is_err());
        let got = page::<Strict>(&[r##"{"id":"z","subject":"ok"}"##, text]).expect("the page");
        assert_eq!(got[0], Change::Upserted(Strict { id: "z".into(), subject: "ok".into() }));
        assert_eq!(got[1], Change::Removed(Removal { id: "a".into(), reason: RemovedReason::Changed }));
        // a repeated id, an id that is not a string, an item that is not an
        // object: whatever the two passes made of them
        assert!(one_pass::<Value>(r##"{"id":"a","id":"b","@removed":{}}"##).is_err());
        assert!(page::<Value>(&[r##"{"id":"a","id":"b","@removed":{}}"##]).is_err());
        assert!(one_pass::<Value>(r##"{"id":7,"x":"deleted"}"##).is_err());
        assert!(page::<Value>(&[r##"{"id":7,"x":"deleted"}"##]).is_err());
        assert!(page::<Value>(&[r##"{"id":7,"x":1}"##]).is_ok());
        assert!(one_pass::<Value>(r##""text""##).is_err());
        assert_eq!(page::<Value>(&[r##""text""##]).expect("the page"), vec![Change::Upserted(json!("text"))]);
        // an item T cannot take and that is no removal: the page's error is the two passes' error
        let e = page::<Strict>(&[r##"{"id":"a","subject":5}"##]).expect_err("T's error");
        assert!(matches!(e, crate::Error::Decode { .. }), "{e:?}");
        // a malformed @removed
        assert!(page::<Value>(&[r##"{"id":"a","@removed":"gone"}"##]).is_err());
    }

    #[test]
    fn a_page_of_mixed_items() {
        let items = [
            r##"{"id":"1","subject":"one","@odata.etag":"e"}"##,
            r##"{"@odata.type":"#microsoft.graph.message","id":"2","@removed":{"reason":"deleted"}}"##,
            r##"{"id":"3","subject":"three","flag":{"@removed":{}}}"##,
            r##"{"@removed":{"reason":"changed"},"id":"4"}"##,
        ];
        let got = page::<Loose>(&items).expect("the page");
        let kinds: Vec<_> = got.iter().map(|c| c.removal().map(|r| (r.id.clone(), r.reason.clone()))).collect();
        assert_eq!(
            kinds,
            vec![None, Some(("2".into(), RemovedReason::Deleted)), None, Some(("4".into(), RemovedReason::Changed))]
        );
        // a removal T cannot parse, then an item after it: taken by the one pass itself
        let five = r##"{"id":"5","subject":"five"}"##;
        let one_pass = serde_json::from_slice::<Page<DeltaItem<Strict>>>(page_of(&[items[1], five]).body())
            .expect("the one pass takes the page");
        assert_eq!(one_pass.value.len(), 2);
        let got = page::<Strict>(&[items[1], five]).expect("the page");
        assert_eq!(
            got,
            vec![
                Change::Removed(Removal { id: "2".into(), reason: RemovedReason::Deleted }),
                Change::Upserted(Strict { id: "5".into(), subject: "five".into() }),
            ]
        );
        assert!(page::<Value>(&[]).expect("an empty page").is_empty());
    }
}
