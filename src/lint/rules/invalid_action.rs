//! `invalid-action`: an `Action` / `NotAction` entry that names no real
//! action: an unknown service prefix, an unknown action, or a wildcard that
//! matches nothing.

use crate::catalog::{self, Catalog};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::wildcard::has_wildcard;
use crate::policy::{ItemKind, Statement};

declare_rule! {
    /// Checks every `Action` and `NotAction` entry against the service catalog.
    InvalidAction {
        id: "invalid-action",
        finding_type: Error,
        category: Validity,
        summary: "an `Action` or `NotAction` entry names an unknown service or action, or is a wildcard that matches no action",
    }
}

impl Rule for InvalidAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(element) = &statement.action else {
            return;
        };
        let Ok(catalog) = catalog::embedded() else {
            return;
        };
        for (i, item) in element.items.iter().enumerate() {
            // Numbers and booleans are the grammar's concern; unknown values
            // cannot be checked.
            if item.kind != ItemKind::String {
                continue;
            }
            // The common case, shared with the other catalog rules: the
            // entry matches some action (`*` alone always does).
            let all_stars = !item.text.is_empty() && item.text.bytes().all(|c| c == b'*');
            if all_stars || !doc.expansion(statement, i).is_empty() {
                continue;
            }
            let Some(problem) = diagnose(catalog, &item.text) else {
                continue;
            };
            let suggestion = catalog.suggest_action(&item.text);
            let help = match (&problem, &suggestion) {
                (_, Some(real)) => format!("did you mean `{real}`?"),
                (Problem::NoPrefix, None) => {
                    "write actions as `service:Action`, e.g. `s3:GetObject`".to_owned()
                }
                (_, None) => format!(
                    "use an action from the Service Authorization Reference; if it is newer than rolecall's catalog ({}), update rolecall",
                    catalog.info()
                ),
            };
            let effect = if element.negated {
                "so this `NotAction` entry excludes nothing"
            } else {
                "so this entry grants or denies nothing"
            };
            doc.finding(
                &Self::META,
                format!("{}, {effect}", problem.message(&item.text)),
            )
            .at(item.span, element.item_path(statement, i), problem.label())
            .help(help)
            .statement(statement)
            .emit(out);
        }
    }
}

/// What is wrong with one entry.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// No `service:` part (and not `*`).
    NoPrefix,
    /// The service prefix is unknown.
    UnknownService(String),
    /// The service exists but has no such action.
    UnknownAction(&'static str),
    /// A wildcard pattern that matches no action.
    NoMatch,
}

impl Problem {
    fn message(&self, text: &str) -> String {
        match self {
            Self::NoPrefix => format!("`{text}` has no service prefix"),
            Self::UnknownService(prefix) => {
                format!("`{text}` names no AWS service: `{prefix}` is not a service prefix")
            }
            Self::UnknownAction(service) => format!("`{text}` is not an action of {service}"),
            Self::NoMatch => format!("`{text}` matches no action"),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::NoPrefix => "no service prefix",
            Self::UnknownService(_) => "unknown service",
            Self::UnknownAction(_) => "unknown action",
            Self::NoMatch => "matches nothing",
        }
    }
}

/// What is wrong with the entry `text`, if anything.
fn diagnose(catalog: &Catalog, text: &str) -> Option<Problem> {
    if !text.is_empty() && text.bytes().all(|c| c == b'*') {
        return None;
    }
    let Some((prefix, name)) = text.split_once(':') else {
        return if !has_wildcard(text) {
            Some(Problem::NoPrefix)
        } else if catalog.matches_any(text) {
            None
        } else {
            Some(Problem::NoMatch)
        };
    };
    if !has_wildcard(prefix) {
        let Some(service) = catalog.service(prefix) else {
            return Some(Problem::UnknownService(prefix.to_owned()));
        };
        if !has_wildcard(name) {
            return match service.action(name) {
                Some(_) => None,
                None => Some(Problem::UnknownAction(service.name())),
            };
        }
    }
    (!catalog.matches_any(text)).then_some(Problem::NoMatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Action names: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    #[test]
    fn diagnoses() {
        let c = catalog::embedded().unwrap();
        for ok in [
            "*",
            "s3:GetObject",
            "S3:getobject",
            "s3:Get*",
            "iam:Pass*",
            "*:Get*",
            "s3*",
        ] {
            assert_eq!(diagnose(c, ok), None, "{ok}");
        }
        assert_eq!(diagnose(c, "GetObject"), Some(Problem::NoPrefix));
        assert_eq!(diagnose(c, ""), Some(Problem::NoPrefix));
        assert_eq!(
            diagnose(c, "s4:GetObject"),
            Some(Problem::UnknownService("s4".into()))
        );
        assert_eq!(
            diagnose(c, "s3:GetObjekt"),
            Some(Problem::UnknownAction("Amazon S3"))
        );
        assert_eq!(diagnose(c, "s3:Get*Objekt"), Some(Problem::NoMatch));
        assert_eq!(diagnose(c, "nosuch*:Get"), Some(Problem::NoMatch));
        assert_eq!(diagnose(c, "Get*"), Some(Problem::NoMatch));
    }
}
