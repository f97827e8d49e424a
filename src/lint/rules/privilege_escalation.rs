//! `privilege-escalation`: an identity policy grants one of the known
//! permission sets that let its holder raise its own privileges (Rhino
//! Security Labs' "AWS IAM privilege escalation methods").
//!
//! Each method is a list of steps (an action on a kind of target); the
//! engine is asked about probe resources built from the catalog's ARN
//! format of each resource type the action requires, in unrelated accounts
//! and in each account and region the policy names. A step that creates
//! what it acts on (a function, an instance, a stack) only needs one such
//! resource the holder can name, so it is also asked about the resources
//! the policy's own `Resource` patterns name.

use super::helpers::{
    PROBE_ACCOUNTS, PROBE_CALLER, PROBE_NAMES, arn_of_format, covers_action,
    document_grants_everything, is_passed_to_service_key, is_resource_key, literal_scopes,
    named_resources, probe, quoted_list,
};
use crate::catalog;
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PolicyKind, Statement};

declare_rule! {
    /// Checks the policy against each escalation method, step by step.
    PrivilegeEscalation {
        id: "privilege-escalation",
        finding_type: Security,
        category: Permissions,
        summary: "an identity policy grants a permission set known to let its holder raise its own privileges",
        security_severity: 8.5,
    }
}

/// Which resources of a step's action must be reachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Every resource of each type the action requires (or `*` for an
    /// action without resource types).
    Every,
    /// The caller's own user, or every user.
    SelfOrEvery,
    /// Some resource of each type the action requires that the holder can
    /// name: one the policy's `Resource` patterns name, or any. For steps
    /// that create the resource they act on (or act on one just created),
    /// where scoping the resource does not scope the escalation. Steps of
    /// a method that need a resource of the same type get the same one
    /// (the function created is the function invoked).
    Named,
}

/// One action of a method.
#[derive(Debug)]
struct Step {
    action: &'static str,
    target: Target,
    /// For `iam:PassRole`: the service the role is passed to.
    passed_to: Option<&'static str>,
}

/// A known escalation method.
#[derive(Debug)]
struct Method {
    /// Its number in Rhino Security Labs' list (the README lists them).
    number: u8,
    /// What the holder can do, for the message.
    what: &'static str,
    /// How to close it, for the help.
    fix: &'static str,
    steps: &'static [Step],
}

const fn every(action: &'static str) -> Step {
    Step {
        action,
        target: Target::Every,
        passed_to: None,
    }
}

const fn pass_to(service: &'static str) -> Step {
    Step {
        action: "iam:PassRole",
        target: Target::Every,
        passed_to: Some(service),
    }
}

const fn named(action: &'static str) -> Step {
    Step {
        action,
        target: Target::Named,
        passed_to: None,
    }
}

const fn self_or_every(action: &'static str) -> Step {
    Step {
        action,
        target: Target::SelfOrEvery,
        passed_to: None,
    }
}

