//! The request context: the condition keys a request carries and their
//! values, looked up the way AWS does — key names ignore case.
//!
//! "Context key names are not case-sensitive"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>),
//! and that holds for the tag-key part of `aws:PrincipalTag/…`,
//! `aws:RequestTag/…` and `aws:ResourceTag/…` too: a policy naming
//! `aws:ResourceTag/TagKey1` matches a tag key named `TagKey1` or `tagkey1`
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag>).
//! Values keep their case; whether case matters for them is the operator's
//! business.

use std::fmt;

/// The value of one context key: one string, or a set of strings for a
/// multivalued key such as `aws:TagKeys` (an `ArrayOf…` key in the Service
/// Authorization Reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key.
    Single(String),
    /// A multivalued key; may hold any number of values, including none.
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice (one element for [`ContextValue::Single`]).
    #[inline]
    pub fn values(&self) -> &[String] {
        match self {
            Self::Single(v) => std::slice::from_ref(v),
            Self::Multi(v) => v,
        }
    }

    /// Whether the key is multivalued.
    #[inline]
    pub fn is_multi(&self) -> bool {
        matches!(self, Self::Multi(_))
    }
}

impl fmt::Display for ContextValue {
    /// `value` for a single value, `[a, b]` for a set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Single(v) => f.write_str(v),
            Self::Multi(values) => {
                f.write_str("[")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(v)?;
                }
                f.write_str("]")
            }
        }
    }
}

impl From<String> for ContextValue {
    fn from(value: String) -> Self {
        Self::Single(value)
    }
}

impl From<&str> for ContextValue {
    fn from(value: &str) -> Self {
        Self::Single(value.to_owned())
    }
}

impl From<Vec<String>> for ContextValue {
    fn from(values: Vec<String>) -> Self {
        Self::Multi(values)
    }
}

impl From<Vec<&str>> for ContextValue {
    fn from(values: Vec<&str>) -> Self {
        Self::Multi(values.into_iter().map(str::to_owned).collect())
    }
}

/// A key name folded to lower case and hashed once, so that looking it up
/// costs no allocation and no string hashing: policies fold their keys when
/// they are compiled.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContextKey {
    hash: u64,
    folded: Box<str>,
}

impl ContextKey {
    /// Folds `name` (any case) into a lookup key.
    pub fn new(name: &str) -> Self {
        let folded = fold(name);
        Self {
            hash: fnv1a(folded.as_bytes()),
            folded: folded.into(),
        }
    }

    /// The folded name.
    pub fn as_str(&self) -> &str {
        &self.folded
    }
}

/// Lower-cases a key name: ASCII in place of Unicode when the name is ASCII
/// (the result is the same, and cheaper).
fn fold(name: &str) -> String {
    if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.to_lowercase()
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a: short keys, no need for DoS resistance (a context is one
/// request's own keys).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// The longest ASCII probe folded on the stack by [`RequestContext::get`];
/// longer or non-ASCII probes are folded on the heap.
const STACK_PROBE: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: ContextKey,
    name: String,
    value: ContextValue,
}

/// The condition keys of one request and their values, in insertion order.
///
/// An index sorted by key hash makes a lookup a binary search over
/// integers and one string comparison, with no allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: Vec<Entry>,
    /// (hash, position in `entries`), sorted.
    index: Vec<(u64, usize)>,
}

impl RequestContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing (and returning) any value already
    /// held under the same key in any case. The key keeps the spelling of
    /// the latest insert and its first position.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<ContextValue>,
    ) -> Option<ContextValue> {
        let name = key.into();
        let key = ContextKey::new(&name);
        let value = value.into();
        if let Some(i) = self.find(&key) {
            let entry = &mut self.entries[i];
            entry.name = name;
            return Some(std::mem::replace(&mut entry.value, value));
        }
        let at = self.index.partition_point(|&(h, _)| h <= key.hash);
        self.index.insert(at, (key.hash, self.entries.len()));
        self.entries.push(Entry { key, name, value });
        None
    }

    /// Removes `key` (any case), returning its value.
    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        let i = self.find(&ContextKey::new(key))?;
        let entry = self.entries.remove(i);
        self.index.retain(|&(_, at)| at != i);
        for (_, at) in &mut self.index {
            if *at > i {
                *at -= 1;
            }
        }
        Some(entry.value)
    }

    /// The value of `key`, in any case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        let len = key.len();
        if key.is_ascii() && len <= STACK_PROBE {
            let mut buf = [0u8; STACK_PROBE];
            for (b, c) in buf.iter_mut().zip(key.bytes()) {
                *b = c.to_ascii_lowercase();
            }
            let folded = &buf[..len];
            self.lookup(fnv1a(folded), folded)
        } else {
            self.get_key(&ContextKey::new(key))
        }
    }

    /// The value of a pre-folded key.
    #[inline]
    pub fn get_key(&self, key: &ContextKey) -> Option<&ContextValue> {
        self.lookup(key.hash, key.folded.as_bytes())
    }

    /// Whether `key` (any case) is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the context holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Keys (as last inserted) and values, in insertion order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    fn find(&self, key: &ContextKey) -> Option<usize> {
        self.position(key.hash, key.folded.as_bytes())
    }

    #[inline]
    fn lookup(&self, hash: u64, folded: &[u8]) -> Option<&ContextValue> {
        self.position(hash, folded).map(|i| &self.entries[i].value)
    }

    #[inline]
    fn position(&self, hash: u64, folded: &[u8]) -> Option<usize> {
        let start = self.index.partition_point(|&(h, _)| h < hash);
        self.index[start..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, i)| i)
            .find(|&i| self.entries[i].key.folded.as_bytes() == folded)
    }
}

