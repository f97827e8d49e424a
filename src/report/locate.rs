//! From a finding back to the policy document it is in: who holds that
//! document, and the text of the offending statement.

use std::collections::HashMap;
use std::sync::Arc;

use crate::inventory::{Inventory, PolicyOwner};
use crate::lint::Finding;
use crate::policy::PolicyDocument;
use crate::source::{SourceFile, Span};

/// Principals named per finding at most.
pub const MAX_HOLDERS: usize = 10;
/// Lines of a snippet at most.
const MAX_LINES: usize = 40;
/// Characters of a snippet line at most.
const MAX_LINE_CHARS: usize = 200;

/// A piece of policy text to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The 1-based line of the file the text starts at; `None` when the
    /// text is a reformatted copy (a policy decoded out of a string).
    pub first_line: Option<usize>,
    /// The text, at most [`MAX_LINES`] lines.
    pub text: String,
    /// Whether lines were left out.
    pub truncated: bool,
}

/// One document's place in its file and who holds it.
#[derive(Debug)]
struct Placed {
    range: Span,
    document: Arc<PolicyDocument>,
    holders: Arc<[String]>,
}

/// The documents of the inventories seen, by file.
#[derive(Debug, Default)]
pub struct DocumentIndex {
    /// Keyed by the address of the file's `Arc<SourceFile>`, which every
    /// finding about a document shares; the documents keep it alive.
    by_file: HashMap<usize, Vec<Placed>>,
}

/// A finding's document.
#[derive(Debug)]
pub struct Located<'a> {
    /// The principals holding it.
    pub holders: &'a [String],
    document: &'a PolicyDocument,
}

fn file_key(file: &Arc<SourceFile>) -> usize {
    Arc::as_ptr(file) as usize
}

impl DocumentIndex {
    /// Indexes every document of `inventory` with the principals holding it
    /// (a managed policy: the users, groups and roles attaching it, and the
    /// members of those groups).
    pub fn add(&mut self, inventory: &Inventory) {
        let mut attached: HashMap<&str, Vec<String>> = HashMap::new();
        for role in inventory.roles() {
            for a in &role.common.attached_policies {
                attached
                    .entry(&a.arn)
                    .or_default()
                    .push(role.common.arn.clone());
            }
        }
        for user in inventory.users() {
            let through_groups = inventory
                .user_groups(user)
                .flat_map(|g| g.common.attached_policies.iter());
            for a in user.common.attached_policies.iter().chain(through_groups) {
                attached
                    .entry(&a.arn)
                    .or_default()
                    .push(user.common.arn.clone());
            }
        }
        for group in inventory.groups() {
            for a in &group.common.attached_policies {
                attached
                    .entry(&a.arn)
                    .or_default()
                    .push(group.common.arn.clone());
            }
        }
        for entry in inventory.policies() {
            let holders: Vec<String> = match entry.owner {
                PolicyOwner::User(u) => vec![u.common.arn.clone()],
                PolicyOwner::Group(g) => vec![g.common.arn.clone()],
                PolicyOwner::Role(r) => vec![r.common.arn.clone()],
                PolicyOwner::ManagedPolicy(m) => {
                    let mut h = attached.get(m.arn.as_str()).cloned().unwrap_or_default();
                    h.sort();
                    h.dedup();
                    h
                }
                _ => Vec::new(),
            };
            let document = entry.document;
            let range = document.origin.file_span(document.parsed.policy.span);
            self.by_file
                .entry(file_key(&document.origin.file))
                .or_default()
                .push(Placed {
                    range,
                    document: Arc::clone(document),
                    holders: holders.into(),
                });
        }
        for placed in self.by_file.values_mut() {
            placed.sort_by_key(|p| (p.range.start, std::cmp::Reverse(p.range.end)));
        }
    }

    /// The innermost document holding the finding's primary location.
    pub fn locate(&self, finding: &Finding) -> Option<Located<'_>> {
        let span = finding.primary_span()?;
        let placed = self.by_file.get(&file_key(&finding.file))?;
        let after = placed.partition_point(|p| p.range.start <= span.start);
        placed[..after]
            .iter()
            .rev()
            .find(|p| p.range.end >= span.end)
            .map(|p| Located {
                holders: &p.holders,
                document: &p.document,
            })
    }
}

