//! `variable-without-version`: a `${…}` policy variable in a policy whose
//! language version does not substitute variables.

use crate::declare_rule;
use crate::eval::operator::ConditionOperator;
use crate::eval::variables::Template;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Item, ItemKind, Policy, Statement, VERSION_2008, VERSION_2012};

declare_rule! {
    /// Flags each `Resource`/`NotResource` entry and each value of a
    /// variable-taking condition operator that holds a policy variable,
    /// when the policy's `Version` is absent or `2008-10-17`.
    VariableWithoutVersion {
        id: "variable-without-version",
        finding_type: Error,
        category: Validity,
        summary: "a `${...}` policy variable in a policy without `\"Version\": \"2012-10-17\"` is literal text",
    }
}

/// Why the policy does not substitute variables, for messages; `None` when
/// it does (or when its `Version` is invalid, which `policy-grammar` reports).
fn reason(policy: &Policy) -> Option<&'static str> {
    match &policy.version {
        None => Some("the policy has no `Version`"),
        Some(v) if v.value == VERSION_2008 => Some("the policy is `Version` 2008-10-17"),
        Some(_) => None,
    }
}

impl Rule for VariableWithoutVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let policy = &doc.doc.parsed.policy;
        let Some(reason) = reason(policy) else {
            return;
        };
        let report = |item: &Item, path: String, out: &mut Sink| {
            let Some(variables) = variables(item) else {
                return;
            };
            let mut finding = doc
                .finding(
                    &Self::META,
                    format!(
                        "{variables} literal text here: {reason}, and only `Version` {VERSION_2012} substitutes policy variables"
                    ),
                )
                .at(item.span, path, "compared as written");
            if let Some(version) = &policy.version {
                finding = finding.at(
                    version.span,
                    "/Version",
                    "no policy variables in this version",
                );
            }
            finding
            .help(match policy.version {
                Some(_) => format!(
                    "change the policy's `Version` to \"{VERSION_2012}\" (2008-10-17 has no policy variables)"
                ),
                None => format!(
                    "add \"Version\": \"{VERSION_2012}\" as the document's first element"
                ),
            })
            .statement(statement)
            .emit(out);
        };
        if let Some(resource) = &statement.resource {
            for (i, item) in resource.items.iter().enumerate() {
                report(item, resource.item_path(statement, i), out);
            }
        }
        if let Some(condition) = &statement.condition {
            for operator in &condition.operators {
                // Only String, ARN and Bool operators take variables; in the
                // others `${…}` stays literal whatever the Version, and an
                // unknown operator is `invalid-condition-operator`'s.
                let takes_variables = ConditionOperator::parse(&operator.name.value)
                    .is_ok_and(|o| o.base.supports_variables());
                if !takes_variables {
                    continue;
                }
                for entry in &operator.entries {
                    for (i, item) in entry.values.iter().enumerate() {
                        let path = if entry.is_array {
                            format!("{}/{i}", entry.path(operator, statement))
                        } else {
                            entry.path(operator, statement)
                        };
                        report(item, path, out);
                    }
                }
            }
        }
    }
}

/// The policy variables in `item` as the subject of a sentence
/// (`` `${aws:username}` is ``),
/// or `None` when it holds none, is no string, or is malformed (`${` with
/// no `}` is no variable under any Version).
fn variables(item: &Item) -> Option<String> {
    if item.kind != ItemKind::String {
        return None;
    }
    let template = Template::parse(&item.text).ok()?;
    if !template.has_variables() {
        return None;
    }
    let mut names: Vec<String> = template
        .variables()
        .map(|name| format!("`${{{name}}}`"))
        .collect();
    // The escapes `${*}`, `${?}` and `${$}` are not variables but need the
    // 2012 language too.
    for escape in ["${*}", "${?}", "${$}"] {
        if item.text.contains(escape) {
            names.push(format!("`{escape}`"));
        }
    }
    Some(match names.as_slice() {
        [] => return None,
        [one] => format!("{one} is"),
        [init @ .., last] => format!("{} and {last} are", init.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn item(text: &str, kind: ItemKind) -> Item {
        Item {
            text: text.to_owned(),
            span: Span::new(0, 0),
            kind,
        }
    }

    #[test]
    fn variables_are_named() {
        assert_eq!(
            variables(&item("home/${aws:username}/*", ItemKind::String)).as_deref(),
            Some("`${aws:username}` is")
        );
        assert_eq!(
            variables(&item(
                "${aws:PrincipalTag/team, 'x'}-${aws:userid}",
                ItemKind::String
            ))
            .as_deref(),
            Some("`${aws:PrincipalTag/team}` and `${aws:userid}` are")
        );
        assert_eq!(
            variables(&item("a${*}b", ItemKind::String)).as_deref(),
            Some("`${*}` is")
        );
        assert_eq!(variables(&item("${aws:username", ItemKind::String)), None);
        assert_eq!(variables(&item("plain", ItemKind::String)), None);
        assert_eq!(variables(&item("${aws:username}", ItemKind::Unknown)), None);
    }
}