impl<K: Into<String>, V: Into<ContextValue>> FromIterator<(K, V)> for RequestContext {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut ctx = Self::new();
        for (k, v) in iter {
            ctx.insert(k, v);
        }
        ctx
    }
}

impl<'a> IntoIterator for &'a RequestContext {
    type Item = (&'a str, &'a ContextValue);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Iterator over a context's keys and values.
#[derive(Debug, Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, Entry>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a ContextValue);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|e| (e.name.as_str(), &e.value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    // "Context key names are not case-sensitive. For example, including the
    // aws:SourceIP context key is equivalent to testing for AWS:SourceIp."
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
    #[test]
    fn key_names_ignore_case() {
        let mut ctx = RequestContext::new();
        ctx.insert("aws:SourceIP", "203.0.113.7");
        assert_eq!(
            ctx.get("AWS:sourceip"),
            Some(&ContextValue::Single("203.0.113.7".into()))
        );
        assert_eq!(
            ctx.get_key(&ContextKey::new("aws:SourceIp")),
            ctx.get("aws:sourceip")
        );
        assert!(ctx.get("aws:SourceVpc").is_none());
    }

    // The tag-key part folds too: "aws:ResourceTag/TagKey1" matches a tag key
    // named TagKey1 or tagkey1.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
    #[test]
    fn tag_key_part_ignores_case() {
        let ctx: RequestContext = [("aws:ResourceTag/tagkey1", "Value1")]
            .into_iter()
            .collect();
        assert!(ctx.contains_key("aws:ResourceTag/TagKey1"));
    }

    #[test]
    fn insert_replaces_across_case_and_keeps_latest_spelling() {
        let mut ctx = RequestContext::new();
        assert_eq!(ctx.insert("aws:PrincipalTag/Team", "a"), None);
        assert_eq!(
            ctx.insert("aws:principaltag/team", vec!["b", "c"]),
            Some(ContextValue::Single("a".into()))
        );
        assert_eq!(ctx.len(), 1);
        let (key, value) = ctx.iter().next().unwrap();
        assert_eq!(key, "aws:principaltag/team");
        assert_eq!(value.values(), ["b", "c"]);
        assert!(value.is_multi());
        assert_eq!(value.to_string(), "[b, c]");
        assert_eq!(
            ctx.remove("AWS:PrincipalTag/TEAM").unwrap().values().len(),
            2
        );
        assert!(ctx.is_empty());
    }

    #[test]
    fn non_ascii_and_long_keys() {
        let mut ctx = RequestContext::new();
        ctx.insert("aws:PrincipalTag/Équipe", "x");
        assert!(ctx.contains_key("aws:principaltag/équipe"));
        let long = format!("aws:RequestTag/{}", "K".repeat(300));
        ctx.insert(long.clone(), "y");
        assert!(ctx.contains_key(&long.to_lowercase()));
    }

    #[test]
    fn iteration_keeps_insertion_order() {
        let mut ctx: RequestContext = [("b", "1"), ("A", "2"), ("c", "3")].into_iter().collect();
        ctx.insert("a", "4");
        let keys: Vec<_> = (&ctx).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        ctx.remove("B");
        assert_eq!(ctx.get("a"), Some(&ContextValue::Single("4".into())));
        assert_eq!(ctx.get("c"), Some(&ContextValue::Single("3".into())));
        assert!(ctx.get("b").is_none());
    }

    #[test]
    fn many_keys() {
        let ctx: RequestContext = (0..500)
            .map(|i| (format!("svc:Key{i}"), i.to_string()))
            .collect();
        for i in 0..500 {
            assert_eq!(
                ctx.get_key(&ContextKey::new(&format!("SVC:key{i}"))),
                Some(&ContextValue::Single(i.to_string()))
            );
        }
        assert!(ctx.get("svc:key500").is_none());
    }
}
