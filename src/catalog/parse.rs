//! Reads the catalog file written by `scripts/convert-catalog.py` (its
//! docstring describes the format) into the catalog's flat tables. Every
//! index and the sort order binary search relies on are checked, so a
//! damaged file is an error, never a wrong answer or a panic.

use std::cmp::Ordering;

use super::condition_key::{ConditionType, has_placeholder};
use super::model::{
    AccessLevel, ActionData, ActionResourceData, Catalog, Ids, KeyData, ResourceTypeData,
    ServiceData, cmp_ignore_case,
};

/// The catalog file format this reader understands.
const FORMAT: &str = "1";

/// Why a catalog file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum CatalogError {
    /// A line breaks the format.
    #[error("catalog line {line}: {message}")]
    #[diagnostic(
        code(rolecall::catalog::malformed),
        help("regenerate the file with `scripts/update-catalog`")
    )]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The header lacks a required entry.
    #[error("catalog header lacks `{0}`")]
    #[diagnostic(code(rolecall::catalog::header))]
    MissingHeader(&'static str),
    /// The file is in a format this version does not read.
    #[error("catalog format `{0}` is not supported (expected `{FORMAT}`)")]
    #[diagnostic(code(rolecall::catalog::format))]
    UnsupportedFormat(String),
}

impl Catalog {
    /// Parses catalog text. The catalog borrows its strings from `text`,
    /// which is why it must live for the whole program (the embedded file
    /// does; for another, leak a `String`).
    pub fn parse(text: &'static str) -> Result<Catalog, CatalogError> {
        let mut reader = Reader::default();
        for (i, line) in split_bytes(text, b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            reader
                .line(line)
                .map_err(|message| CatalogError::Malformed {
                    line: i + 1,
                    message,
                })?;
        }
        reader.finish()
    }
}

/// Which records the current service has reached: K, then R, then A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Phase {
    #[default]
    Keys,
    ResourceTypes,
    Actions,
}

#[derive(Default)]
struct Reader {
    catalog: Catalog,
    format: Option<&'static str>,
    phase: Phase,
}

type LineResult = Result<(), String>;

fn index(len: usize) -> Result<u32, String> {
    u32::try_from(len).map_err(|_| "the catalog has too many entries".to_owned())
}

impl Reader {
    fn line(&mut self, line: &'static str) -> LineResult {
        if let Some(header) = line.strip_prefix('#') {
            if !self.catalog.services.is_empty() {
                return Err("header line after the first service".into());
            }
            self.header(header.trim_start());
            return Ok(());
        }
        let (kind, fields) = split_once_byte(line, b'\t').unwrap_or((line, ""));
        match kind {
            "S" => self.service(fields),
            "K" => self.key(fields),
            "R" => self.resource_type(fields),
            "A" => self.action(fields),
            other => Err(format!("unknown record `{other}`")),
        }
    }

    fn header(&mut self, entry: &'static str) {
        let Some((key, value)) = entry.split_once('\t') else {
            return; // a comment
        };
        let info = &mut self.catalog.info;
        match key {
            "format" => self.format = Some(value),
            "source" => info.source = value,
            "version" => info.version = value,
            "licence" => info.licence = value,
            "copyright" => info.copyright = value,
            "updated" => info.updated = value,
            "counts" => self.reserve(value),
            _ => {}
        }
    }

    /// Sizes the tables from `name=count` pairs (a speed-up only: wrong or
    /// missing counts are harmless).
    fn reserve(&mut self, counts: &str) {
        let c = &mut self.catalog;
        for (name, count) in counts.split(' ').filter_map(|p| p.split_once('=')) {
            let Ok(n) = count.parse::<usize>() else {
                continue;
            };
            // Never trust a count to allocate more than the text could fill.
            let n = n.min(1 << 20);
            match name {
                "services" => c.services.reserve_exact(n),
                "condition-keys" => c.keys.reserve_exact(n),
                "resource-types" => c.resource_types.reserve_exact(n),
                "actions" => c.actions.reserve_exact(n),
                "action-resources" => c.action_resources.reserve_exact(n),
                "key-refs" => c.key_refs.reserve_exact(n),
                _ => {}
            }
        }
    }

