//! Builds a [`Policy`] from a spanned value tree, collecting every grammar
//! problem instead of stopping at the first.

use std::collections::HashSet;
use std::fmt;

use super::model::*;
use crate::source::Span;
use crate::value::{JsonSyntaxError, Member, Value, ValueKind, parse_json};

/// A way the document breaks the IAM policy grammar, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarProblem {
    /// What is wrong (lowercase, no final period).
    pub message: String,
    /// JSON-pointer-like path of the offending element inside the policy.
    pub path: String,
    /// Where.
    pub span: Span,
    /// The concrete fix.
    pub help: String,
}

/// A policy and the grammar problems met while building it. Elements with a
/// problem are left out of the model (never guessed at).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The model of whatever was well-formed.
    pub policy: Policy,
    /// Problems in source order.
    pub problems: Vec<GrammarProblem>,
}

impl Parsed {
    /// Whether a problem was reported at `path` or inside it (`/Statement/0`
    /// covers `/Statement/0/Action/1`, not `/Statement/01`).
    pub fn has_problem_within(&self, path: &str) -> bool {
        self.problems.iter().any(|p| {
            p.path
                .strip_prefix(path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

/// Parses policy JSON text. A syntax error is the only hard failure.
pub fn parse_policy(text: &str) -> Result<Parsed, JsonSyntaxError> {
    Ok(build_policy(&parse_json(text)?))
}

/// Builds a policy from an already parsed tree (from JSON, YAML, or a
/// template's resolved properties).
pub fn build_policy(root: &Value) -> Parsed {
    let mut b = Builder::default();
    let policy = b.policy(root);
    b.problems.sort_by_key(|p| p.span.start);
    Parsed {
        policy,
        problems: b.problems,
    }
}

#[derive(Default)]
struct Builder {
    problems: Vec<GrammarProblem>,
}

/// A JSON-pointer-like path into the document, written out only when a
/// problem is reported: formatting a path for every element would cost more
/// than parsing the document.
#[derive(Clone, Copy)]
enum Pointer<'a> {
    Root,
    Key(&'a Pointer<'a>, &'a str),
    Index(&'a Pointer<'a>, usize),
}

impl<'a> Pointer<'a> {
    fn key(&'a self, key: &'a str) -> Pointer<'a> {
        Pointer::Key(self, key)
    }

    fn index(&'a self, index: usize) -> Pointer<'a> {
        Pointer::Index(self, index)
    }
}

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pointer::Root => Ok(()),
            Pointer::Key(parent, key) => write!(f, "{parent}/{key}"),
            Pointer::Index(parent, index) => write!(f, "{parent}/{index}"),
        }
    }
}

/// What an element is, for messages ("a statement", "`Action`", …), written
/// out only when a problem is reported.
#[derive(Clone, Copy)]
enum What<'a> {
    Text(&'static str),
    /// An element named by its key: `` `Key` ``.
    Element(&'a str),
    Operator(&'a str),
    ConditionKey(&'a str),
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Text(text) => f.write_str(text),
            What::Element(key) => write!(f, "`{key}`"),
            What::Operator(key) => write!(f, "condition operator `{key}`"),
            What::ConditionKey(key) => write!(f, "condition key `{key}`"),
        }
    }
}

/// Objects with more members than this find duplicate keys with a hash set;
/// smaller ones compare pairwise, which allocates nothing.
const SMALL_OBJECT: usize = 16;

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

impl Builder {
    fn problem(
        &mut self,
        path: &Pointer<'_>,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.problems.push(GrammarProblem {
            message: message.into(),
            path: path.to_string(),
            span,
            help: help.into(),
        });
    }

    /// Members of an object, flagging duplicate keys; `None` (and a problem)
    /// when `value` is not an object.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &Pointer<'_>,
        what: What<'_>,
    ) -> Option<&'v [Member]> {
        let Some(members) = value.as_object() else {
            self.problem(
                path,
                value.span,
                format!("{what} must be an object, found {}", value.type_name()),
                format!("write {what} as a JSON object: `{{ \"Name\": value, … }}`"),
            );
            return None;
        };
        // A set for large objects, not a scan of the earlier members: an
        // object of 100,000 keys must not cost 5 billion comparisons.
        let mut seen = HashSet::new();
        for (i, m) in members.iter().enumerate() {
            let repeated = if members.len() <= SMALL_OBJECT {
                members[..i].iter().any(|earlier| earlier.key == m.key)
            } else {
                !seen.insert(m.key.as_str())
            };
            if repeated {
                self.problem(
                    &path.key(&m.key),
                    m.key_span,
                    format!(
                        "duplicate key `{}`: AWS rejects a document that repeats a key",
                        m.key
                    ),
                    format!(
                        "keep a single `{}` in this object; to give it several values, write them as one array",
                        m.key
                    ),
                );
            }
        }
        Some(members)
    }

    fn string(
        &mut self,
        value: &Value,
        path: &Pointer<'_>,
        what: What<'_>,
    ) -> Option<Spanned<String>> {
        match &value.kind {
            ValueKind::String(s) => Some(Spanned {
                value: s.clone(),
                span: value.span,
            }),
            _ => {
                self.problem(
                    path,
                    value.span,
                    format!("{what} must be a string, found {}", value.type_name()),
                    format!("write {what} as one string in double quotes"),
                );
                None
            }
        }
    }

    fn policy(&mut self, root: &Value) -> Policy {
        let mut policy = Policy {
            span: root.span,
            version: None,
            id: None,
            statement_key: None,
            statements: Vec::new(),
        };
        let root_path = Pointer::Root;
        let Some(members) = self.object(root, &root_path, What::Text("a policy document")) else {
            return policy;
        };
        let mut statement = None;
        for m in members {
            let path = root_path.key(&m.key);
            match m.key.as_str() {
                "Version" if policy.version.is_none() => {
                    policy.version = self.string(&m.value, &path, What::Element("Version"));
                    if let Some(v) = &policy.version
                        && v.value != VERSION_2012
                        && v.value != VERSION_2008
                    {
                        self.problem(
                                &path,
                                v.span,
                                format!(
                                    "`Version` must be `{VERSION_2012}` or `{VERSION_2008}`, found `{}`",
                                    v.value
                                ),
                                format!(
                                    "write \"Version\": \"{VERSION_2012}\", the date of the current policy language (not the date the policy was written)"
                                ),
                            );
                    }
                }
                "Id" if policy.id.is_none() => {
                    policy.id = self.string(&m.value, &path, What::Element("Id"));
                }
                "Statement" if statement.is_none() => {
                    policy.statement_key = Some(m.key_span);
                    statement = Some(&m.value);
                }
                "Version" | "Id" | "Statement" => {}
                other => {
                    let (suggestion, help) = unknown_name(other, &["Version", "Id", "Statement"]);
                    self.problem(
                        &path,
                        m.key_span,
                        format!(
                            "unknown top-level element `{other}`: a policy has only `Version`, `Id` and `Statement`{suggestion}"
                        ),
                        help,
                    );
                }
            }
        }
        let statement_path = root_path.key("Statement");
        match statement {
            None => self.problem(
                &root_path,
                root.span,
                "the policy has no `Statement`",
                "add \"Statement\": [ … ] with at least one statement object",
            ),
            Some(value) => match &value.kind {
                ValueKind::Array(elements) => {
                    if elements.is_empty() {
                        self.problem(
                            &statement_path,
                            value.span,
                            "`Statement` is empty",
                            "add at least one statement, or delete the policy if it is meant to grant nothing",
                        );
                    }
                    for (i, element) in elements.iter().enumerate() {
                        if let Some(s) = self.statement(element, &statement_path.index(i), i) {
                            policy.statements.push(s);
                        }
                    }
                }
                ValueKind::Object(_) => {
                    if let Some(s) = self.statement(value, &statement_path, 0) {
                        policy.statements.push(s);
                    }
                }
                _ => self.problem(
                    &statement_path,
                    value.span,
                    format!(
                        "`Statement` must be an object or an array of objects, found {}",
                        value.type_name()
                    ),
                    "write `Statement` as an array of statement objects: [ { \"Effect\": …, \"Action\": …, … } ]",
                ),
            },
        }
        policy
    }

    fn statement(&mut self, value: &Value, path: &Pointer<'_>, index: usize) -> Option<Statement> {
        let members = self.object(value, path, What::Text("a statement"))?;
        let mut s = Statement {
            path: path.to_string(),
            index,
            span: value.span,
            sid: None,
            effect: None,
            action: None,
            resource: None,
            principal: None,
            condition: None,
        };
        let mut seen_effect = false;
        for m in members {
            let mpath = path.key(&m.key);
            match m.key.as_str() {
                "Sid" if s.sid.is_none() => {
                    s.sid = self.string(&m.value, &mpath, What::Element("Sid"));
                }
                "Effect" if !seen_effect => {
                    seen_effect = true;
                    if let Some(e) = self.string(&m.value, &mpath, What::Element("Effect")) {
                        match e.value.as_str() {
                            "Allow" => {
                                s.effect = Some(Spanned {
                                    value: Effect::Allow,
                                    span: e.span,
                                })
                            }
                            "Deny" => {
                                s.effect = Some(Spanned {
                                    value: Effect::Deny,
                                    span: e.span,
                                })
                            }
                            other => self.problem(
                                &mpath,
                                e.span,
                                format!(
                                    "`Effect` must be exactly `Allow` or `Deny`, found `{other}`"
                                ),
                                match closest(other, &["Allow", "Deny"]) {
                                    Some(effect) => {
                                        format!("write \"{effect}\" (the value is case-sensitive)")
                                    }
                                    None => "write \"Allow\" or \"Deny\"".to_owned(),
                                },
                            ),
                        }
                    }
                }
                "Action" | "NotAction" => {
                    if let Some(existing) = &s.action {
                        self.conflict(&mpath, m, existing.key);
                    } else {
                        s.action = self.item_list(m, path);
                    }
                }
                "Resource" | "NotResource" => {
                    if let Some(existing) = &s.resource {
                        self.conflict(&mpath, m, existing.key);
                    } else {
                        s.resource = self.item_list(m, path);
                    }
                }
                "Principal" | "NotPrincipal" => {
                    if let Some(existing) = &s.principal {
                        self.conflict(&mpath, m, existing.key());
                    } else {
                        s.principal = self.principal(m, path);
                    }
                }
                "Condition" if s.condition.is_none() => {
                    s.condition = self.condition(m, &mpath);
                }
                "Sid" | "Effect" | "Condition" => {}
                other => {
                    let (suggestion, help) = unknown_name(other, STATEMENT_KEYS);
                    self.problem(
                        &mpath,
                        m.key_span,
                        format!("unknown statement element `{other}`{suggestion}"),
                        help,
                    );
                }
            }
        }
        if !seen_effect {
            self.problem(
                path,
                value.span,
                "the statement has no `Effect`",
                "add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"",
            );
        }
        if s.action.is_none()
            && !members
                .iter()
                .any(|m| m.key == "Action" || m.key == "NotAction")
        {
            self.problem(
                path,
                value.span,
                "the statement has neither `Action` nor `NotAction`",
                "add \"Action\": with the actions the statement applies to, e.g. [\"s3:GetObject\"]",
            );
        }
        Some(s)
    }

    /// Two spellings of one element (`Action` and `NotAction`) or a repeat.
    fn conflict(&mut self, path: &Pointer<'_>, m: &Member, existing: &str) {
        if m.key == existing {
            return; // duplicate keys are already reported by `object`
        }
        self.problem(
            path,
            m.key_span,
            format!(
                "`{existing}` and `{}` cannot appear in the same statement",
                m.key
            ),
            format!(
                "keep one of them, or split the statement in two: one with `{existing}`, one with `{}`",
                m.key
            ),
        );
    }

    fn item_list(&mut self, m: &Member, statement_path: &Pointer<'_>) -> Option<ItemList> {
        let key: &'static str = match m.key.as_str() {
            "Action" => "Action",
            "NotAction" => "NotAction",
            "Resource" => "Resource",
            _ => "NotResource",
        };
        let path = statement_path.key(key);
        // A value of the wrong type is reported and kept as an element with
        // no entries (it matches nothing), so the element is not also
        // reported as missing.
        let (is_array, items) = self
            .scalars(&m.value, &path, What::Element(key), false)
            .unwrap_or((false, Vec::new()));
        if is_empty_array(&m.value) {
            self.problem(
                &path,
                m.value.span,
                format!("`{key}` is an empty list"),
                format!(
                    "list at least one value in `{key}`, or remove the statement: an empty list matches nothing"
                ),
            );
        }
        Some(ItemList {
            negated: key.starts_with("Not"),
            key,
            key_span: m.key_span,
            span: m.value.span,
            is_array,
            items,
        })
    }

    /// A string, or an array of strings (or, for condition values, numbers and
    /// booleans too). Returns whether it was an array and the usable items.
    fn scalars(
        &mut self,
        value: &Value,
        path: &Pointer<'_>,
        what: What<'_>,
        allow_non_strings: bool,
    ) -> Option<(bool, Vec<Item>)> {
        match &value.kind {
            ValueKind::Array(elements) => {
                let mut items = Vec::with_capacity(elements.len());
                for (i, e) in elements.iter().enumerate() {
                    if let Some(item) = self.scalar(e, &path.index(i), what, allow_non_strings) {
                        items.push(item);
                    }
                }
                Some((true, items))
            }
            _ => self
                .scalar(value, path, what, allow_non_strings)
                .map(|item| (false, vec![item])),
        }
    }

    fn scalar(
        &mut self,
        value: &Value,
        path: &Pointer<'_>,
        what: What<'_>,
        allow_non_strings: bool,
    ) -> Option<Item> {
        let (text, kind) = match &value.kind {
            ValueKind::String(s) => (s.clone(), ItemKind::String),
            ValueKind::Unknown(d) => (d.clone(), ItemKind::Unknown),
            ValueKind::Number(n) if allow_non_strings => (n.clone(), ItemKind::Number),
            ValueKind::Bool(b) if allow_non_strings => (b.to_string(), ItemKind::Bool),
            _ => {
                let expected = if allow_non_strings {
                    "a string, number or boolean, or an array of them"
                } else {
                    "a string or an array of strings"
                };
                self.problem(
                    path,
                    value.span,
                    format!("{what} must be {expected}, found {}", value.type_name()),
                    if allow_non_strings {
                        "write each value as a string, number or boolean, e.g. \"true\" or [\"a\", \"b\"]"
                    } else {
                        "write each value as a string in double quotes, e.g. [\"s3:GetObject\", \"s3:ListBucket\"]"
                    },
                );
                return None;
            }
        };
        Some(Item {
            text,
            span: value.span,
            kind,
        })
    }

    fn principal(&mut self, m: &Member, statement_path: &Pointer<'_>) -> Option<PrincipalBlock> {
        let negated = m.key == "NotPrincipal";
        let path = statement_path.key(&m.key);
        let spec = match &m.value.kind {
            ValueKind::String(s) if s == "*" => PrincipalSpec::Wildcard,
            ValueKind::String(s) => {
                self.problem(
                    &path,
                    m.value.span,
                    format!("`{}` as a string may only be `*`, found `{s}`", m.key),
                    format!(
                        "name the principal under its type: {{\"AWS\": \"{s}\"}} for accounts, users and roles, {{\"Service\": …}} for AWS services, {{\"Federated\": …}} for identity providers"
                    ),
                );
                return None;
            }
            _ => {
                let members = self.object(&m.value, &path, What::Element(&m.key))?;
                let mut entries = Vec::with_capacity(members.len());
                for pm in members {
                    let ppath = path.key(&pm.key);
                    let Some(principal_type) = PrincipalType::from_key(&pm.key) else {
                        let (suggestion, help) = unknown_name(
                            &pm.key,
                            &["AWS", "Service", "Federated", "CanonicalUser"],
                        );
                        self.problem(
                            &ppath,
                            pm.key_span,
                            format!(
                                "unknown principal type `{}`: use `AWS`, `Service`, `Federated` or `CanonicalUser`{suggestion}",
                                pm.key
                            ),
                            help,
                        );
                        continue;
                    };
                    if entries
                        .iter()
                        .any(|e: &PrincipalEntry| e.principal_type == principal_type)
                    {
                        continue; // duplicate key, already reported
                    }
                    let Some((is_array, items)) =
                        self.scalars(&pm.value, &ppath, What::Element(&pm.key), false)
                    else {
                        continue;
                    };
                    if is_empty_array(&pm.value) {
                        self.problem(
                            &ppath,
                            pm.value.span,
                            format!("`{}` is an empty list", pm.key),
                            format!(
                                "list at least one `{}` principal, or remove the `{}` entry",
                                pm.key, pm.key
                            ),
                        );
                    }
                    entries.push(PrincipalEntry {
                        principal_type,
                        key_span: pm.key_span,
                        is_array,
                        items,
                    });
                }
                if members.is_empty() {
                    self.problem(
                        &path,
                        m.value.span,
                        format!("`{}` names no principal", m.key),
                        format!(
                            "name at least one principal, e.g. \"{}\": {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}",
                            m.key
                        ),
                    );
                }
                PrincipalSpec::Map(entries)
            }
        };
        Some(PrincipalBlock {
            negated,
            key_span: m.key_span,
            span: m.value.span,
            spec,
        })
    }

    fn condition(&mut self, m: &Member, path: &Pointer<'_>) -> Option<Condition> {
        let members = self.object(&m.value, path, What::Element("Condition"))?;
        let mut operators = Vec::with_capacity(members.len());
        for om in members {
            let opath = path.key(&om.key);
            let Some(keys) = self.object(&om.value, &opath, What::Operator(&om.key)) else {
                continue;
            };
            let mut entries = Vec::with_capacity(keys.len());
            for km in keys {
                let kpath = opath.key(&km.key);
                let Some((is_array, values)) =
                    self.scalars(&km.value, &kpath, What::ConditionKey(&km.key), true)
                else {
                    continue;
                };
                entries.push(ConditionEntry {
                    key: Spanned {
                        value: km.key.clone(),
                        span: km.key_span,
                    },
                    span: km.value.span,
                    is_array,
                    values,
                });
            }
            operators.push(OperatorBlock {
                name: Spanned {
                    value: om.key.clone(),
                    span: om.key_span,
                },
                span: om.value.span,
                entries,
            });
        }
        Some(Condition {
            key_span: m.key_span,
            span: m.value.span,
            operators,
        })
    }
}

