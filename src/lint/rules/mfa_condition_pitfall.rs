//! `mfa-condition-pitfall`: conditions on `aws:MultiFactorAuthPresent`
//! that do not do what they read as. The key is missing from requests
//! signed with long-term access keys and `false` in temporary credentials
//! obtained without MFA, so a test must handle both; and a principal that
//! never signs in with MFA never satisfies an `Allow` that requires it.

use super::helpers::{actions_cover, is_mfa_present_key};
use crate::declare_rule;
use crate::eval::{ContextValue, RequestContext};
use crate::inventory::{Inventory, PolicyOwner, Role, User};
use crate::lint::{DocumentContext, FindingType, InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PolicyKind, PrincipalSpec, PrincipalType, Statement};

declare_rule! {
    /// Evaluates each MFA condition with the key missing, `false` and
    /// `true`, as the three kinds of credentials present it.
    MfaConditionPitfall {
        id: "mfa-condition-pitfall",
        finding_type: Security,
        category: Permissions,
        summary: "an `aws:MultiFactorAuthPresent` condition lets requests without MFA through, or can never hold",
        security_severity: 6.0,
    }
}

/// How a statement's MFA condition answers each kind of credentials.
#[derive(Debug, Clone, Copy)]
struct Answers {
    /// Long-term access keys: the key is missing.
    absent: bool,
    /// Temporary credentials obtained without MFA: `false`.
    without: bool,
    /// Credentials obtained with MFA: `true`.
    with: bool,
}

/// The answers, when the statement tests the MFA key and compiles.
fn answers(doc: &DocumentContext<'_>, statement: &Statement) -> Option<Answers> {
    let tests_mfa = statement.condition.as_ref().is_some_and(|c| {
        c.operators
            .iter()
            .flat_map(|b| &b.entries)
            .any(|e| is_mfa_present_key(&e.key.value))
    });
    if !tests_mfa {
        return None;
    }
    let condition = doc.compiled(statement)?.condition()?;
    let holds = |value: Option<&str>| {
        let mut context = RequestContext::new();
        if let Some(v) = value {
            context.insert(
                "aws:MultiFactorAuthPresent",
                ContextValue::Single(v.to_owned()),
            );
        }
        condition.evaluate_keys(&context, is_mfa_present_key).holds
    };
    Some(Answers {
        absent: holds(None),
        without: holds(Some("false")),
        with: holds(Some("true")),
    })
}

/// The MFA key entry of the statement's condition, for the location.
fn mfa_entry(statement: &Statement) -> Option<(crate::source::Span, String)> {
    let condition = statement.condition.as_ref()?;
    condition.operators.iter().find_map(|block| {
        block
            .entries
            .iter()
            .find(|e| is_mfa_present_key(&e.key.value))
            .map(|e| (e.key.span, e.path(block, statement)))
    })
}

impl Rule for MfaConditionPitfall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(answers) = answers(doc, statement) else {
            return;
        };
        let Some((span, path)) = mfa_entry(statement) else {
            return;
        };
        let label = statement.label();
        let (message, help) = match statement.effect() {
            Some(Effect::Deny) if answers.without && !answers.absent => {
                if covered_by_other_deny(doc, statement, |a| a.absent) {
                    return;
                }
                (
                    format!(
                        "the `Deny` of statement {label} never applies to requests signed with long-term access keys: they carry no `aws:MultiFactorAuthPresent`, and this operator does not match a missing key"
                    ),
                    "use `\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`: it also matches when the key is missing",
                )
            }
            Some(Effect::Deny) if answers.absent && !answers.without => {
                if covered_by_other_deny(doc, statement, |a| a.without) {
                    return;
                }
                (
                    format!(
                        "the `Deny` of statement {label} does not apply to temporary credentials obtained without MFA: they carry `aws:MultiFactorAuthPresent` = `false`, and this condition only matches a missing key"
                    ),
                    "use `\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`: it denies both a missing key and `false`",
                )
            }
            Some(Effect::Allow) if answers.absent => (
                format!(
                    "statement {label} allows requests signed with long-term access keys, which never carry MFA: the condition holds when `aws:MultiFactorAuthPresent` is missing"
                ),
                "use `\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}` (without `IfExists`): it holds only for credentials obtained with MFA",
            ),
            Some(Effect::Allow) if answers.without => (
                format!(
                    "statement {label} allows temporary credentials obtained without MFA: the condition holds when `aws:MultiFactorAuthPresent` is `false`"
                ),
                "use `\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}`: it holds only for credentials obtained with MFA",
            ),
            _ => return,
        };
        doc.finding(&Self::META, message)
            .at(span, path, "tests MFA")
            .help(help)
            .statement(statement)
            .emit(out);
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        for entry in ctx.inventory.policies() {
            if entry.kind != PolicyKind::Identity {
                continue;
            }
            let statements = &entry.document.parsed.policy.statements;
            let mentions_mfa =
                |s: &&Statement| s.effect() == Some(Effect::Allow) && mfa_entry(s).is_some();
            if !statements.iter().any(|s| mentions_mfa(&s)) {
                continue;
            }
            let Some(who) = never_with_mfa(ctx.inventory, entry.owner) else {
                continue;
            };
            let doc = DocumentContext::new(entry.document, entry.kind, ctx.settings);
            for statement in statements.iter().filter(mentions_mfa) {
                let requires_mfa =
                    answers(&doc, statement).is_some_and(|a| a.with && !a.without && !a.absent);
                let Some((span, path)) = mfa_entry(statement) else {
                    continue;
                };
                if !requires_mfa {
                    continue;
                }
                ctx.finding(
                    &Self::META,
                    entry.document,
                    format!(
                        "statement {} applies only to credentials obtained with MFA, which {who} never holds",
                        statement.label()
                    ),
                )
                .finding_type(FindingType::Warning)
                .at(span, path, "requires MFA")
                .help("drop the MFA condition for principals that cannot present MFA (sessions of AWS services, users without an MFA device), or attach the statement only to principals that sign in with MFA")
                .statement(statement)
                .emit(out);
            }
        }
    }
}

