//! `assume-role-any-resource`: an identity policy lets its holder call
//! `sts:AssumeRole` on roles in every account, by `Resource: "*"`, an
//! account wildcard, `NotResource`, or any spelling of the action.
//!
//! The rule runs over the inventory so that its help can list the roles
//! the holder is meant to assume: the roles of the inputs the statement
//! reaches whose trust policy lets the holder in.

use super::helpers::{self, PROBE_ACCOUNTS, PROBE_NAMES, covers_action, is_resource_key};
use crate::catalog;
use crate::declare_rule;
use crate::eval::{ContextValue, Request, RequestContext, RequestInput};
use crate::inventory::{Inventory, PolicyOwner, Role};
use crate::lint::{DocumentContext, InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::wildcard::{has_wildcard, matches};
use crate::policy::{Effect, PolicyKind, PrincipalSpec, PrincipalType, Statement};

declare_rule! {
    /// Probes the statement with role ARNs in two unrelated accounts.
    AssumeRoleAnyResource {
        id: "assume-role-any-resource",
        finding_type: Security,
        category: Permissions,
        summary: "an identity policy allows `sts:AssumeRole` on roles in every account",
        security_severity: 7.5,
    }
}

const ASSUME: &str = "sts:AssumeRole";

/// How many roles the help lists at most.
const LISTED: usize = 10;

impl Rule for AssumeRoleAnyResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        for entry in ctx.inventory.policies() {
            if entry.kind != PolicyKind::Identity {
                continue;
            }
            let statements = &entry.document.parsed.policy.statements;
            // Cheap first: only statements that allow the action at all.
            if !statements.iter().any(may_assume) {
                continue;
            }
            let doc = DocumentContext::new(entry.document, entry.kind, ctx.settings);
            for statement in statements.iter().filter(|s| may_assume(s)) {
                if helpers::grants_everything(&doc, statement) {
                    continue;
                }
                let Some(name) = every_account(&doc, statement) else {
                    continue;
                };
                report(ctx, &doc, entry.owner, statement, &name, out);
            }
        }
    }
}

/// Whether the statement is an `Allow` whose actions cover `sts:AssumeRole`.
fn may_assume(statement: &Statement) -> bool {
    statement.effect() == Some(Effect::Allow)
        && statement
            .action
            .as_ref()
            .is_some_and(|a| covers_action(a, ASSUME))
}

/// Which roles of every account a statement reaches: any, or those whose
/// resource part matches a pattern of its own (`role/XSOARIntegrationRole`).
enum Reach {
    AnyRole,
    Named(String),
}

/// What the statement lets its holder assume in both probe accounts, if
/// anything: roles named as in its own ARNs, then names no policy uses. A
/// condition on the role's account, organization or tags that fails for
/// the probes closes it; so does an unconditional `Deny` of the policy.
fn every_account(doc: &DocumentContext<'_>, statement: &Statement) -> Option<Reach> {
    let resources = statement.resource.as_ref()?;
    // Fast path before the engine: ARNs whose account part holds a literal
    // character cannot name two accounts that share no digit.
    let some_item_spans_accounts = resources.items.iter().any(|i| {
        i.is_unknown()
            || i.text == "*"
            || i.text
                .split(':')
                .nth(4)
                .is_some_and(|account| account.bytes().all(|b| b == b'*' || b == b'?'))
    });
    if !resources.negated && !some_item_spans_accounts {
        return None;
    }
    let role_type = catalog::embedded()
        .ok()?
        .service("iam")?
        .resource_type("role")?;
    let pins: &dyn Fn(&str) -> bool = &is_resource_key;
    let reaches = |part: &str| {
        PROBE_ACCOUNTS.iter().all(|account| {
            let arn = format!("arn:aws:iam::{account}:{part}");
            role_type.matches_arn(&arn)
                && helpers::probe(PROBE_ACCOUNTS[0], ASSUME, &arn, &[])
                    .is_some_and(|r| doc.grants(statement, &r, pins))
        })
    };
    if PROBE_NAMES.iter().all(|n| reaches(&format!("role/{n}"))) {
        return Some(Reach::AnyRole);
    }
    if resources.negated {
        return None;
    }
    resources
        .items
        .iter()
        .filter(|i| !i.is_unknown())
        .filter_map(|i| i.text.splitn(6, ':').nth(5))
        .filter(|part| !part.contains("${"))
        .find(|part| reaches(&part.replace(['*', '?'], "x")))
        .map(|part| Reach::Named(part.to_owned()))
}