/// Rhino Security Labs' methods, in their order.
const METHODS: &[Method] = &[
    Method {
        number: 1,
        what: "`iam:CreatePolicyVersion` on every managed policy: write a new default version of a policy it holds",
        fix: "limit `iam:CreatePolicyVersion` to policies no principal of yours depends on",
        steps: &[every("iam:CreatePolicyVersion")],
    },
    Method {
        number: 2,
        what: "`iam:SetDefaultPolicyVersion` on every managed policy: switch a policy it holds to a more permissive old version",
        fix: "limit `iam:SetDefaultPolicyVersion` to named policies and delete unused versions",
        steps: &[every("iam:SetDefaultPolicyVersion")],
    },
    Method {
        number: 3,
        what: "`iam:PassRole` on every role with `ec2:RunInstances`: launch an instance with any instance profile and use its role",
        fix: "limit `iam:PassRole` to the instance roles it launches, with `iam:PassedToService` = `ec2.amazonaws.com`",
        steps: &[pass_to("ec2.amazonaws.com"), named("ec2:RunInstances")],
    },
    Method {
        number: 4,
        what: "`iam:CreateAccessKey` on every user: create keys for another user",
        fix: "limit `iam:CreateAccessKey` to `arn:aws:iam::ACCOUNT:user/${aws:username}`",
        steps: &[every("iam:CreateAccessKey")],
    },
    Method {
        number: 5,
        what: "`iam:CreateLoginProfile` on every user: set a console password for another user",
        fix: "limit `iam:CreateLoginProfile` to `arn:aws:iam::ACCOUNT:user/${aws:username}`",
        steps: &[every("iam:CreateLoginProfile")],
    },
    Method {
        number: 6,
        what: "`iam:UpdateLoginProfile` on every user: change another user's console password",
        fix: "limit `iam:UpdateLoginProfile` to `arn:aws:iam::ACCOUNT:user/${aws:username}`",
        steps: &[every("iam:UpdateLoginProfile")],
    },
    Method {
        number: 7,
        what: "`iam:AttachUserPolicy` on its own user: attach `AdministratorAccess` to itself",
        fix: "remove `iam:AttachUserPolicy`, or limit it to other users with a condition on `iam:PolicyARN`",
        steps: &[self_or_every("iam:AttachUserPolicy")],
    },
    Method {
        number: 8,
        what: "`iam:AttachGroupPolicy` on every group: attach any policy to a group it is in",
        fix: "limit `iam:AttachGroupPolicy` to named groups with a condition on `iam:PolicyARN`",
        steps: &[every("iam:AttachGroupPolicy")],
    },
    Method {
        number: 9,
        what: "`iam:AttachRolePolicy` on every role: attach any policy to a role it can assume",
        fix: "limit `iam:AttachRolePolicy` to named roles with a condition on `iam:PolicyARN`",
        steps: &[every("iam:AttachRolePolicy")],
    },
    Method {
        number: 10,
        what: "`iam:PutUserPolicy` on its own user: write itself an inline policy allowing everything",
        fix: "remove `iam:PutUserPolicy` from principals that must not grant themselves permissions",
        steps: &[self_or_every("iam:PutUserPolicy")],
    },
    Method {
        number: 11,
        what: "`iam:PutGroupPolicy` on every group: write an inline policy for a group it is in",
        fix: "limit `iam:PutGroupPolicy` to groups the holder is not a member of",
        steps: &[every("iam:PutGroupPolicy")],
    },
    Method {
        number: 12,
        what: "`iam:PutRolePolicy` on every role: write an inline policy for a role it can assume",
        fix: "limit `iam:PutRolePolicy` to named roles the holder cannot assume",
        steps: &[every("iam:PutRolePolicy")],
    },
    Method {
        number: 13,
        what: "`iam:AddUserToGroup` on every group: join the most privileged group",
        fix: "limit `iam:AddUserToGroup` to named groups",
        steps: &[every("iam:AddUserToGroup")],
    },
    Method {
        number: 14,
        what: "`iam:UpdateAssumeRolePolicy` with `sts:AssumeRole` on every role: make any role trust it, then assume it",
        fix: "limit `iam:UpdateAssumeRolePolicy` to named roles and `sts:AssumeRole` to the roles it must assume",
        steps: &[every("iam:UpdateAssumeRolePolicy"), every("sts:AssumeRole")],
    },
    Method {
        number: 15,
        what: "`iam:PassRole` with `lambda:CreateFunction` and `lambda:InvokeFunction` on a function it may create: run code as any Lambda-trusting role",
        fix: "limit `iam:PassRole` to the functions' execution roles, with `iam:PassedToService` = `lambda.amazonaws.com` (limiting the functions it may create does not close this)",
        steps: &[
            pass_to("lambda.amazonaws.com"),
            named("lambda:CreateFunction"),
            named("lambda:InvokeFunction"),
        ],
    },
    Method {
        number: 16,
        what: "`iam:PassRole` with `lambda:CreateFunction` on a function it may create and `lambda:CreateEventSourceMapping`: run code as any Lambda-trusting role from an event source",
        fix: "limit `iam:PassRole` to the functions' execution roles, with `iam:PassedToService` = `lambda.amazonaws.com` (limiting the functions it may create does not close this)",
        steps: &[
            pass_to("lambda.amazonaws.com"),
            named("lambda:CreateFunction"),
            named("lambda:CreateEventSourceMapping"),
        ],
    },
    Method {
        number: 17,
        what: "`lambda:UpdateFunctionCode` on every function: replace the code of a function whose role is more privileged",
        fix: "limit `lambda:UpdateFunctionCode` to the functions the holder owns",
        steps: &[every("lambda:UpdateFunctionCode")],
    },
    Method {
        number: 18,
        what: "`iam:PassRole` with `glue:CreateDevEndpoint`: open a Glue development endpoint with any Glue-trusting role",
        fix: "limit `iam:PassRole` to the Glue roles, with `iam:PassedToService` = `glue.amazonaws.com`",
        steps: &[
            pass_to("glue.amazonaws.com"),
            named("glue:CreateDevEndpoint"),
        ],
    },
    Method {
        number: 19,
        what: "`glue:UpdateDevEndpoint` on every development endpoint: add its own SSH key to an endpoint and use its role",
        fix: "limit `glue:UpdateDevEndpoint` to the endpoints the holder owns",
        steps: &[every("glue:UpdateDevEndpoint")],
    },
    Method {
        number: 20,
        what: "`iam:PassRole` with `cloudformation:CreateStack`: have CloudFormation create resources as any role it trusts",
        fix: "limit `iam:PassRole` to the stack service roles, with `iam:PassedToService` = `cloudformation.amazonaws.com`",
        steps: &[
            pass_to("cloudformation.amazonaws.com"),
            named("cloudformation:CreateStack"),
        ],
    },
    Method {
        number: 21,
        what: "`iam:PassRole` with `datapipeline:CreatePipeline` and `datapipeline:PutPipelineDefinition`: run commands as any Data Pipeline role",
        fix: "limit `iam:PassRole` to the pipeline roles, with `iam:PassedToService` = `datapipeline.amazonaws.com`",
        steps: &[
            pass_to("datapipeline.amazonaws.com"),
            named("datapipeline:CreatePipeline"),
            named("datapipeline:PutPipelineDefinition"),
        ],
    },
];

