//! `pass-role` edges: a principal that may pass a role to a service
//! (`iam:PassRole` with `iam:PassedToService`) and start something there
//! that runs as the role holds the role's permissions without assuming it
//! ("Granting a user permissions to pass a role to an AWS service",
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
//! The role must trust the service (an `assume` edge from it), and the
//! service's own create and start actions must be allowed on some resource
//! of their type (a function `app-x` when only `function:app-*` is
//! granted). A role is passed within its own account.

use std::collections::HashMap;

use crate::eval::{
    OpenEvaluation, OpenKeys, PolicySet, Possibility, Request, RequestContext, evaluate_open,
};
use crate::inventory::Role;
use crate::policy::arn::Arn;
use crate::policy::{Effect, wildcard};

use super::build::{EC2, RawEdge, Shared, edge_conditions, parallel};
use super::caller::{Caller, RequestBuilder};
use super::policies::CallerSide;
use super::{Edge, EdgeCondition, EdgeKind, Problem};

/// A service that runs code as a role passed to it, and what starting that
/// code takes. Resource ARNs name any resource of the type in the account
/// (`{account}`); a grant on only some such resources counts too, since
/// the caller can name one of those (see [`Asker::ask_some`]).
pub(crate) struct Target {
    /// The service principal the role must trust.
    pub service: &'static str,
    /// The actions that create and start the code, with their resource.
    pub actions: &'static [(&'static str, &'static str)],
    /// EC2 takes the role through an instance profile, which must exist.
    pub instance_profile: bool,
}

/// The services, with the actions from their "Actions, resources, and
/// condition keys" pages in the Service Authorization Reference.
pub(crate) const TARGETS: &[Target] = &[
    // ec2:RunInstances with an instance profile ("Using instance profiles").
    Target {
        service: EC2,
        actions: &[("ec2:RunInstances", "arn:aws:ec2:*:{account}:instance/*")],
        instance_profile: true,
    },
    // lambda:CreateFunction with an execution role, then invoke it
    // ("Lambda execution role").
    Target {
        service: "lambda.amazonaws.com",
        actions: &[
            (
                "lambda:CreateFunction",
                "arn:aws:lambda:*:{account}:function:*",
            ),
            (
                "lambda:InvokeFunction",
                "arn:aws:lambda:*:{account}:function:*",
            ),
        ],
        instance_profile: false,
    },
    // A task definition with a task role, then run it ("Amazon ECS task IAM role").
    Target {
        service: "ecs-tasks.amazonaws.com",
        actions: &[
            ("ecs:RegisterTaskDefinition", "*"),
            ("ecs:RunTask", "arn:aws:ecs:*:{account}:task-definition/*"),
        ],
        instance_profile: false,
    },
    // A Glue job with a role, then start it.
    Target {
        service: "glue.amazonaws.com",
        actions: &[
            ("glue:CreateJob", "arn:aws:glue:*:{account}:job/*"),
            ("glue:StartJobRun", "arn:aws:glue:*:{account}:job/*"),
        ],
        instance_profile: false,
    },
    // A stack with a service role ("AWS CloudFormation service role").
    Target {
        service: "cloudformation.amazonaws.com",
        actions: &[(
            "cloudformation:CreateStack",
            "arn:aws:cloudformation:*:{account}:stack/*/*",
        )],
        instance_profile: false,
    },
    // A build project with a service role, then start a build.
    Target {
        service: "codebuild.amazonaws.com",
        actions: &[
            (
                "codebuild:CreateProject",
                "arn:aws:codebuild:*:{account}:project/*",
            ),
            (
                "codebuild:StartBuild",
                "arn:aws:codebuild:*:{account}:project/*",
            ),
        ],
        instance_profile: false,
    },
    // A notebook instance with an execution role.
    Target {
        service: "sagemaker.amazonaws.com",
        actions: &[(
            "sagemaker:CreateNotebookInstance",
            "arn:aws:sagemaker:*:{account}:notebook-instance/*",
        )],
        instance_profile: false,
    },
];

/// A role a service of [`TARGETS`] can assume, with that edge's conditions.
struct Passable<'a> {
    role: usize,
    target: &'static Target,
    conditions: &'a [EdgeCondition],
}

/// One passer's requests.
struct Asker<'a, 'p, 'i> {
    builder: &'a RequestBuilder<'p, 'i>,
    side: &'a CallerSide,
    /// The caller's policy set (no resource-based policy).
    set: PolicySet,
    caller: &'a Caller,
}