/// Whether another `Deny` of the document tests MFA, covers the
/// statement's actions and applies where this one does not.
fn covered_by_other_deny(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    applies: impl Fn(&Answers) -> bool,
) -> bool {
    let Some(actions) = &statement.action else {
        return false;
    };
    doc.doc.parsed.policy.statements.iter().any(|other| {
        other.index != statement.index
            && other.effect() == Some(Effect::Deny)
            && other
                .action
                .as_ref()
                .is_some_and(|a| actions_cover(a, actions))
            && answers(doc, other).is_some_and(|a| applies(&a))
    })
}

/// Who holds the policy, described, when no holder can ever present MFA:
/// a role only AWS services may assume, or a user known to have no MFA
/// device. `None` when some holder might (or nothing is known).
fn never_with_mfa(inventory: &Inventory, owner: PolicyOwner<'_>) -> Option<String> {
    match owner {
        PolicyOwner::Role(role) => service_only(role).then(|| {
            format!(
                "role `{}` (only AWS services may assume it)",
                role.common.name
            )
        }),
        PolicyOwner::User(user) => {
            no_mfa_device(user).then(|| format!("user `{}` (no MFA device)", user.common.name))
        }
        PolicyOwner::ManagedPolicy(policy) => {
            let attaches = |common: &crate::inventory::PrincipalCommon| {
                common
                    .attached_policies
                    .iter()
                    .any(|a| *a.arn == *policy.arn)
            };
            let roles: Vec<&Role> = inventory
                .roles()
                .iter()
                .filter(|r| attaches(&r.common))
                .collect();
            let users: Vec<&User> = inventory
                .users()
                .iter()
                .filter(|u| attaches(&u.common))
                .collect();
            let groups_attach = inventory.groups().iter().any(|g| attaches(&g.common));
            let all = !roles.is_empty() || !users.is_empty();
            (all && !groups_attach
                && roles.iter().all(|r| service_only(r))
                && users.iter().all(|u| no_mfa_device(u)))
            .then(|| "any of the principals it is attached to".to_owned())
        }
        _ => None,
    }
}

/// Whether only AWS services may assume the role: every `Allow` of its
/// trust policy names service principals and nothing else.
fn service_only(role: &Role) -> bool {
    let Some(trust) = &role.trust_policy else {
        return false;
    };
    let allows: Vec<&Statement> = trust
        .parsed
        .policy
        .statements
        .iter()
        .filter(|s| s.effect() == Some(Effect::Allow))
        .collect();
    !allows.is_empty()
        && allows.iter().all(|s| {
            s.principal.as_ref().is_some_and(|p| {
                !p.negated
                    && matches!(&p.spec, PrincipalSpec::Map(entries)
                        if !entries.is_empty()
                            && entries.iter().all(|e| e.principal_type == PrincipalType::Service))
            })
        })
}

/// Whether the user is known to have no MFA device.
fn no_mfa_device(user: &User) -> bool {
    user.mfa_active == Some(false) && user.mfa_devices.is_empty()
}
