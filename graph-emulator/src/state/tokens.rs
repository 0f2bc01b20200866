//! A table of issued opaque tokens (delta and skip tokens) bounded by count
//! and by bytes: the oldest tokens are forgotten first (they answer 410
//! afterwards, as an expired sync state does on Graph).
//!
//! A token's bytes are its own (ids, `$select`, ...) plus the shared parts
//! it points to (the entries of its round, a calendar view's rendered items
//! or snapshot). The pages of one round share those parts through an `Arc`:
//! they are counted once, while at least one token holds them.

use std::collections::{HashMap, VecDeque};
use std::io::Write;

use serde_json::Value;

/// What a token's state weighs.
pub(crate) trait Weigh {
    /// Bytes of the state itself (strings it owns), not of its shared parts.
    fn own_bytes(&self) -> usize;
    /// The shared parts: each one's address (`Arc::as_ptr`) and a way to
    /// weigh it, called only the first time the table sees that address.
    fn shared(&self) -> Vec<(usize, Box<dyn Fn() -> usize + '_>)>;
}

/// Tokens kept at most, per table.
pub(crate) const MAX_TOKENS: usize = 10_000;
/// Bytes kept at most, per table (the newest token is always kept).
pub(crate) const MAX_TOKEN_BYTES: usize = 32 << 20;

#[derive(Debug)]
struct Entry<S> {
    state: S,
    own: usize,
    shared: Vec<usize>,
}

/// Issued tokens and what they stand for.
#[derive(Debug)]
pub(crate) struct TokenTable<S> {
    states: HashMap<String, Entry<S>>,
    /// Issue order, to forget the oldest first.
    order: VecDeque<String>,
    /// Shared part address -> (bytes, tokens holding it).
    parts: HashMap<usize, (usize, usize)>,
    bytes: usize,
    max_tokens: usize,
    max_bytes: usize,
}

impl<S> Default for TokenTable<S> {
    fn default() -> Self {
        TokenTable::with_limits(MAX_TOKENS, MAX_TOKEN_BYTES)
    }
}

impl<S> TokenTable<S> {
    /// A table with its own limits (tests).
    pub fn with_limits(max_tokens: usize, max_bytes: usize) -> Self {
        TokenTable {
            states: HashMap::new(),
            order: VecDeque::new(),
            parts: HashMap::new(),
            bytes: 0,
            max_tokens: max_tokens.max(1),
            max_bytes,
        }
    }

    /// What a token stands for.
    pub fn get(&self, token: &str) -> Option<&S> {
        self.states.get(token).map(|e| &e.state)
    }

    /// Live tokens.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Bytes the live tokens account for.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.states.clear();
        self.order.clear();
        self.parts.clear();
        self.bytes = 0;
    }

    fn forget(&mut self, token: &str) {
        let Some(e) = self.states.remove(token) else { return };
        self.bytes = self.bytes.saturating_sub(e.own + token.len());
        for p in e.shared {
            if let Some((bytes, refs)) = self.parts.get_mut(&p) {
                *refs -= 1;
                if *refs == 0 {
                    let b = *bytes;
                    self.parts.remove(&p);
                    self.bytes = self.bytes.saturating_sub(b);
                }
            }
        }
    }
}

impl<S: Weigh> TokenTable<S> {
    /// Keeps a new token, forgetting the oldest while the table is over its
    /// count or its bytes (the new token itself is always kept).
    pub fn issue(&mut self, token: String, state: S) {
        if self.states.contains_key(&token) {
            self.forget(&token);
            self.order.retain(|t| t != &token);
        }
        let own = state.own_bytes() + std::mem::size_of::<S>();
        let mut shared = Vec::new();
        for (ptr, weigh) in state.shared() {
            if shared.contains(&ptr) {
                continue;
            }
            match self.parts.get_mut(&ptr) {
                Some((_, refs)) => *refs += 1,
                None => {
                    let b = weigh();
                    self.parts.insert(ptr, (b, 1));
                    self.bytes += b;
                }
            }
            shared.push(ptr);
        }
        self.bytes += own + token.len();
        self.order.push_back(token.clone());
        self.states.insert(token, Entry { state, own, shared });
        while self.order.len() > 1 && (self.order.len() > self.max_tokens || self.bytes > self.max_bytes) {
            if let Some(old) = self.order.pop_front() {
                self.forget(&old);
            }
        }
    }
}

/// The length of a JSON value once serialized (without building the text).
pub(crate) fn json_bytes(v: &Value) -> usize {
    struct Count(usize);
    impl Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

/// Bytes of an optional `$select` list.
pub(crate) fn select_bytes(select: &Option<Vec<String>>) -> usize {
    select.as_ref().map_or(0, |s| s.iter().map(|x| x.len() + 24).sum())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[derive(Debug)]
    struct S(String, Arc<Vec<String>>);

    impl Weigh for S {
        fn own_bytes(&self) -> usize {
            self.0.len()
        }
        fn shared(&self) -> Vec<(usize, Box<dyn Fn() -> usize + '_>)> {
            vec![(Arc::as_ptr(&self.1) as usize, Box::new(|| self.1.iter().map(String::len).sum()))]
        }
    }

    #[test]
    fn pages_of_one_round_count_their_entries_once() {
        let mut t = TokenTable::with_limits(1000, 1 << 20);
        let entries = Arc::new(vec!["x".repeat(100_000)]);
        for i in 0..100 {
            t.issue(format!("t{i}"), S(String::new(), entries.clone()));
        }
        assert_eq!(t.len(), 100);
        assert!(t.bytes() < 120_000, "{}", t.bytes());
    }

    #[test]
    fn rounds_are_bounded_by_bytes_not_only_count() {
        let mut t = TokenTable::with_limits(10_000, 1 << 20);
        for i in 0..1000 {
            t.issue(format!("t{i}"), S(String::new(), Arc::new(vec!["x".repeat(100_000)])));
        }
        assert!(t.bytes() <= 1 << 20, "{}", t.bytes());
        assert!(t.len() <= 11, "{}", t.len());
        // the newest is kept, the oldest are gone
        assert!(t.get("t999").is_some());
        assert!(t.get("t0").is_none());
        // a single state over the budget is still kept (it is the newest)
        t.issue("big".into(), S(String::new(), Arc::new(vec!["x".repeat(2 << 20)])));
        assert_eq!(t.len(), 1);
        assert!(t.get("big").is_some());
        t.clear();
        assert_eq!((t.len(), t.bytes()), (0, 0));
    }

    #[test]
    fn count_bound_still_holds() {
        let mut t = TokenTable::with_limits(50, usize::MAX);
        let entries = Arc::new(vec![String::new()]);
        for i in 0..1000 {
            t.issue(format!("t{i}"), S("s".into(), entries.clone()));
        }
        assert_eq!(t.len(), 50);
        assert_eq!(t.parts.len(), 1);
    }
}