    /// The tab-separated fields after the record letter, exactly `N` of them.
    fn fields<const N: usize>(text: &'static str, what: &str) -> Result<[&'static str; N], String> {
        let mut out = [""; N];
        let mut count = 0;
        for field in split_bytes(text, b'\t') {
            if let Some(slot) = out.get_mut(count) {
                *slot = field;
            }
            count += 1;
        }
        if count == N {
            Ok(out)
        } else {
            Err(format!("{what} record needs {N} fields, found {count}"))
        }
    }

    fn current(&mut self, phase: Phase) -> Result<&mut ServiceData, String> {
        if phase < self.phase {
            return Err("records of a service must come as K, then R, then A lines".into());
        }
        self.phase = phase;
        self.catalog
            .services
            .last_mut()
            .ok_or_else(|| "record before the first service".to_owned())
    }

    fn service(&mut self, fields: &'static str) -> LineResult {
        let [prefix, name] = Self::fields(fields, "S")?;
        let catalog = &mut self.catalog;
        if let Some(last) = catalog.services.last() {
            check_order(last.prefix, prefix)?;
        }
        let at = |len: usize| -> Result<Ids, String> {
            let i = index(len)?;
            Ok(Ids { start: i, end: i })
        };
        catalog.services.push(ServiceData {
            prefix: non_empty(prefix, "service prefix")?,
            name,
            keys: at(catalog.keys.len())?,
            resource_types: at(catalog.resource_types.len())?,
            actions: at(catalog.actions.len())?,
        });
        self.phase = Phase::Keys;
        Ok(())
    }

    fn key(&mut self, fields: &'static str) -> LineResult {
        let [name, type_name] = Self::fields(fields, "K")?;
        let service = index(self.catalog.services.len().saturating_sub(1))?;
        let ids = self.current(Phase::Keys)?.keys;
        if ids.end > ids.start {
            check_order(self.catalog.keys[ids.end as usize - 1].name, name)?;
        }
        let (base, multivalued) = match type_name.strip_prefix("ArrayOf") {
            Some(base) => (base, true),
            None => (type_name, false),
        };
        let value_type = ConditionType::from_name(base)
            .ok_or_else(|| format!("unknown condition key type `{type_name}`"))?;
        self.catalog.keys.push(KeyData {
            name: non_empty(name, "condition key")?,
            value_type,
            multivalued,
            template: has_placeholder(name),
            service,
        });
        let end = index(self.catalog.keys.len())?;
        self.current(Phase::Keys)?.keys.end = end;
        Ok(())
    }

    fn resource_type(&mut self, fields: &'static str) -> LineResult {
        let [name, arn_format, keys] = Self::fields(fields, "R")?;
        let service = index(self.catalog.services.len().saturating_sub(1))?;
        let data = self.current(Phase::ResourceTypes)?;
        let (key_ids, ids) = (data.keys, data.resource_types);
        if ids.end > ids.start {
            check_order(self.catalog.resource_types[ids.end as usize - 1].name, name)?;
        }
        let keys = self.key_refs(keys, key_ids)?;
        self.catalog.resource_types.push(ResourceTypeData {
            name: non_empty(name, "resource type")?,
            arn_format: non_empty(arn_format, "ARN format")?,
            service,
            keys,
        });
        let end = index(self.catalog.resource_types.len())?;
        self.current(Phase::ResourceTypes)?.resource_types.end = end;
        Ok(())
    }