fn report(
    ctx: &InventoryContext<'_>,
    doc: &DocumentContext<'_>,
    owner: PolicyOwner<'_>,
    statement: &Statement,
    name: &Reach,
    out: &mut Sink,
) {
    let Some(resources) = &statement.resource else {
        return;
    };
    let (what, example) = match name {
        Reach::AnyRole => (
            "any role in every account".to_owned(),
            "arn:aws:iam::111122223333:role/ROLE_NAME".to_owned(),
        ),
        Reach::Named(part) => (
            format!("`{part}` in every account"),
            format!("arn:aws:iam::111122223333:{part}"),
        ),
    };
    let how = if resources.negated {
        " (`NotResource` leaves out only what it lists)"
    } else {
        ""
    };
    let (roles, more) = intended_roles(ctx.inventory, doc, owner, statement);
    let help = if roles.is_empty() {
        format!(
            "list the ARNs of the roles it must assume in `Resource` (one per account, e.g. `{example}`), or add a condition such as `\"StringEquals\": {{\"aws:ResourceAccount\": [\"111122223333\"]}}` (or `aws:ResourceOrgID`) naming the accounts it may reach"
        )
    } else {
        let listed: Vec<String> = roles.iter().map(|r| format!("\"{r}\"")).collect();
        let more = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        format!(
            "list the roles it must assume instead: \"Resource\": [{}]{more}",
            listed.join(", ")
        )
    };
    let mut finding = doc
        .finding(
            &AssumeRoleAnyResource::META,
            format!(
                "statement {} allows `sts:AssumeRole` on {what}{how}",
                statement.label()
            ),
        )
        .at(
            resources.span,
            resources.path(statement),
            "reaches every account",
        );
    if let Some(actions) = &statement.action {
        finding = finding.at(
            actions.span,
            actions.path(statement),
            "covers `sts:AssumeRole`",
        );
    }
    finding.help(help).statement(statement).emit(out);
}

/// The roles of the inventory the statement reaches whose trust policy
/// lets the policy's holders in (when the policy is a loose file, whose
/// holder is unknown: roles that trust some IAM principal), in inventory
/// order; the first [`LISTED`] ARNs and how many more.
fn intended_roles(
    inventory: &Inventory,
    doc: &DocumentContext<'_>,
    owner: PolicyOwner<'_>,
    statement: &Statement,
) -> (Vec<String>, usize) {
    let holders = holders(inventory, owner);
    let owned = !matches!(
        owner,
        PolicyOwner::File | PolicyOwner::Organization(_) | PolicyOwner::Resource(_)
    );
    let mut found = Vec::new();
    let mut more = 0;
    let resources = statement.resource.as_ref();
    for role in inventory.roles() {
        // Whole-text matching admits at least what the engine's segment
        // matching does: a cheap way to skip most roles.
        let may_reach = resources.is_some_and(|r| {
            r.negated
                || r.items
                    .iter()
                    .any(|i| i.is_unknown() || matches(&i.text, &role.common.arn))
        });
        if !may_reach {
            continue;
        }
        let reached =
            helpers::probe(PROBE_ACCOUNTS[0], ASSUME, &role.common.arn, &[]).is_some_and(|r| {
                doc.compiled(statement)
                    .is_some_and(|s| s.matches_elements(&r))
            });
        if !reached || holders.iter().any(|h| h.arn == role.common.arn) {
            continue;
        }
        let trusted = if owned {
            holders.iter().any(|h| trusts(doc, role, h))
        } else {
            trusts_some_iam_principal(role)
        };
        if trusted {
            if found.len() < LISTED {
                found.push(role.common.arn.clone());
            } else {
                more += 1;
            }
        }
    }
    (found, more)
}