impl Asker<'_, '_, '_> {
    /// Whether some request for `action` on `resource` can be allowed.
    fn ask(
        &self,
        action: &str,
        resource: &str,
        target: Option<&Role>,
        context: RequestContext,
        problems: &mut Vec<Problem>,
    ) -> Option<OpenEvaluation> {
        let (request, open) = self.request(action, resource, target, context, problems)?;
        let e = evaluate_open(&self.set, &request, &open);
        (e.possibility != Possibility::Never).then_some(e)
    }

    /// Whether `action` can be allowed on some resource that `generic` (a
    /// [`Target`] action's pattern) names. A request names resources with
    /// wildcards as text, so a grant covering every resource allows the
    /// request on `generic` itself; failing that, each pattern that both
    /// `generic` and a `Resource` of the caller's allowing identity
    /// statements for `action` name is asked, so that a grant scoped to
    /// some functions counts and a `Deny` covering those still removes
    /// it. The first pattern allowed whatever the open keys hold wins,
    /// else the first allowed under conditions.
    fn ask_some(
        &self,
        action: &str,
        generic: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<OpenEvaluation> {
        let (request, open) =
            self.request(action, generic, None, RequestContext::new(), problems)?;
        let e = evaluate_open(&self.set, &request, &open);
        if e.possibility != Possibility::Never {
            return Some(e);
        }
        let mut patterns: Vec<String> = Vec::new();
        let scoped = self
            .side
            .identity
            .iter()
            .flat_map(|p| p.statements())
            .filter(|s| s.effect == Effect::Allow)
            .flat_map(|s| s.resource_patterns(&request));
        for pattern in scoped {
            if let Some(p) = narrow(generic, &pattern)
                && p != generic
                && !patterns.contains(&p)
            {
                patterns.push(p);
            }
        }
        let mut conditional = None;
        for pattern in patterns {
            let Some((request, open)) =
                self.request(action, &pattern, None, RequestContext::new(), problems)
            else {
                continue;
            };
            let e = evaluate_open(&self.set, &request, &open);
            match e.possibility {
                Possibility::Always => return Some(e),
                Possibility::Conditional => conditional = conditional.or(Some(e)),
                Possibility::Never => {}
            }
        }
        conditional
    }

    /// The request for `action` on `resource`, `iam:PassedToService` known.
    fn request(
        &self,
        action: &str,
        resource: &str,
        target: Option<&Role>,
        context: RequestContext,
        problems: &mut Vec<Problem>,
    ) -> Option<(Request, OpenKeys)> {
        match self
            .builder
            .request(self.caller, action, resource, target, context)
        {
            Ok((request, mut open)) => {
                open.close("iam:PassedToService");
                Some((request, open))
            }
            Err(e) => {
                problems.push(Problem {
                    subject: resource.to_owned(),
                    message: format!("cannot evaluate `{action}`: {e}"),
                });
                None
            }
        }
    }
}

/// An ARN pattern naming only resources that both `generic` and a policy's
/// `scoped` pattern name, when one is found: segment by segment the
/// narrower of the two (the one whose text the other matches); for the
/// resource part, when neither is narrower, `scoped` ending in `*`
/// extended by the shortest end of `generic` that makes `generic` match it
/// (`stack/app-*` and `stack/*/*` give `stack/app-*/*`). Sound because
/// `generic`'s only wildcard is `*`: matching another pattern's text, it
/// matches every ARN that pattern names.
fn narrow(generic: &str, scoped: &str) -> Option<String> {
    let (g, s) = (Arn::parse(generic).ok()?, Arn::parse(scoped).ok()?);
    let narrower = |g: &str, s: &str| -> Option<String> {
        if wildcard::matches(g, s) {
            Some(s.to_owned())
        } else if wildcard::matches(s, g) {
            Some(g.to_owned())
        } else {
            None
        }
    };
    let partition = narrower(g.partition(), s.partition())?;
    let service = narrower(g.service(), s.service())?;
    let region = narrower(g.region(), s.region())?;
    let account = narrower(g.account(), s.account())?;
    let (g, s) = (g.resource(), s.resource());
    let resource = narrower(g, s).or_else(|| {
        if !s.ends_with('*') {
            return None;
        }
        g.char_indices()
            .rev()
            .map(|(i, _)| format!("{s}{}", &g[i..]))
            .find(|r| wildcard::matches(g, r))
    })?;
    Some(format!(
        "arn:{partition}:{service}:{region}:{account}:{resource}"
    ))
}