    fn action(&mut self, fields: &'static str) -> LineResult {
        let [name, level, resources, keys] = Self::fields(fields, "A")?;
        let service = index(self.catalog.services.len().saturating_sub(1))?;
        let data = self.current(Phase::Actions)?;
        let (key_ids, resource_ids, ids) = (data.keys, data.resource_types, data.actions);
        if ids.end > ids.start {
            check_order(self.catalog.actions[ids.end as usize - 1].name, name)?;
        }
        let access_level = match level {
            "L" => AccessLevel::List,
            "R" => AccessLevel::Read,
            "W" => AccessLevel::Write,
            "P" => AccessLevel::PermissionsManagement,
            "T" => AccessLevel::Tagging,
            other => return Err(format!("unknown access level `{other}`")),
        };
        let start = index(self.catalog.action_resources.len())?;
        for entry in split_bytes(resources, b' ').filter(|e| !e.is_empty()) {
            let (head, entry_keys) = split_once_byte(entry, b'=').unwrap_or((entry, ""));
            let (local, required) = match head.strip_suffix('!') {
                Some(local) => (local, true),
                None => (head, false),
            };
            let resource_type = local_index(local, resource_ids, "resource type")?;
            let keys = self.key_refs(entry_keys, key_ids)?;
            self.catalog.action_resources.push(ActionResourceData {
                resource_type,
                required,
                keys,
            });
        }
        let resources = Ids {
            start,
            end: index(self.catalog.action_resources.len())?,
        };
        let keys = self.key_refs(keys, key_ids)?;
        self.catalog.actions.push(ActionData {
            name: non_empty(name, "action")?,
            access_level,
            service,
            resources,
            keys,
        });
        let end = index(self.catalog.actions.len())?;
        self.current(Phase::Actions)?.actions.end = end;
        Ok(())
    }

    /// Appends a comma-separated list of the service's key indices to
    /// `key_refs`, as global indices.
    fn key_refs(&mut self, list: &str, service_keys: Ids) -> Result<Ids, String> {
        let start = index(self.catalog.key_refs.len())?;
        for local in split_bytes(list, b',').filter(|k| !k.is_empty()) {
            let id = local_index(local, service_keys, "condition key")?;
            self.catalog.key_refs.push(id);
        }
        Ok(Ids {
            start,
            end: index(self.catalog.key_refs.len())?,
        })
    }

    fn finish(self) -> Result<Catalog, CatalogError> {
        let format = self.format.ok_or(CatalogError::MissingHeader("format"))?;
        if format != FORMAT {
            return Err(CatalogError::UnsupportedFormat(format.to_owned()));
        }
        let info = &self.catalog.info;
        for (value, key) in [
            (info.source, "source"),
            (info.version, "version"),
            (info.licence, "licence"),
        ] {
            if value.is_empty() {
                return Err(CatalogError::MissingHeader(key));
            }
        }
        Ok(self.catalog)
    }
}

