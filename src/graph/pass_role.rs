//! `pass-role` edges: a principal that may pass a role to a service
//! (`iam:PassRole` with `iam:PassedToService`) and start something there
//! that runs as the role holds the role's permissions without assuming it
//! ("Granting a user permissions to pass a role to an AWS service",
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
//! The role must trust the service (an `assume` edge from it), and the
//! service's own create and start actions must be allowed. A role is passed
//! within its own account.

use std::collections::HashMap;

use crate::eval::{OpenEvaluation, Possibility, RequestContext, evaluate_open};
use crate::inventory::Role;

use super::build::{EC2, RawEdge, Shared, edge_conditions, parallel};
use super::caller::{Caller, RequestBuilder};
use super::policies::CallerSide;
use super::{Edge, EdgeCondition, EdgeKind, Problem};

/// A service that runs code as a role passed to it, and what starting that
/// code takes. Resource ARNs name any resource of the type in the account
/// (`{account}`), so only grants covering every such resource count.
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
        let (request, mut open) =
            match self
                .builder
                .request(self.caller, action, resource, target, context)
            {
                Ok(r) => r,
                Err(e) => {
                    problems.push(Problem {
                        subject: resource.to_owned(),
                        message: format!("cannot evaluate `{action}`: {e}"),
                    });
                    return None;
                }
            };
        open.close("iam:PassedToService");
        let set = self.side.with_role(None, Vec::new());
        let e = evaluate_open(&set, &request, &open);
        (e.possibility != Possibility::Never).then_some(e)
    }
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
                for passable in by_account.get(account).into_iter().flatten() {
                    let role = &inventory.roles()[passable.role];
                    let mut context = RequestContext::new();
                    context.insert("iam:PassedToService", passable.target.service);
                    let asker = Asker {
                        builder: &builder,
                        side: &side,
                        caller,
                    };
                    let mut found = Vec::new();
                    found.extend(asker.ask(
                        "iam:PassRole",
                        &role.common.arn,
                        Some(role),
                        context,
                        &mut problems,
                    ));
                    for (action, resource) in passable.target.actions {
                        let resource = resource.replace("{account}", account);
                        found.extend(asker.ask(
                            action,
                            &resource,
                            None,
                            RequestContext::new(),
                            &mut problems,
                        ));
                    }
                    if found.len() != passable.target.actions.len() + 1 {
                        continue;
                    }
                    let mut conditions: Vec<EdgeCondition> =
                        found.iter().flat_map(edge_conditions).collect();
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
