//! `unknown-condition-key`: a condition key that is neither a global key
//! nor one the statement's actions or their resource types support.
//!
//! Which keys apply to which action comes from the Service Authorization
//! Reference (the catalog); the global keys from "AWS global condition
//! context keys". Keys named after an OpenID Connect provider
//! (`token.actions.githubusercontent.com:sub`) are the provider's claims,
//! which no catalog lists: they are left alone.

use super::helpers::entries;
use crate::catalog::{self, Action, Catalog, KeyOrigin};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{ItemKind, Statement};

declare_rule! {
    /// Checks every condition key of a statement against its actions.
    UnknownConditionKey {
        id: "unknown-condition-key",
        finding_type: Error,
        category: Validity,
        summary: "a condition key that is not global and that none of the statement's actions or resource types supports",
    }
}

impl Rule for UnknownConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(condition) = &statement.condition else {
            return;
        };
        let Ok(catalog) = catalog::embedded() else {
            return;
        };
        let scope = Scope::of(doc, statement);
        for operator in &condition.operators {
            for entry in &operator.entries {
                let name = entry.key.value.as_str();
                let Some((message, label, help)) = check(catalog, &scope, name) else {
                    continue;
                };
                doc.finding(&Self::META, message)
                    .at(entry.key.span, entry.path(operator, statement), label)
                    .help(help)
                    .statement(statement)
                    .emit(out);
            }
        }
    }
}

/// Which actions the statement's keys must suit.
enum Scope<'c> {
    /// `NotAction`, `*`, an unknown entry, or no `Action`: any action may
    /// be meant, so only whether the key exists at all is checked.
    Any,
    /// The actions the `Action` entries match (entries matching nothing
    /// are `invalid-action`'s finding and add nothing).
    Actions(Vec<Action<'c>>),
}

impl Scope<'static> {
    fn of(doc: &DocumentContext<'_>, statement: &Statement) -> Self {
        let Some(element) = statement.action.as_ref().filter(|a| !a.negated) else {
            return Self::Any;
        };
        let mut actions = Vec::new();
        for (i, item) in element.items.iter().enumerate() {
            if item.kind != ItemKind::String || item.text.bytes().all(|c| c == b'*') {
                return Self::Any;
            }
            actions.extend_from_slice(&doc.expansion(statement, i));
        }
        if actions.is_empty() {
            return Self::Any;
        }
        actions.sort();
        actions.dedup();
        Self::Actions(actions)
    }
}

/// The message, label and help for a key that does not fit, if it does not.
fn check(catalog: &Catalog, scope: &Scope<'_>, name: &str) -> Option<(String, String, String)> {
    let key = entries::condition_key(name);
    if key.is_some_and(|k| k.origin == KeyOrigin::Global) {
        return None;
    }
    let Some(key) = key else {
        if is_provider_claim(name) {
            return None;
        }
        let help = match catalog.suggest_condition_key(name) {
            Some(near) => format!("did you mean `{}`?", near.name),
            None => "use a global key or a key the actions support (see the Service Authorization Reference)".to_owned(),
        };
        return Some((
            format!(
                "`{name}` is not a condition key of any AWS service, so it is never in the request context"
            ),
            "unknown key".to_owned(),
            help,
        ));
    };
    let Scope::Actions(actions) = scope else {
        return None;
    };
    if supported(actions, name) {
        return None;
    }
    let shown: Vec<String> = actions.iter().take(3).map(|a| format!("`{a}`")).collect();
    let more = if actions.len() > 3 {
        format!(" and {} more", actions.len() - 3)
    } else {
        String::new()
    };
    Some((
        format!(
            "`{name}` does not apply to {}{more}, so it is never in their request context",
            shown.join(", ")
        ),
        "not supported by these actions".to_owned(),
        format!(
            "`{}` applies to actions of the service that defines it; use a key these actions list in the Service Authorization Reference, or a global key",
            key.name
        ),
    ))
}

/// Whether one of the actions (in catalog order) supports the key. Only
/// services that define the key can list it, so the actions of others are
/// skipped.
fn supported(actions: &[Action<'_>], name: &str) -> bool {
    let mut checked_service = None;
    let mut service_defines = false;
    for action in actions {
        let service = action.service();
        if checked_service != Some(service) {
            checked_service = Some(service);
            service_defines = service.condition_key(name).is_some();
        }
        if service_defines && action.supports_condition_key(name) {
            return true;
        }
    }
    false
}

/// Whether the key is a claim of an identity provider named by its URL
/// (`token.actions.githubusercontent.com:sub`,
/// `oidc.eks.us-east-1.amazonaws.com/id/X:aud`): such keys are as many as
/// the providers, and STS fills them in from the token.
/// See "Available keys for AWS OIDC federation",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>.
fn is_provider_claim(name: &str) -> bool {
    name.rsplit_once(':')
        .is_some_and(|(provider, _)| provider.contains(['.', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope_of(actions: &[&str]) -> Scope<'static> {
        let c = catalog::embedded().unwrap();
        Scope::Actions(actions.iter().map(|a| c.action(a).unwrap()).collect())
    }

    #[test]
    fn keys_against_actions() {
        let c = catalog::embedded().unwrap();
        let assume = scope_of(&["sts:AssumeRole"]);
        assert!(check(c, &assume, "sts:ExternalId").is_none());
        assert!(check(c, &assume, "aws:SourceIp").is_none());
        assert!(check(c, &assume, "AWS:PrincipalTag/team").is_none());
        assert!(check(c, &assume, "s3:prefix").is_some());
        let get = scope_of(&["s3:GetObject", "s3:ListBucket"]);
        assert!(check(c, &get, "s3:prefix").is_none());
        assert!(check(c, &get, "s3:ExistingObjectTag/env").is_none());
        assert!(check(c, &get, "iam:PassedToService").is_some());
        let unknown = check(c, &Scope::Any, "aws:SourceIP4").unwrap();
        assert!(unknown.2.contains("aws:SourceIp"), "{unknown:?}");
        assert!(check(c, &Scope::Any, "iam:PassedToService").is_none());
        assert!(check(c, &assume, "token.actions.githubusercontent.com:sub").is_none());
        assert!(check(c, &assume, "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud").is_none());
    }
}