/// The services the methods use: a document that allows nothing of them
/// is skipped before any matching.
const SERVICES: [&str; 7] = [
    "iam",
    "sts",
    "ec2",
    "lambda",
    "glue",
    "cloudformation",
    "datapipeline",
];

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        if doc.kind != PolicyKind::Identity {
            return;
        }
        let statements = &doc.doc.parsed.policy.statements;
        let allows: Vec<&Statement> = statements
            .iter()
            .filter(|s| s.effect() == Some(Effect::Allow) && may_touch_services(s))
            .collect();
        if allows.is_empty() || document_grants_everything(doc) {
            return;
        }
        // Methods whose every action some Allow statement covers.
        let candidates: Vec<&Method> = METHODS
            .iter()
            .filter(|m| {
                m.steps.iter().all(|step| {
                    allows.iter().any(|s| {
                        s.action
                            .as_ref()
                            .is_some_and(|a| covers_action(a, step.action))
                    })
                })
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        let scopes = scopes(doc);
        let mut found: Vec<(&Method, Vec<&Statement>)> = Vec::new();
        for method in candidates {
            let Some(probes) = method
                .steps
                .iter()
                .map(StepProbe::new)
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            // Probes of steps whose ARNs name no region are the same in
            // every region: each account is tried once for them.
            let regional = probes.iter().any(StepProbe::is_regional);
            let mut tried: Vec<(&str, &str)> = Vec::new();
            let granted = scopes.iter().find_map(|(account, region)| {
                let scope = (
                    account.as_str(),
                    if regional { region.as_str() } else { "" },
                );
                if tried.contains(&scope) {
                    return None;
                }
                tried.push(scope);
                granting(doc, &allows, &probes, account, region)
            });
            if let Some(statements) = granted {
                found.push((method, statements));
            }
        }
        if found.is_empty() {
            return;
        }
        report(doc, &found, out);
    }
}