/// Whether `value` is `[]`.
fn is_empty_array(value: &Value) -> bool {
    matches!(&value.kind, ValueKind::Array(elements) if elements.is_empty())
}

/// For an unknown element name: the message's `", did you mean `X`?"` (or
/// nothing) and the help, to rename it to the closest candidate or remove it.
fn unknown_name(word: &str, candidates: &[&str]) -> (String, String) {
    match closest(word, candidates) {
        Some(c) => (
            format!(", did you mean `{c}`?"),
            format!("rename `{word}` to `{c}` (element names are case-sensitive)"),
        ),
        None => (
            String::new(),
            format!(
                "remove `{word}`; the allowed names are `{}`",
                candidates.join("`, `")
            ),
        ),
    }
}

/// The candidate that differs from `word` only in case or by one or two
/// edits, the closest first.
fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    // The distance is at least the difference in length: skip the quadratic
    // computation for words that cannot be close (a megabyte-long key).
    let length = word.chars().count();
    let word = word.to_ascii_lowercase();
    candidates
        .iter()
        .filter(|c| c.chars().count().abs_diff(length) <= 2)
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `", did you mean `X`?"` when a candidate differs only in case or by one
/// or two edits; empty otherwise.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    closest(word, candidates)
        .map(|c| format!(", did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        parse_policy(text).unwrap()
    }

    #[test]
    fn single_statement_object_and_string_values() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}"#;
        let p = parse(text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let s = &p.policy.statements[0];
        assert_eq!(s.path, "/Statement");
        assert_eq!(s.effect(), Some(Effect::Allow));
        let action = s.action.as_ref().unwrap();
        assert!(!action.is_array);
        assert_eq!(
            &text[action.items[0].span.start..action.items[0].span.end],
            "\"sts:AssumeRole\""
        );
        assert_eq!(action.item_path(s, 0), "/Statement/Action");
    }

    #[test]
    fn principal_forms() {
        let p = parse(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"},
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","222233334444"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.policy.statements[0].principal.as_ref().unwrap().spec,
            PrincipalSpec::Wildcard
        );
        let PrincipalSpec::Map(entries) = &p.policy.statements[1].principal.as_ref().unwrap().spec
        else {
            panic!("expected a map")
        };
        assert_eq!(entries[0].principal_type, PrincipalType::Aws);
        assert_eq!(entries[0].items.len(), 2);
        assert_eq!(entries[1].principal_type, PrincipalType::Service);
    }

    #[test]
    fn condition_values_keep_their_types() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600},"Bool":{"aws:SecureTransport":false},
            "StringEquals":{"aws:PrincipalTag/team":["a","b"]}}}]}"#,
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let c = p.policy.statements[0].condition.as_ref().unwrap();
        assert_eq!(c.operators.len(), 3);
        assert_eq!(c.operators[0].entries[0].values[0].kind, ItemKind::Number);
        assert_eq!(c.operators[1].entries[0].values[0].text, "false");
        assert_eq!(c.operators[2].entries[0].values.len(), 2);
    }

    #[test]
    fn grammar_problems_are_collected_not_fatal() {
        let p = parse(
            r#"{"Version":"2012-10-18","Statment":[],"Statement":[{"Effect":"allow","Action":"s3:*","NotAction":"iam:*","Resource":5,"Foo":1},{"Action":"x:y"},[]]}"#,
        );
        let messages: Vec<_> = p.problems.iter().map(|p| p.message.as_str()).collect();
        let joined = messages.join("\n");
        for expected in [
            "`Version` must be",
            "unknown top-level element `Statment`",
            "did you mean `Statement`?",
            "`Effect` must be exactly `Allow` or `Deny`, found `allow`",
            "`Action` and `NotAction` cannot appear",
            "`Resource` must be a string or an array of strings, found a number",
            "unknown statement element `Foo`",
            "the statement has no `Effect`",
            "a statement must be an object, found an array",
        ] {
            assert!(
                joined.contains(expected),
                "missing {expected:?} in\n{joined}"
            );
        }
        assert_eq!(
            p.policy.statements.len(),
            2,
            "well-formed statements are kept"
        );
    }

    #[test]
    fn duplicate_keys_are_problems() {
        let p = parse(r#"{"Statement":{"Effect":"Allow","Action":"a:b","Action":"c:d"}}"#);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].message.contains("duplicate key `Action`"));
        assert_eq!(p.problems[0].path, "/Statement/Action");
    }

    #[test]
    fn non_object_document() {
        let p = parse("[1]");
        assert_eq!(
            p.problems[0].message,
            "a policy document must be an object, found an array"
        );
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(
            did_you_mean("effect", &["Effect"]),
            ", did you mean `Effect`?"
        );
        assert_eq!(did_you_mean("Whatever", &["Effect"]), "");
    }
}