impl Located<'_> {
    /// The statement holding the finding's primary location, as the file
    /// shows it (or reformatted, for a document decoded out of a string or
    /// written on one long line).
    pub fn statement_snippet(&self, finding: &Finding) -> Option<Snippet> {
        let path = &finding.locations.first()?.path;
        let statement = self.document.parsed.policy.statements.iter().find(|s| {
            path.strip_prefix(s.path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })?;
        let source = self.document.origin.document_source();
        if self.document.origin.embedded.is_none() {
            let raw = lines_of(source, statement.span);
            if raw.lines().all(|l| l.chars().count() <= MAX_LINE_CHARS) {
                let first_line = source.line_col(statement.span.start).line;
                return Some(cap(&dedent(raw), Some(first_line)));
            }
        }
        let text = source.slice(statement.span);
        let pretty = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| text.to_owned());
        Some(cap(&pretty, None))
    }
}

/// The lines around a finding that is in no indexed document (a file
/// that does not parse, a configuration file): its first line and the
/// next two.
pub fn file_snippet(finding: &Finding) -> Option<Snippet> {
    let span = finding.primary_span()?;
    let file = &finding.file;
    if file.text().is_empty() {
        return None;
    }
    let line = file.line_col(span.start).line;
    let text: String = file
        .text()
        .lines()
        .skip(line.saturating_sub(1))
        .take(3)
        .map(|l| format!("{}\n", clip(l)))
        .collect();
    Some(Snippet {
        first_line: Some(line),
        text: text.trim_end().to_owned(),
        truncated: false,
    })
}

/// The whole lines `span` touches.
fn lines_of(file: &SourceFile, span: Span) -> &str {
    let text = file.text();
    let start = text
        .get(..span.start.min(text.len()))
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(span.end.min(text.len())..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| span.end + i);
    text.get(start..end).unwrap_or("")
}

/// Removes the indentation all non-blank lines share.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn clip(line: &str) -> String {
    if line.chars().count() <= MAX_LINE_CHARS {
        line.to_owned()
    } else {
        let mut s: String = line.chars().take(MAX_LINE_CHARS).collect();
        s.push('…');
        s
    }
}

fn cap(text: &str, first_line: Option<usize>) -> Snippet {
    let total = text.lines().count();
    let kept: Vec<String> = text.lines().take(MAX_LINES).map(clip).collect();
    Snippet {
        first_line,
        text: kept.join("\n"),
        truncated: total > MAX_LINES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{InputSpec, LoadOptions, load};
    use crate::lint::{Config, Linter};

    fn findings_and_index(name: &str, text: &str) -> (Vec<Finding>, DocumentIndex) {
        let outcome = load(
            &[InputSpec::Text {
                name: name.into(),
                text: text.into(),
            }],
            &LoadOptions::default(),
        );
        let config = Config::default();
        let linter = Linter::new(&config);
        let findings = linter.finish(linter.inventory(&outcome.inventory, |_| true));
        let mut index = DocumentIndex::default();
        index.add(&outcome.inventory);
        (findings, index)
    }

    #[test]
    fn a_plain_file_shows_the_statement_with_its_lines() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n    {\n      \"Sid\": \"All\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";
        let (findings, index) = findings_and_index("p.json", text);
        let admin = findings.iter().find(|f| f.rule == "admin-access").unwrap();
        let located = index.locate(admin).unwrap();
        assert!(located.holders.is_empty());
        let snippet = located.statement_snippet(admin).unwrap();
        assert_eq!(snippet.first_line, Some(5));
        assert!(snippet.text.starts_with("{\n  \"Sid\": \"All\","));
        assert!(snippet.text.ends_with('}'));
        assert!(!snippet.truncated);
    }

    #[test]
    fn an_encoded_policy_is_shown_decoded_and_its_role_holds_it() {
        let doc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        let trust = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        let text = format!(
            r#"{{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[{{"RoleName":"R","Arn":"arn:aws:iam::111122223333:role/R","AssumeRolePolicyDocument":"{trust}","RolePolicyList":[{{"PolicyName":"all","PolicyDocument":"{doc}"}}],"AttachedManagedPolicies":[]}}]}}"#
        );
        let (findings, index) = findings_and_index("auth.json", &text);
        let admin = findings.iter().find(|f| f.rule == "admin-access").unwrap();
        let located = index.locate(admin).unwrap();
        assert_eq!(located.holders, ["arn:aws:iam::111122223333:role/R"]);
        let snippet = located.statement_snippet(admin).unwrap();
        assert_eq!(snippet.first_line, None);
        assert!(
            snippet.text.contains("\"Action\": \"*\""),
            "{}",
            snippet.text
        );
    }

    #[test]
    fn long_text_is_capped() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let s = cap(&text, Some(1));
        assert_eq!(s.text.lines().count(), MAX_LINES);
        assert!(s.truncated);
        assert_eq!(clip(&"x".repeat(500)).chars().count(), MAX_LINE_CHARS + 1);
        assert_eq!(dedent("  a\n    b\n\n  c"), "a\n  b\n\nc");
    }
}