/// Whether a statement's actions may reach a service the methods use.
fn may_touch_services(statement: &Statement) -> bool {
    statement.action.as_ref().is_some_and(|list| {
        list.negated
            || list.items.iter().any(|item| {
                let service = item.text.split(':').next().unwrap_or_default();
                service.contains(['*', '?'])
                    || SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service))
            })
    })
}

/// Where to look: a probe account (the policy reaches every account), and
/// each account and region its ARNs name.
fn scopes(doc: &DocumentContext<'_>) -> Vec<(String, String)> {
    let mut accounts = vec![PROBE_ACCOUNTS[0].to_owned()];
    let mut regions = vec!["us-east-1".to_owned()];
    for statement in &doc.doc.parsed.policy.statements {
        if let Some(resources) = &statement.resource {
            let (a, r) = literal_scopes(resources);
            accounts.extend(a.into_iter().map(str::to_owned));
            regions.extend(r.into_iter().map(str::to_owned));
        }
    }
    accounts.sort();
    accounts.dedup();
    regions.sort();
    regions.dedup();
    accounts
        .iter()
        .flat_map(|a| regions.iter().map(move |r| (a.clone(), r.clone())))
        .collect()
}

/// The statements that grant each step (its probes) in this scope, or
/// `None` if a step is not granted.
fn granting<'s>(
    doc: &DocumentContext<'_>,
    allows: &[&'s Statement],
    probes: &[StepProbe<'_>],
    account: &str,
    region: &str,
) -> Option<Vec<&'s Statement>> {
    // The steps on every resource first: their probes are fewer.
    let others = probes
        .iter()
        .map(|probe| match probe.step.target {
            Target::Named => Some(None),
            Target::Every | Target::SelfOrEvery => {
                probe.granted_by(doc, allows, account, region).map(Some)
            }
        })
        .collect::<Option<Vec<_>>>()?;
    let named = named_grants(doc, allows, probes, account, region)?;
    others
        .into_iter()
        .zip(named)
        .map(|(other, named)| other.or(named))
        .collect()
}

/// The statements granting the [`Target::Named`] steps in this scope, by
/// step (`None` for the other steps), or `None` if one is not granted.
/// For each resource type these steps require, one resource of the type
/// must be granted to every step that requires it: an every-resource
/// probe or a resource a `Resource` pattern of a statement covering one
/// of those steps names.
fn named_grants<'s>(
    doc: &DocumentContext<'_>,
    allows: &[&'s Statement],
    probes: &[StepProbe<'_>],
    account: &str,
    region: &str,
) -> Option<Vec<Option<&'s Statement>>> {
    let mut granted: Vec<Option<&'s Statement>> = vec![None; probes.len()];
    let named: Vec<usize> = (0..probes.len())
        .filter(|&i| probes[i].step.target == Target::Named)
        .collect();
    let mut formats: Vec<&str> = Vec::new();
    for &i in &named {
        if probes[i].formats.is_empty() {
            granted[i] = Some(probes[i].granting(doc, allows, account, "*")?);
        }
        formats.extend(&probes[i].formats);
    }
    formats.sort_unstable();
    formats.dedup();
    for format in formats {
        let users: Vec<usize> = named
            .iter()
            .copied()
            .filter(|&i| probes[i].formats.contains(&format))
            .collect();
        let mut candidates: Vec<String> = PROBE_NAMES
            .iter()
            .map(|name| arn_of_format(format, region, account, name))
            .collect();
        for statement in allows {
            let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
                continue;
            };
            if users
                .iter()
                .any(|&i| covers_action(actions, probes[i].step.action))
            {
                candidates.extend(named_resources(resources, format, account, region));
            }
        }
        let chosen = candidates.iter().find_map(|resource| {
            users
                .iter()
                .map(|&i| probes[i].granting(doc, allows, account, resource))
                .collect::<Option<Vec<_>>>()
        })?;
        for (&i, statement) in users.iter().zip(chosen) {
            if probes[i].formats.first() == Some(&format) {
                granted[i] = Some(statement);
            }
        }
    }
    Some(granted)
}

