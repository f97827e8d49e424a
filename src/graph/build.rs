//! Building the graph: candidate pairs from the trust policies, each decided
//! by the engine with an open context, on every core.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::eval::{
    CompiledPolicy, OpenEvaluation, PolicyType, Possibility, RequestContext, evaluate_open,
};
use crate::inventory::{Entity, Inventory};
use crate::policy::parse_policy;

use super::caller::{Caller, EXTERNAL_IDENTITY, RequestBuilder};
use super::candidates::candidates;
use super::pass_role::pass_role_edges;
use super::policies::{CallerSide, Policies};
use super::{Edge, EdgeCondition, EdgeKind, Graph, Node, NodeKind, Problem};

/// How to build.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Worker threads; `0` uses every available core.
    pub threads: usize,
}

impl BuildOptions {
    pub(crate) fn threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// An edge before the graph exists: its source, the target role's index.
pub(crate) struct RawEdge {
    pub from: Caller,
    pub role: usize,
    pub edge: Edge,
}

/// The conditions of an open evaluation, flattened for an edge.
pub(crate) fn edge_conditions(e: &OpenEvaluation) -> Vec<EdgeCondition> {
    let mut out = Vec::new();
    for requirement in &e.requirements {
        let several = requirement.alternatives.len() > 1;
        for (i, alternative) in requirement.alternatives.iter().enumerate() {
            for c in &alternative.conditions {
                out.push(EdgeCondition {
                    effect: "Allow",
                    policy_type: alternative.statement.policy_type,
                    policy: alternative.statement.policy.clone(),
                    statement: alternative.statement.statement.clone(),
                    alternative: several.then_some(i),
                    operator: c.operator.clone(),
                    key: c.key.clone(),
                    values: c.values.clone(),
                });
            }
        }
    }
    for exception in &e.exceptions {
        for c in &exception.conditions {
            out.push(EdgeCondition {
                effect: "Deny",
                policy_type: exception.statement.policy_type,
                policy: exception.statement.policy.clone(),
                statement: exception.statement.statement.clone(),
                alternative: None,
                operator: c.operator.clone(),
                key: c.key.clone(),
                values: c.values.clone(),
            });
        }
    }
    out
}

/// Splits `items` into at most `n` runs of about equal weight.
pub(crate) fn balanced<T>(items: &[T], n: usize, weight: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let total: usize = items.iter().map(&weight).sum();
    let target = total.div_ceil(n.max(1)).max(1);
    let mut out = Vec::new();
    let (mut start, mut acc) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        acc += weight(item);
        if acc >= target && out.len() + 1 < n {
            out.push(&items[start..=i]);
            start = i + 1;
            acc = 0;
        }
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// Everything the workers share.
pub(crate) struct Shared<'p, 'i> {
    pub policies: &'p Policies<'i>,
    pub trusts: &'p [Option<CompiledPolicy>],
    pub external: Option<CompiledPolicy>,
}

impl Shared<'_, '_> {
    /// The caller's side of its policy sets.
    pub(crate) fn side(&self, caller: &Caller, problems: &mut Vec<Problem>) -> CallerSide {
        let inventory = self.policies.inventory;
        match caller {
            Caller::User(i) => self
                .policies
                .user_side(&inventory.users()[*i], problems, None),
            Caller::Role(i) => self
                .policies
                .role_side(&inventory.roles()[*i], problems, None),
            Caller::ExternalPrincipal(_) | Caller::ExternalAccount(_) | Caller::Anyone => {
                CallerSide {
                    identity: self.external.iter().cloned().collect(),
                    ..CallerSide::default()
                }
            }
            Caller::Service(_) | Caller::Provider(_) => CallerSide::default(),
        }
    }
}

/// Decides one caller's candidate roles.
fn assume_edges(
    shared: &Shared<'_, '_>,
    caller: &Caller,
    roles: &[usize],
    out: &mut Vec<RawEdge>,
    problems: &mut Vec<Problem>,
) {
    let inventory = shared.policies.inventory;
    let builder = RequestBuilder {
        policies: shared.policies,
    };
    let side = shared.side(caller, problems);
    let action = caller.assume_action();
    let mut rcps: Option<(&str, Vec<Vec<CompiledPolicy>>)> = None;
    for &r in roles {
        let role = &inventory.roles()[r];
        let Some(trust) = &shared.trusts[r] else {
            continue;
        };
        let account = role.common.account_id.as_str();
        let levels = match &rcps {
            Some((a, levels)) if *a == account => levels.clone(),
            _ => {
                let levels = shared.policies.rcps(account, problems, None);
                rcps = Some((account, levels.clone()));
                levels
            }
        };
        let set = side.with_role(Some(trust.clone()), levels);
        let (request, open) = match builder.request(
            caller,
            action,
            &role.common.arn,
            Some(role),
            RequestContext::new(),
        ) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    subject: role.common.arn.clone(),
                    message: format!("cannot evaluate an assume from `{caller:?}`: {e}"),
                });
                continue;
            }
        };
        let e = evaluate_open(&set, &request, &open);
        if e.possibility == Possibility::Never {
            continue;
        }
        let chained = caller.is_role();
        out.push(RawEdge {
            from: caller.clone(),
            role: r,
            edge: Edge {
                kind: EdgeKind::Assume,
                action: Some(action),
                service: None,
                conditions: edge_conditions(&e),
                chained,
                external: caller.is_external(),
                max_session_seconds: if chained {
                    Some(3600)
                } else {
                    role.max_session_duration
                },
            },
        });
    }
}