/// The pass-role edges of every principal that may pass roles.
pub(crate) fn pass_role_edges(
    shared: &Shared<'_, '_>,
    assume: &[RawEdge],
    threads: usize,
) -> (Vec<RawEdge>, Vec<Problem>) {
    let policies = shared.policies;
    let inventory = policies.inventory;
    let mut by_account: HashMap<&str, Vec<Passable<'_>>> = HashMap::new();
    for e in assume {
        let Caller::Service(service) = &e.from else {
            continue;
        };
        let Some(target) = TARGETS.iter().find(|t| t.service == service) else {
            continue;
        };
        let role = &inventory.roles()[e.role];
        if target.instance_profile && role.instance_profiles.is_empty() {
            continue;
        }
        by_account
            .entry(role.common.account_id.as_str())
            .or_default()
            .push(Passable {
                role: e.role,
                target,
                conditions: &e.edge.conditions,
            });
    }
    let passers: Vec<Caller> = inventory
        .users()
        .iter()
        .enumerate()
        .filter(|(_, u)| by_account.contains_key(u.common.account_id.as_str()))
        .filter(|(_, u)| policies.user_may_allow(u, "iam:PassRole"))
        .map(|(i, _)| Caller::User(i))
        .chain(
            inventory
                .roles()
                .iter()
                .enumerate()
                .filter(|(_, r)| by_account.contains_key(r.common.account_id.as_str()))
                .filter(|(_, r)| policies.principal_may_allow(&r.common, "iam:PassRole"))
                .map(|(i, _)| Caller::Role(i)),
        )
        .collect();
    let account_of = |c: &Caller| match c {
        Caller::User(i) => inventory.users()[*i].common.account_id.as_str(),
        Caller::Role(i) => inventory.roles()[*i].common.account_id.as_str(),
        _ => "",
    };
    let results = parallel(
        &passers,
        threads,
        |c| by_account.get(account_of(c)).map_or(1, Vec::len),
        |chunk| {
            let builder = RequestBuilder { policies };
            let mut edges = Vec::new();
            let mut problems = Vec::new();
            for caller in chunk {
                let side = shared.side(caller, &mut problems);
                let account = account_of(caller);
                let asker = Asker {
                    builder: &builder,
                    side: &side,
                    set: side.with_role(None, Vec::new()),
                    caller,
                };
                // The create and start actions, asked once per caller.
                let mut asked: HashMap<&str, Option<OpenEvaluation>> = HashMap::new();
                for passable in by_account.get(account).into_iter().flatten() {
                    let role = &inventory.roles()[passable.role];
                    let mut context = RequestContext::new();
                    context.insert("iam:PassedToService", passable.target.service);
                    let Some(pass) = asker.ask(
                        "iam:PassRole",
                        &role.common.arn,
                        Some(role),
                        context,
                        &mut problems,
                    ) else {
                        continue;
                    };
                    let mut conditions = edge_conditions(&pass);
                    let mut allowed = true;
                    for (action, resource) in passable.target.actions {
                        let e = asked.entry(*action).or_insert_with(|| {
                            let generic = resource.replace("{account}", account);
                            asker.ask_some(action, &generic, &mut problems)
                        });
                        match e {
                            Some(e) => conditions.extend(edge_conditions(e)),
                            None => allowed = false,
                        }
                    }
                    if !allowed {
                        continue;
                    }
                    conditions.extend(passable.conditions.iter().cloned());
                    edges.push(RawEdge {
                        from: caller.clone(),
                        role: passable.role,
                        edge: Edge {
                            kind: EdgeKind::PassRole,
                            action: Some("iam:PassRole"),
                            service: Some(passable.target.service),
                            conditions,
                            chained: false,
                            external: false,
                            max_session_seconds: role.max_session_duration,
                        },
                    });
                }
            }
            (edges, problems)
        },
    );
    let mut edges = Vec::new();
    let mut problems = Vec::new();
    for (e, p) in results {
        edges.extend(e);
        problems.extend(p);
    }
    (edges, problems)
}

#[cfg(test)]
mod tests {
    use super::narrow;

    // Wildcards in resource ARNs stay within their segment, `*` matching
    // any run of characters ("IAM JSON policy elements: Resource",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    #[test]
    fn narrow_keeps_what_both_patterns_name() {
        let function = "arn:aws:lambda:*:111122223333:function:*";
        let narrowed = |scoped: &str| narrow(function, scoped);
        assert_eq!(
            narrowed("arn:aws:lambda:us-east-1:111122223333:function:app-*").as_deref(),
            Some("arn:aws:lambda:us-east-1:111122223333:function:app-*")
        );
        assert_eq!(
            narrowed("arn:aws:lambda:us-*:*:function:app-?").as_deref(),
            Some("arn:aws:lambda:us-*:111122223333:function:app-?")
        );
        assert_eq!(narrowed("arn:*:*:*:*:*").as_deref(), Some(function));
        assert_eq!(narrowed("arn:aws:lambda:*:444455556666:function:*"), None);
        assert_eq!(narrowed("arn:aws:s3:::app-*"), None);
        assert_eq!(narrowed("arn:aws:lambda:*:*:layer:*"), None);
        assert_eq!(narrowed("*"), None);
        let stack = "arn:aws:cloudformation:*:111122223333:stack/*/*";
        assert_eq!(
            narrow(
                stack,
                "arn:aws:cloudformation:eu-west-1:111122223333:stack/app-*"
            )
            .as_deref(),
            Some("arn:aws:cloudformation:eu-west-1:111122223333:stack/app-*/*")
        );
        assert_eq!(narrow(stack, "arn:aws:cloudformation:*:*:stack/app"), None);
    }
}