/// How one step is probed: its action, the context a passed role carries,
/// and the ARN formats of the resource types a request names.
struct StepProbe<'a> {
    step: &'a Step,
    context: Vec<(&'static str, &'static str)>,
    formats: Vec<&'static str>,
}

impl<'a> StepProbe<'a> {
    fn new(step: &'a Step) -> Option<Self> {
        let catalog = catalog::embedded().ok()?;
        let action = catalog.action(step.action)?;
        let context = step
            .passed_to
            .map(|service| vec![("iam:PassedToService", service)])
            .unwrap_or_default();
        let required: Vec<_> = action
            .resource_types()
            .filter(|r| r.required)
            .map(|r| r.resource_type.arn_format())
            .collect();
        let formats = if required.is_empty() {
            action
                .resource_types()
                .map(|r| r.resource_type.arn_format())
                .take(1)
                .collect()
        } else {
            required
        };
        Some(Self {
            step,
            context,
            formats,
        })
    }

    /// Whether the probe ARNs depend on the region.
    fn is_regional(&self) -> bool {
        self.formats.iter().any(|f| f.contains("${Region}"))
    }

    /// The first statement granting the step in this scope: every name
    /// (both probe names, every request granted), else for a
    /// [`Target::SelfOrEvery`] step the caller's own name. Requests are
    /// built one at a time and the first refused one ends its set.
    fn granted_by<'s>(
        &self,
        doc: &DocumentContext<'_>,
        allows: &[&'s Statement],
        account: &str,
        region: &str,
    ) -> Option<&'s Statement> {
        self.granted_for(doc, allows, account, region, &PROBE_NAMES)
            .or_else(|| {
                (self.step.target == Target::SelfOrEvery)
                    .then(|| self.granted_for(doc, allows, account, region, &[PROBE_CALLER]))
                    .flatten()
            })
    }

    /// The first statement granting the step on every one of `names`, when
    /// some statement grants each of their requests.
    fn granted_for<'s>(
        &self,
        doc: &DocumentContext<'_>,
        allows: &[&'s Statement],
        account: &str,
        region: &str,
        names: &[&str],
    ) -> Option<&'s Statement> {
        let granting = |resource: &str| self.granting(doc, allows, account, resource);
        if self.formats.is_empty() {
            return granting("*");
        }
        let mut first = None;
        for name in names {
            for format in &self.formats {
                let s = granting(&arn_of_format(format, region, account, name))?;
                first.get_or_insert(s);
            }
        }
        first
    }

    /// The first statement granting the step on `resource` to the probe
    /// caller of `account`, unless a `Deny` of the document surely takes
    /// it away; conditions count only on the keys that describe the
    /// resource or the service a role is passed to.
    fn granting<'s>(
        &self,
        doc: &DocumentContext<'_>,
        allows: &[&'s Statement],
        account: &str,
        resource: &str,
    ) -> Option<&'s Statement> {
        let pins = |k: &str| is_resource_key(k) || is_passed_to_service_key(k);
        let request = probe(account, self.step.action, resource, &self.context)?;
        allows
            .iter()
            .copied()
            .find(|s| doc.grants(s, &request, &pins))
    }
}