/// Runs `work` over `items` on `threads` workers, split by weight, and
/// gathers what they return in order.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let chunks = balanced(items, threads, weight);
    if chunks.len() <= 1 {
        return chunks.into_iter().map(&work).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let work = &work;
                scope.spawn(move || work(chunk))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

/// Builds the graph of an inventory.
pub fn build(inventory: &Inventory, options: &BuildOptions) -> Graph {
    let threads = options.threads();
    let mut policies = Policies::new(inventory);
    policies.precompile(&["sts:AssumeRole", "iam:PassRole"]);
    let mut problems = std::mem::take(&mut policies.problems);
    let roles = inventory.roles();
    let compiled: Vec<(Vec<Option<CompiledPolicy>>, Vec<Problem>)> = parallel(
        roles,
        threads,
        |_| 1,
        |chunk| {
            let mut problems = Vec::new();
            let trusts = chunk
                .iter()
                .map(|role| policies.trust(role, &mut problems, None))
                .collect();
            (trusts, problems)
        },
    );
    let mut trusts = Vec::with_capacity(roles.len());
    for (t, p) in compiled {
        trusts.extend(t);
        problems.extend(p);
    }
    let external = parse_policy(EXTERNAL_IDENTITY).ok().and_then(|parsed| {
        CompiledPolicy::compile(
            &parsed.policy,
            "(identity policies outside the inventory)",
            PolicyType::Identity,
            None,
        )
        .ok()
    });
    let shared = Shared {
        policies: &policies,
        trusts: &trusts,
        external,
    };
    let groups = candidates(&policies);
    let results = parallel(
        &groups,
        threads,
        |(_, roles)| roles.len() + 4,
        |chunk| {
            let mut edges = Vec::new();
            let mut problems = Vec::new();
            for (caller, roles) in chunk {
                assume_edges(&shared, caller, roles, &mut edges, &mut problems);
            }
            (edges, problems)
        },
    );
    let mut edges = Vec::new();
    for (e, p) in results {
        edges.extend(e);
        problems.extend(p);
    }
    let (pass, pass_problems) = pass_role_edges(&shared, &edges, threads);
    edges.extend(pass);
    problems.extend(pass_problems);
    assemble(inventory, edges, problems)
}

/// Puts nodes and edges into the graph in a stable order: inventory users,
/// roles, instance profiles and providers first, then other nodes by id;
/// edges by source, target and kind.
fn assemble(inventory: &Inventory, raw: Vec<RawEdge>, mut problems: Vec<Problem>) -> Graph {
    let mut nodes = Nodes {
        graph: DiGraph::with_capacity(inventory.users().len() + inventory.roles().len(), raw.len()),
        index: HashMap::new(),
    };
    for i in 0..inventory.users().len() {
        nodes.add(Caller::User(i).node(inventory));
    }
    for i in 0..inventory.roles().len() {
        nodes.add(Caller::Role(i).node(inventory));
    }
    let mut profile_edges = Vec::new();
    for profile in inventory.instance_profiles() {
        let from = nodes.add(Node {
            id: profile.arn.clone(),
            kind: NodeKind::InstanceProfile,
            account: Some(profile.account_id.clone()),
        });
        for role in &profile.roles {
            profile_edges.push((from, role.as_str()));
        }
    }
    for provider in inventory.providers() {
        nodes.add(Caller::Provider(provider.arn.clone()).node(inventory));
    }
    let mut others: BTreeMap<String, Node> = BTreeMap::new();
    for e in &raw {
        let node = e.from.node(inventory);
        if !nodes.index.contains_key(&node.id) {
            others.insert(node.id.clone(), node);
        }
    }
    for node in others.into_values() {
        nodes.add(node);
    }
    let mut edges: Vec<(NodeIndex, NodeIndex, Edge)> = Vec::with_capacity(raw.len());
    let mut ec2_edges: HashMap<usize, Vec<EdgeCondition>> = HashMap::new();
    for e in raw {
        let from = nodes.add(e.from.node(inventory));
        let to = nodes.add(Caller::Role(e.role).node(inventory));
        if e.edge.kind == EdgeKind::Assume && e.from == Caller::Service(EC2.into()) {
            ec2_edges.insert(e.role, e.edge.conditions.clone());
        }
        edges.push((from, to, e.edge));
    }
    // An instance profile delivers its role's credentials to EC2, which the
    // role's trust policy must allow ("Using an IAM role to grant
    // permissions to applications running on Amazon EC2 instances",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html).
    for (from, role_arn) in profile_edges {
        let Some(Entity::Role(r)) = inventory.get(role_arn) else {
            problems.push(Problem {
                subject: role_arn.to_owned(),
                message: "an instance profile holds this role, which is not in the inventory"
                    .into(),
            });
            continue;
        };
        let Some(conditions) = ec2_edges.get(&r) else {
            continue;
        };
        let role = &inventory.roles()[r];
        let to = nodes.add(Caller::Role(r).node(inventory));
        edges.push((
            from,
            to,
            Edge {
                kind: EdgeKind::InstanceProfile,
                action: None,
                service: Some(EC2),
                conditions: conditions.clone(),
                chained: false,
                external: false,
                max_session_seconds: role.max_session_duration,
            },
        ));
    }
    let Nodes { mut graph, index } = nodes;
    edges.sort_by(|a, b| {
        (&graph[a.0].id, &graph[a.1].id, a.2.kind, a.2.service).cmp(&(
            &graph[b.0].id,
            &graph[b.1].id,
            b.2.kind,
            b.2.service,
        ))
    });
    for (from, to, edge) in edges {
        graph.add_edge(from, to, edge);
    }
    problems.sort_by(|a, b| (&a.subject, &a.message).cmp(&(&b.subject, &b.message)));
    problems.dedup();
    Graph {
        graph,
        index,
        problems,
    }
}

/// Nodes by id while the graph is assembled.
struct Nodes {
    graph: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
}

impl Nodes {
    /// The node's index, adding it the first time.
    fn add(&mut self, node: Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&node.id) {
            return i;
        }
        let id = node.id.clone();
        let i = self.graph.add_node(node);
        self.index.insert(id, i);
        i
    }
}