/// A principal that holds a policy: its ARN, and for a role the ARN of a
/// session of it (what calls `sts:AssumeRole`).
struct Holder {
    arn: String,
    caller: String,
}

fn holders(inventory: &Inventory, owner: PolicyOwner<'_>) -> Vec<Holder> {
    let user = |arn: &str| Holder {
        arn: arn.to_owned(),
        caller: arn.to_owned(),
    };
    let role = |role: &Role| Holder {
        arn: role.common.arn.clone(),
        caller: format!(
            "arn:aws:sts::{}:assumed-role/{}/rolecall",
            role.common.account_id, role.common.name
        ),
    };
    match owner {
        PolicyOwner::User(u) => vec![user(&u.common.arn)],
        PolicyOwner::Role(r) => vec![role(r)],
        PolicyOwner::Group(g) => inventory
            .users()
            .iter()
            .filter(|u| {
                inventory
                    .user_groups(u)
                    .any(|ug| ug.common.arn == g.common.arn)
            })
            .map(|u| user(&u.common.arn))
            .collect(),
        PolicyOwner::ManagedPolicy(m) => {
            let attaches = |common: &crate::inventory::PrincipalCommon| {
                common.attached_policies.iter().any(|a| *a.arn == *m.arn)
            };
            let users = inventory.users().iter().filter(|u| {
                attaches(&u.common) || inventory.user_groups(u).any(|g| attaches(&g.common))
            });
            let roles = inventory.roles().iter().filter(|r| attaches(&r.common));
            users
                .map(|u| user(&u.common.arn))
                .chain(roles.map(role))
                .collect()
        }
        PolicyOwner::Organization(_) | PolicyOwner::Resource(_) | PolicyOwner::File => Vec::new(),
    }
}

/// Whether the role's trust policy has an `Allow` for `sts:AssumeRole`
/// naming the holder (directly, by its role, or by its account); trust
/// conditions such as an external id are the holder's to meet.
fn trusts(doc: &DocumentContext<'_>, role: &Role, holder: &Holder) -> bool {
    let Some(trust) = &role.trust_policy else {
        return false;
    };
    let mut context = RequestContext::new();
    if holder.caller != holder.arn {
        context.insert("aws:PrincipalArn", ContextValue::Single(holder.arn.clone()));
    }
    let Ok(request) = Request::new(
        RequestInput {
            principal: &holder.caller,
            action: ASSUME,
            resource: &role.common.arn,
            resource_account: None,
        },
        context,
    ) else {
        return false;
    };
    let trust = DocumentContext::new(trust, PolicyKind::Trust, doc.settings);
    trust
        .doc
        .parsed
        .policy
        .statements
        .iter()
        .filter_map(|s| trust.compiled(s))
        .any(|s| helpers::allows(s, &request, &|_| false))
}

/// Whether the role's trust policy allows some named IAM principal (not
/// `*`, not only services or identity providers).
fn trusts_some_iam_principal(role: &Role) -> bool {
    let Some(trust) = &role.trust_policy else {
        return false;
    };
    trust.parsed.policy.statements.iter().any(|s| {
        s.effect() == Some(Effect::Allow)
            && s.principal.as_ref().is_some_and(|p| {
                !p.negated
                    && matches!(&p.spec, PrincipalSpec::Map(entries) if entries.iter().any(|e| {
                        e.principal_type == PrincipalType::Aws
                            && e.items.iter().any(|i| !i.is_unknown() && !has_wildcard(&i.text))
                    }))
            })
    })
}