fn report(doc: &DocumentContext<'_>, found: &[(&Method, Vec<&Statement>)], out: &mut Sink) {
    let message = if found.len() <= 2 {
        let methods: Vec<String> = found
            .iter()
            .map(|(m, _)| format!("{} (method {})", m.what, m.number))
            .collect();
        format!(
            "the policy lets its holder raise its own privileges: {}",
            methods.join("; ")
        )
    } else {
        let methods: Vec<String> = found
            .iter()
            .map(|(m, _)| {
                let actions: Vec<String> =
                    m.steps.iter().map(|s| format!("`{}`", s.action)).collect();
                format!("{} ({})", actions.join(" + "), m.number)
            })
            .collect();
        format!(
            "the policy lets its holder raise its own privileges by {} known methods: {}",
            found.len(),
            methods.join(", ")
        )
    };
    let help = if found.len() <= 2 {
        let mut fixes: Vec<&str> = found.iter().map(|(m, _)| m.fix).collect();
        fixes.dedup();
        fixes.join("; ")
    } else {
        "grant only the IAM actions the principal needs, each on named users, groups, roles or policies (`arn:aws:iam::ACCOUNT:user/${aws:username}` for its own credentials), and `iam:PassRole` only on named roles with `iam:PassedToService`; the rule's documentation explains each method".to_owned()
    };
    // One location per statement element, labelled with every method it
    // takes part in.
    let mut places: Vec<(&Statement, Vec<(&str, u8)>)> = Vec::new();
    for (method, statements) in found {
        for (step, statement) in method.steps.iter().zip(statements) {
            match places.iter_mut().find(|(s, _)| s.span == statement.span) {
                Some((_, uses)) => uses.push((step.action, method.number)),
                None => places.push((statement, vec![(step.action, method.number)])),
            }
        }
    }
    let mut finding = doc.finding(&PrivilegeEscalation::META, message);
    for (statement, uses) in &places {
        let Some(actions) = &statement.action else {
            continue;
        };
        let label = match &uses[..] {
            [(action, number)] => format!("grants `{action}` (method {number})"),
            _ => {
                let mut numbers: Vec<String> = uses.iter().map(|(_, n)| n.to_string()).collect();
                numbers.dedup();
                if let [number] = &numbers[..] {
                    let actions: Vec<String> = uses.iter().map(|(a, _)| (*a).to_owned()).collect();
                    format!("grants {} (method {number})", quoted_list(&actions))
                } else {
                    format!("grants the actions of methods {}", numbers.join(", "))
                }
            }
        };
        finding = finding.at(actions.span, actions.path(statement), label);
    }
    if let Some((statement, _)) = places.first() {
        finding = finding.statement(statement);
    }
    finding.help(help).emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::test_support::rule_findings;

    /// The messages of the rule's findings on an identity policy.
    fn messages(statements: &str) -> Vec<String> {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        rule_findings(&text, PolicyKind::Identity, "privilege-escalation")
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const PASS_ANY_ROLE_TO_LAMBDA: &str = r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
        "Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}"#;

    // Rhino Security Labs' method 15
    // (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/):
    // whoever may pass a role to Lambda and create a function may create
    // one under a name its policy allows, running as the role, and invoke
    // it; only `iam:PassRole` on the role decides who may hand it over
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
    #[test]
    fn functions_it_may_create_are_enough() {
        let scoped = r#"{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],
            "Resource":"arn:aws:lambda:us-east-1:111122223333:function:app-*"}"#;
        let found = messages(&format!("{scoped},{PASS_ANY_ROLE_TO_LAMBDA}"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("(method 15)"), "{found:?}");
        // A region or account wildcard reaches the holder's own.
        let anywhere = r#"{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],
            "Resource":"arn:aws:lambda:*:*:function:app-?-*"}"#;
        assert_eq!(
            messages(&format!("{anywhere},{PASS_ANY_ROLE_TO_LAMBDA}")).len(),
            1
        );
        // A `Deny` covering the functions it may create closes it.
        let denied = r#"{"Effect":"Deny","Action":"lambda:*","Resource":"arn:aws:lambda:*:*:function:app-*"}"#;
        assert!(messages(&format!("{scoped},{PASS_ANY_ROLE_TO_LAMBDA},{denied}")).is_empty());
    }

    // The function invoked must be one it may create: creating `app-*`
    // and invoking `other-*` runs no code as the passed role.
    #[test]
    fn created_and_invoked_function_is_the_same() {
        let apart = r#"{"Effect":"Allow","Action":"lambda:CreateFunction",
            "Resource":"arn:aws:lambda:us-east-1:111122223333:function:app-*"},
            {"Effect":"Allow","Action":"lambda:InvokeFunction",
            "Resource":"arn:aws:lambda:us-east-1:111122223333:function:other-*"}"#;
        assert!(messages(&format!("{apart},{PASS_ANY_ROLE_TO_LAMBDA}")).is_empty());
        let overlapping = r#"{"Effect":"Allow","Action":"lambda:CreateFunction",
            "Resource":"arn:aws:lambda:us-east-1:111122223333:function:app-*"},
            {"Effect":"Allow","Action":"lambda:InvokeFunction",
            "Resource":"arn:aws:lambda:us-east-1:111122223333:function:*"}"#;
        assert_eq!(
            messages(&format!("{overlapping},{PASS_ANY_ROLE_TO_LAMBDA}")).len(),
            1
        );
    }

    // Steps on resources someone else owns still need every one of them:
    // `lambda:UpdateFunctionCode` on the holder's own functions is no
    // escalation (method 17).
    #[test]
    fn existing_resources_still_need_every_one() {
        let own = r#"{"Effect":"Allow","Action":"lambda:UpdateFunctionCode",
            "Resource":"arn:aws:lambda:us-east-1:111122223333:function:app-*"}"#;
        assert!(messages(own).is_empty());
    }

    // `ec2:RunInstances` needs one resource of each of its five required
    // types: one named image and the account's own subnets, instances…
    // (method 3).
    #[test]
    fn instances_it_may_launch() {
        let launch = r#"{"Effect":"Allow","Action":"ec2:RunInstances",
            "Resource":["arn:aws:ec2:us-east-1::image/ami-0abc","arn:aws:ec2:us-east-1:111122223333:*"]},
            {"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#;
        let found = messages(launch);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("(method 3)"), "{found:?}");
        let no_image = r#"{"Effect":"Allow","Action":"ec2:RunInstances",
            "Resource":"arn:aws:ec2:us-east-1:111122223333:*"},
            {"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#;
        assert!(messages(no_image).is_empty());
    }

    // A stack ARN's resource part holds a name and an id: `stack/app-*`
    // names `stack/app-q/q` (method 20).
    #[test]
    fn stacks_it_may_create() {
        let stacks = r#"{"Effect":"Allow","Action":["cloudformation:CreateStack","iam:PassRole"],
            "Resource":["arn:aws:cloudformation:eu-west-1:111122223333:stack/app-*","arn:aws:iam::111122223333:role/*"]}"#;
        let found = messages(stacks);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("(method 20)"), "{found:?}");
    }

    /// Requests are built lazily, so a probe that failed to build would
    /// change which sets get tried: every probe of every method must build,
    /// in a region-less and a regional scope alike.
    #[test]
    fn every_probe_builds() {
        for method in METHODS {
            for step in method.steps {
                let probe_of = StepProbe::new(step).unwrap();
                for region in ["us-east-1", "eu-west-1"] {
                    for name in PROBE_NAMES.iter().chain([&PROBE_CALLER]) {
                        let resources: Vec<String> = if probe_of.formats.is_empty() {
                            vec!["*".to_owned()]
                        } else {
                            probe_of
                                .formats
                                .iter()
                                .map(|f| arn_of_format(f, region, PROBE_ACCOUNTS[0], name))
                                .collect()
                        };
                        for resource in resources {
                            assert!(
                                probe(PROBE_ACCOUNTS[0], step.action, &resource, &probe_of.context)
                                    .is_some(),
                                "method {}: {} on {resource}",
                                method.number,
                                step.action
                            );
                        }
                    }
                }
            }
        }
    }
}