/// The EC2 service principal.
pub(crate) const EC2: &str = "ec2.amazonaws.com";

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::inventory::{InputSpec, LoadOptions, load};

    const A: &str = "111111111111";
    const B: &str = "222222222222";

    fn doc(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn allow(action: &str, resource: &str) -> Value {
        json!({"Effect": "Allow", "Action": action, "Resource": resource})
    }

    fn user(account: &str, name: &str, policy: Option<Value>, boundary: Option<&str>) -> Value {
        let mut u = json!({
            "Path": "/", "UserName": name, "UserId": format!("AIDA{name}"),
            "Arn": format!("arn:aws:iam::{account}:user/{name}"),
            "UserPolicyList": policy.map(|p| vec![json!({"PolicyName": "p", "PolicyDocument": p})]).unwrap_or_default(),
            "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
        });
        if let Some(b) = boundary {
            u["PermissionsBoundary"] =
                json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": b});
        }
        u
    }

    fn role(account: &str, name: &str, trust: Value, policy: Option<Value>) -> Value {
        json!({
            "Path": "/", "RoleName": name, "RoleId": format!("AROA{name}"),
            "Arn": format!("arn:aws:iam::{account}:role/{name}"),
            "AssumeRolePolicyDocument": trust,
            "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
            "RolePolicyList": policy.map(|p| vec![json!({"PolicyName": "p", "PolicyDocument": p})]).unwrap_or_default(),
        })
    }

    fn trust(principal: Value, condition: Option<Value>) -> Value {
        let mut s = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if let Some(c) = condition {
            s["Condition"] = c;
        }
        doc(json!([s]))
    }

    fn edges(dumps: &[(&str, Value)]) -> Vec<String> {
        let inputs: Vec<InputSpec> = dumps
            .iter()
            .map(|(account, d)| InputSpec::Text {
                name: format!("{account}.authorization-details.json"),
                text: d.to_string(),
            })
            .collect();
        let outcome = load(&inputs, &LoadOptions::default());
        assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
        let g = build(&outcome.inventory, &BuildOptions { threads: 2 });
        assert!(g.problems().is_empty(), "{:?}", g.problems());
        g.edges()
            .map(|(f, t, e)| {
                let conditions: Vec<String> = e
                    .conditions
                    .iter()
                    .map(|c| format!(" {}:{}", &c.effect[..1], c.key))
                    .collect();
                format!(
                    "{} -{}-> {}{}",
                    f.id.rsplit(':').next().unwrap_or(&f.id),
                    e.kind.name(),
                    t.id.rsplit(':').next().unwrap_or(&t.id),
                    conditions.concat()
                )
            })
            .collect()
    }

    fn dump(users: Vec<Value>, roles: Vec<Value>, policies: Vec<Value>) -> Value {
        json!({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": policies})
    }

    // A trust naming an account delegates to it: only principals whose
    // identity policies allow get an edge ("AWS account principals",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
    #[test]
    fn account_trust_needs_an_identity_grant() {
        let dumps = [
            (
                A,
                dump(
                    vec![
                        user(
                            A,
                            "granted",
                            Some(doc(json!([allow("sts:AssumeRole", "*")]))),
                            None,
                        ),
                        user(A, "plain", None, None),
                    ],
                    vec![],
                    vec![],
                ),
            ),
            (
                B,
                dump(
                    vec![],
                    vec![role(B, "Target", trust(json!({"AWS": A}), None), None)],
                    vec![],
                ),
            ),
        ];
        assert_eq!(edges(&dumps), ["user/granted -assume-> role/Target"]);
    }

    // Permissions boundaries limit identity-based grants
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html):
    // PMapper ignores role boundaries; here a boundary without
    // sts:AssumeRole removes the edge.
    #[test]
    fn boundaries_remove_edges() {
        let boundary = format!("arn:aws:iam::{A}:policy/boundary");
        let dumps = [
            (
                A,
                dump(
                    vec![
                        user(
                            A,
                            "bounded",
                            Some(doc(json!([allow("sts:AssumeRole", "*")]))),
                            Some(&boundary),
                        ),
                        user(
                            A,
                            "free",
                            Some(doc(json!([allow("sts:AssumeRole", "*")]))),
                            None,
                        ),
                    ],
                    vec![],
                    vec![json!({
                        "PolicyName": "boundary", "Arn": boundary, "Path": "/", "DefaultVersionId": "v1",
                        "PolicyVersionList": [{"Document": doc(json!([allow("s3:*", "*")])), "VersionId": "v1", "IsDefaultVersion": true}]
                    })],
                ),
            ),
            (
                B,
                dump(
                    vec![],
                    vec![role(B, "Target", trust(json!({"AWS": A}), None), None)],
                    vec![],
                ),
            ),
        ];
        assert_eq!(edges(&dumps), ["user/free -assume-> role/Target"]);
    }

    // MFA and external-id conditions are kept on the edge, not dropped
    // (PMapper drops both).
    #[test]
    fn conditions_stay_on_the_edge() {
        let mfa = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
        let dumps = [(
            A,
            dump(
                vec![user(A, "alice", None, None)],
                vec![role(
                    A,
                    "Admin",
                    trust(
                        json!({"AWS": format!("arn:aws:iam::{A}:user/alice")}),
                        Some(mfa),
                    ),
                    None,
                )],
                vec![],
            ),
        )];
        // Same account and the trust names the user: no identity grant needed.
        assert_eq!(
            edges(&dumps),
            ["user/alice -assume-> role/Admin A:aws:MultiFactorAuthPresent"]
        );
    }

    // `"AWS": "*"` with an organization condition: anyone outside the
    // inventory, if in that organization; same-account principals directly.
    #[test]
    fn everyone_with_an_org_condition() {
        let org = json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}});
        let dumps = [(
            A,
            dump(
                vec![user(A, "bob", None, None)],
                vec![role(
                    A,
                    "Shared",
                    trust(json!({"AWS": "*"}), Some(org)),
                    None,
                )],
                vec![],
            ),
        )];
        // The role's own sessions count too: `*` names them directly.
        assert_eq!(
            edges(&dumps),
            [
                "* -assume-> role/Shared A:aws:PrincipalOrgID",
                "role/Shared -assume-> role/Shared A:aws:PrincipalOrgID",
                "user/bob -assume-> role/Shared A:aws:PrincipalOrgID",
            ]
        );
    }

    // Role chaining: an edge from a role is chained and capped at an hour;
    // external accounts are nodes of their own.
    #[test]
    fn chaining_and_external_accounts() {
        let dumps = [(
            A,
            dump(
                vec![],
                vec![
                    role(
                        A,
                        "First",
                        trust(json!({"AWS": "999999999999"}), None),
                        Some(doc(json!([allow("sts:AssumeRole", "*")]))),
                    ),
                    role(
                        A,
                        "Second",
                        trust(json!({"AWS": format!("arn:aws:iam::{A}:role/First")}), None),
                        None,
                    ),
                ],
                vec![],
            ),
        )];
        let outcome = load(
            &[InputSpec::Text {
                name: format!("{A}.authorization-details.json"),
                text: dumps[0].1.to_string(),
            }],
            &LoadOptions::default(),
        );
        let g = build(&outcome.inventory, &BuildOptions { threads: 1 });
        let list: Vec<(String, bool, bool, Option<u32>)> = g
            .edges()
            .map(|(f, _, e)| (f.id.clone(), e.chained, e.external, e.max_session_seconds))
            .collect();
        assert_eq!(
            list,
            [
                (
                    format!("arn:aws:iam::{A}:role/First"),
                    true,
                    false,
                    Some(3600)
                ),
                (
                    "arn:aws:iam::999999999999:root".to_owned(),
                    false,
                    true,
                    None
                ),
            ]
        );
    }

    // iam:PassRole to Lambda with the create and invoke actions: a
    // pass-role edge; iam:PassedToService limited to EC2: none.
    #[test]
    fn pass_role_to_lambda() {
        let lambda_trust = trust(json!({"Service": "lambda.amazonaws.com"}), None);
        let passer = |name: &str, service: &str| {
            user(
                A,
                name,
                Some(doc(json!([
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
                     "Condition": {"StringEquals": {"iam:PassedToService": service}}},
                    allow("lambda:*", "*"),
                ]))),
                None,
            )
        };
        let dumps = [(
            A,
            dump(
                vec![
                    passer("dev", "lambda.amazonaws.com"),
                    passer("ops", "ec2.amazonaws.com"),
                ],
                vec![role(A, "fn-role", lambda_trust, None)],
                vec![],
            ),
        )];
        assert_eq!(
            edges(&dumps),
            [
                "user/dev -pass-role-> role/fn-role",
                "lambda.amazonaws.com -assume-> role/fn-role",
            ]
        );
    }

    // A caller allowed `lambda:CreateFunction` and `lambda:InvokeFunction`
    // only on `function:app-*`, and `iam:PassRole` on the role, creates a
    // function `app-x` running as the role: the "permissions to pass a
    // role" are the PassRole grant plus the service's own actions
    // ("Granting a user permissions to pass a role to an AWS service",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
    // An explicit Deny covering those functions wins ("Policy evaluation
    // logic"), and so does a permissions boundary allowing other functions
    // only; a grant on another account's functions or on another service's
    // resources names no function the caller can create here.
    #[test]
    fn pass_role_with_scoped_grants() {
        let lambda_trust = trust(json!({"Service": "lambda.amazonaws.com"}), None);
        let passer = |name: &str, resource: &str, extra: Vec<Value>, boundary: Option<&str>| {
            let mut statements = vec![
                allow("iam:PassRole", &format!("arn:aws:iam::{A}:role/fn-role")),
                json!({"Effect": "Allow",
                       "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                       "Resource": resource}),
            ];
            statements.extend(extra);
            user(A, name, Some(doc(Value::Array(statements))), boundary)
        };
        let boundary = |name: &str, functions: &str| {
            let arn = format!("arn:aws:iam::{A}:policy/{name}");
            let document = doc(json!([
                allow("iam:PassRole", "*"),
                allow("lambda:*", functions)
            ]));
            let policy = json!({
                "PolicyName": name, "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
                "PolicyVersionList": [{"Document": document, "VersionId": "v1", "IsDefaultVersion": true}]
            });
            (arn, policy)
        };
        let (elsewhere, elsewhere_policy) =
            boundary("elsewhere", "arn:aws:lambda:*:*:function:other-*");
        let (wide, wide_policy) = boundary("wide", "*");
        let scoped = format!("arn:aws:lambda:us-east-1:{A}:function:app-*");
        let deny = json!({"Effect": "Deny", "Action": "lambda:*",
                          "Resource": "arn:aws:lambda:*:*:function:*"});
        let users = vec![
            passer("scoped", &scoped, vec![], None),
            passer("denied", &scoped, vec![deny], None),
            passer(
                "other-account",
                &format!("arn:aws:lambda:us-east-1:{B}:function:app-*"),
                vec![],
                None,
            ),
            passer(
                "other-service",
                "arn:aws:s3:::app-*",
                vec![allow("s3:*", "*")],
                None,
            ),
            passer("bounded-elsewhere", &scoped, vec![], Some(&elsewhere)),
            passer("bounded-wide", &scoped, vec![], Some(&wide)),
        ];
        let dumps = [(
            A,
            dump(
                users,
                vec![role(A, "fn-role", lambda_trust, None)],
                vec![elsewhere_policy, wide_policy],
            ),
        )];
        assert_eq!(
            edges(&dumps),
            [
                "user/bounded-wide -pass-role-> role/fn-role",
                "user/scoped -pass-role-> role/fn-role",
                "lambda.amazonaws.com -assume-> role/fn-role",
            ]
        );
    }

    #[test]
    fn balanced_splits_by_weight() {
        let items = [5, 1, 1, 1, 1, 1];
        let parts = balanced(&items, 2, |w| *w);
        assert_eq!(parts, [&items[..1], &items[1..]]);
        assert_eq!(balanced(&items, 1, |w| *w).len(), 1);
        assert!(balanced::<usize>(&[], 2, |w| *w).is_empty());
    }
}