/// Splits at an ASCII separator with a plain byte loop: the catalog's
/// fields are a few bytes long, too short for `str::split`'s searcher to
/// pay off, and this is most of the load time.
fn split_bytes(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match split_once_byte(text, separator) {
            Some((field, after)) => {
                rest = Some(after);
                Some(field)
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// The text before and after the first `separator` (ASCII, so both sides
/// are on character boundaries).
fn split_once_byte(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == separator)?;
    Some((&text[..at], &text[at + 1..]))
}

/// A service-local index, checked against the service's table and made global.
fn local_index(text: &str, table: Ids, what: &str) -> Result<u32, String> {
    let local = parse_index(text).ok_or_else(|| format!("`{text}` is not a {what} index"))?;
    let id = table.start.saturating_add(local);
    if id >= table.end {
        return Err(format!("{what} index {local} is out of range"));
    }
    Ok(id)
}

/// A decimal index: digits only, no sign, fits `u32` (faster than
/// `str::parse`, which the reader would call some 70,000 times).
fn parse_index(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 {
        return None;
    }
    text.bytes().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn check_order(previous: &str, name: &str) -> LineResult {
    match cmp_ignore_case(previous, name) {
        Ordering::Less => Ok(()),
        _ => Err(format!(
            "`{name}` is out of order or repeated after `{previous}`"
        )),
    }
}

fn non_empty<'a>(text: &'a str, what: &str) -> Result<&'a str, String> {
    if text.is_empty() {
        Err(format!("empty {what}"))
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# format\t1\n# source\tpkg\n# version\t1.0\n# licence\tMIT\n";

    fn parse(body: &str) -> Result<Catalog, CatalogError> {
        Catalog::parse(format!("{HEADER}{body}").leak())
    }

    fn malformed(body: &str) -> String {
        match parse(body) {
            Err(CatalogError::Malformed { message, .. }) => message,
            other => panic!("expected a malformed line, got {other:?}"),
        }
    }

    #[test]
    fn small_catalog() {
        let c = parse(
            "S\tdemo\tDemo Service\nK\tdemo:Flag\tBool\nK\tdemo:Names\tArrayOfString\n\
             R\tthing\tarn:${Partition}:demo:::thing/${Name}\t0\n\
             A\tGetThing\tR\t0!=1\t0\nA\tListThings\tL\t\t\n",
        )
        .unwrap();
        assert_eq!(c.info().to_string(), "pkg 1.0");
        let get = c.action("DEMO:getthing").unwrap();
        assert_eq!(get.to_string(), "demo:GetThing");
        assert_eq!(get.access_level(), AccessLevel::Read);
        let r: Vec<_> = get.resource_types().collect();
        assert_eq!(r.len(), 1);
        assert!(r[0].required);
        assert_eq!(r[0].resource_type.name(), "thing");
        assert_eq!(r[0].condition_keys().next().unwrap().name, "demo:Names");
        assert!(r[0].condition_keys().next().unwrap().multivalued);
        assert_eq!(get.condition_keys().next().unwrap().name, "demo:Flag");
        assert!(get.supports_condition_key("demo:flag"));
        assert!(get.supports_condition_key("demo:Names"));
        assert!(
            !c.action("demo:ListThings")
                .unwrap()
                .supports_condition_key("demo:Names")
        );
        assert_eq!(c.action("demo:Nope"), None);
        assert_eq!(c.action("nope:GetThing"), None);
        assert_eq!(c.action("GetThing"), None);
    }

    #[test]
    fn indices() {
        assert_eq!(parse_index("0"), Some(0));
        assert_eq!(parse_index("123456789"), Some(123_456_789));
        assert_eq!(parse_index("1234567890"), None);
        assert_eq!(parse_index(""), None);
        assert_eq!(parse_index("-1"), None);
        assert_eq!(parse_index("1a"), None);
    }

    #[test]
    fn counts_only_reserve() {
        let c = parse("# counts\tactions=3 key-refs=x bogus=1 services=99999999999\nS\tdemo\tD\n")
            .unwrap();
        assert_eq!(c.services().len(), 1);
    }

    #[test]
    fn damaged_files_are_errors() {
        assert_eq!(
            Catalog::parse("S\tdemo\tDemo\n").unwrap_err(),
            CatalogError::MissingHeader("format")
        );
        assert_eq!(
            Catalog::parse("# format\t2\n").unwrap_err(),
            CatalogError::UnsupportedFormat("2".into())
        );
        assert_eq!(
            Catalog::parse("# format\t1\n# source\tpkg\n").unwrap_err(),
            CatalogError::MissingHeader("version")
        );
        assert!(malformed("K\tdemo:Flag\tBool\n").contains("before the first service"));
        assert!(malformed("S\tdemo\n").contains("needs 2 fields"));
        assert!(
            malformed("S\tdemo\tD\nK\tdemo:Flag\tNumber\n").contains("unknown condition key type")
        );
        assert!(malformed("S\tdemo\tD\nA\tGet\tX\t\t\n").contains("access level"));
        assert!(malformed("S\tdemo\tD\nA\tGet\tR\t0\t\n").contains("out of range"));
        assert!(malformed("S\tdemo\tD\nA\tGet\tR\t\t0\n").contains("out of range"));
        assert!(malformed("S\tdemo\tD\nA\tGet\tR\tx!\t\n").contains("not a resource type index"));
        assert!(malformed("S\tdemo\tD\nA\tB\tR\t\t\nA\ta\tR\t\t\n").contains("out of order"));
        assert!(malformed("S\tb\tD\nS\ta\tD\n").contains("out of order"));
        assert!(
            malformed("S\tdemo\tD\nA\tB\tR\t\t\nK\tdemo:k\tBool\n").contains("K, then R, then A")
        );
        assert!(malformed("S\tdemo\tD\n# version\t2\n").contains("header line after"));
        assert!(malformed("X\t1\n").contains("unknown record"));
        assert!(malformed("S\tdemo\tD\nA\tGet\tR\t+0\t\n").contains("not a resource type index"));
    }
}
