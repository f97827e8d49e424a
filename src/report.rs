//! The audit report: what `rolecall report` shows, gathered once from the
//! linter's findings, the who-can-assume graph and the inventory, so the
//! HTML and Markdown renderers (`render::report`) only draw it.
//!
//! Built estate by estate as the linter loads them ([`ReportBuilder::estate`]
//! sees each inventory before it is dropped), then finished with the
//! findings ([`ReportBuilder::finish`]).
//!
//! A report holds:
//! * a summary: accounts, principals, policies, the catalog version, the
//!   snapshots' manifests;
//! * the findings grouped by rule, ranked by finding type then security
//!   severity, each with the principals holding the policy and the
//!   offending statement;
//! * per estate: the graph, the admin-equivalent principals, every
//!   principal with a path to an admin-equivalent role (and the path), and
//!   for each role the edges into it with their conditions.
//!
//! With an expectations file (`--verify`), each estate also holds the
//! outcomes of `rolecall verify` on it.

mod admin;
mod locate;

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::graph::{BuildOptions, Graph, NodeKind, build, who_can_assume};
use crate::inventory::{LoadOutcome, SnapshotManifest};
use crate::lint::{Finding, FindingType, RuleMeta, registry};
use crate::verify::{self, Expectations};

pub use admin::AdminGrant;
pub use locate::Snippet;

/// Findings of one rule beyond this many are listed without their snippet.
pub const DETAILED_PER_RULE: usize = 8;
/// Findings of one rule beyond this many are only counted.
pub const LISTED_PER_RULE: usize = 500;

/// Everything the report shows.
#[derive(Debug)]
pub struct Report {
    /// The INPUTs, as given.
    pub inputs: Vec<String>,
    /// Counts and provenance.
    pub summary: Summary,
    /// Findings by rule, most serious first.
    pub rules: Vec<RuleFindings>,
    /// The estates (each snapshot directory is one; other inputs one more),
    /// those without principals left out.
    pub estates: Vec<EstateView>,
    /// The expectations file checked on each estate (`--verify`), if any.
    pub expectations: Option<String>,
}

/// Counts and provenance.
#[derive(Debug, Default)]
pub struct Summary {
    /// Distinct accounts holding principals or policies.
    pub accounts: usize,
    /// IAM users.
    pub users: usize,
    /// IAM groups.
    pub groups: usize,
    /// IAM roles.
    pub roles: usize,
    /// Policy documents analysed (inline, managed, trust, SCP/RCP, resource,
    /// stand-alone).
    pub policies: usize,
    /// The embedded AWS service catalog's version.
    pub catalog_version: String,
    /// The manifests of the snapshots read.
    pub snapshots: Vec<SnapshotManifest>,
    /// Findings per type, most serious first (every type, zeros included).
    pub by_type: Vec<(FindingType, usize)>,
    /// Principals with a path to an admin-equivalent role or holding admin
    /// themselves, over all estates.
    pub reach_admin: usize,
}

impl Summary {
    /// Users plus roles.
    pub fn principals(&self) -> usize {
        self.users + self.roles
    }
}

/// The findings of one rule (of one type: configuration may change a
/// rule's type for some files).
#[derive(Debug)]
pub struct RuleFindings {
    /// The rule.
    pub rule: &'static RuleMeta,
    /// The findings' type.
    pub finding_type: FindingType,
    /// Every finding, in file order.
    pub findings: Vec<ReportFinding>,
}

/// One finding with what the report adds to it.
#[derive(Debug)]
pub struct ReportFinding {
    /// The finding.
    pub finding: Finding,
    /// 1-based line of the primary location in the finding's file.
    pub line: Option<usize>,
    /// The principals holding the policy (its owner, or those attaching a
    /// managed policy), at most [`locate::MAX_HOLDERS`].
    pub principals: Vec<String>,
    /// How many principals hold it in all.
    pub principal_count: usize,
    /// The offending statement, for the first [`DETAILED_PER_RULE`].
    pub snippet: Option<Snippet>,
}

/// One estate's trust picture.
#[derive(Debug)]
pub struct EstateView {
    /// What was loaded, for headings.
    pub name: String,
    /// The who-can-assume graph.
    pub graph: Graph,
    /// Admin-equivalent principals (users, roles) and the policy that makes
    /// them so.
    pub admins: HashMap<NodeIndex, AdminGrant>,
    /// Every principal that reaches an admin-equivalent role, with its
    /// shortest path to the nearest one; holders of admin themselves first
    /// (with an empty path).
    pub admin_reach: Vec<AdminReach>,
    /// Every role with the edges into it, by account then ARN.
    pub roles: Vec<RoleView>,
    /// Principals holding a policy `privilege-escalation` flags.
    pub escalation: HashSet<NodeIndex>,
    /// Edges on some path of `admin_reach`.
    pub admin_edges: HashSet<EdgeIndex>,
    /// The expectations' outcomes on this estate (`--verify`).
    pub verify: Option<verify::Report>,
}

/// A principal that can become admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminReach {
    /// The principal.
    pub principal: NodeIndex,
    /// The admin-equivalent role it reaches (the principal itself when it
    /// holds admin).
    pub admin: NodeIndex,
    /// The edges from the principal to `admin`, in order.
    pub path: Vec<EdgeIndex>,
}

/// A role and who can assume it.
#[derive(Debug, Clone)]
pub struct RoleView {
    /// The role.
    pub role: NodeIndex,
    /// The edges into it (assume, pass-role, instance profile), by source id.
    pub incoming: Vec<EdgeIndex>,
}

impl EstateView {
    /// Whether an edge crosses accounts: its ends are in different accounts,
    /// or its source is outside the inventory.
    pub fn cross_account(&self, edge: EdgeIndex) -> bool {
        self.graph.edge(edge).is_some_and(|(from, to, _)| {
            matches!(
                from.kind,
                NodeKind::Account | NodeKind::ExternalPrincipal | NodeKind::Anyone
            ) || matches!((&from.account, &to.account), (Some(a), Some(b)) if a != b)
        })
    }

    /// Whether an edge trusts something outside the inventory: anyone, an
    /// account or principal the inventory does not cover, or a source whose
    /// own policies are unknown.
    pub fn external(&self, edge: EdgeIndex) -> bool {
        self.graph.edge(edge).is_some_and(|(from, _, e)| {
            e.external
                || matches!(
                    from.kind,
                    NodeKind::Account | NodeKind::ExternalPrincipal | NodeKind::Anyone
                )
        })
    }

    /// Whether an edge lets anyone in (`"Principal": "*"`).
    pub fn public(&self, edge: EdgeIndex) -> bool {
        self.graph
            .edge(edge)
            .is_some_and(|(from, _, _)| from.kind == NodeKind::Anyone)
    }
}

/// Gathers a report estate by estate.
#[derive(Debug, Default)]
pub struct ReportBuilder {
    inputs: Vec<String>,
    summary: Summary,
    accounts: HashSet<String>,
    estates: Vec<EstateView>,
    index: locate::DocumentIndex,
    /// Per estate: principal ARN → node, for findings' principals.
    nodes: Vec<HashMap<String, NodeIndex>>,
    /// The expectations to check on every estate.
    expectations: Option<(Expectations, verify::Options)>,
}

impl ReportBuilder {
    /// A report of these INPUTs.
    pub fn new(inputs: Vec<String>) -> Self {
        Self {
            inputs,
            ..Self::default()
        }
    }

    /// Checks these expectations on every estate too.
    pub fn verify(mut self, expectations: Expectations, options: verify::Options) -> Self {
        self.expectations = Some((expectations, options));
        self
    }

    /// Adds one estate: counts its inventory, builds its graph, finds its
    /// admin-equivalent principals and who reaches them, and indexes its
    /// documents for the findings.
    pub fn estate(&mut self, name: String, outcome: &LoadOutcome) {
        let inventory = &outcome.inventory;
        self.summary.users += inventory.users().len();
        self.summary.groups += inventory.groups().len();
        self.summary.roles += inventory.roles().len();
        self.summary.policies += inventory.policies().count();
        self.summary
            .snapshots
            .extend(outcome.snapshots.iter().cloned());
        self.accounts
            .extend(inventory.accounts().iter().map(|a| a.id.clone()));
        self.index.add(inventory);
        if inventory.users().is_empty() && inventory.roles().is_empty() {
            return;
        }
        let graph = build(inventory, &BuildOptions::default());
        let admins: HashMap<NodeIndex, AdminGrant> = admin::admins(inventory)
            .into_iter()
            .filter_map(|(arn, grant)| Some((graph.find(&arn)?, grant)))
            .collect();
        let (admin_reach, admin_edges) = reach_admin(&graph, &admins);
        let roles = role_views(&graph);
        let g = graph.petgraph();
        let nodes = g
            .node_indices()
            .filter(|i| matches!(g[*i].kind, NodeKind::User | NodeKind::Role))
            .map(|i| (g[i].id.clone(), i))
            .collect();
        self.nodes.push(nodes);
        let verify = self
            .expectations
            .as_ref()
            .map(|(expectations, options)| verify::verify(inventory, expectations, options));
        self.estates.push(EstateView {
            name,
            graph,
            admins,
            admin_reach,
            roles,
            escalation: HashSet::new(),
            admin_edges,
            verify,
        });
    }

    /// Finishes the report with the linter's findings.
    pub fn finish(mut self, findings: Vec<Finding>) -> Report {
        self.summary.accounts = self.accounts.len();
        self.summary.catalog_version = crate::catalog::version();
        self.summary.reach_admin = self.estates.iter().map(|e| e.admin_reach.len()).sum();
        let mut counts: HashMap<FindingType, usize> = HashMap::new();
        let mut groups: BTreeMap<(usize, String), RuleFindings> = BTreeMap::new();
        for finding in findings {
            *counts.entry(finding.finding_type).or_default() += 1;
            let Some(rule) = registry::find(finding.rule).map(|r| r.meta()) else {
                continue;
            };
            let rank = FindingType::ALL
                .iter()
                .position(|t| *t == finding.finding_type)
                .unwrap_or(FindingType::ALL.len());
            groups
                .entry((rank, rule.id.to_owned()))
                .or_insert_with(|| RuleFindings {
                    rule,
                    finding_type: finding.finding_type,
                    findings: Vec::new(),
                })
                .findings
                .push(ReportFinding {
                    line: finding
                        .primary_span()
                        .map(|s| finding.file.line_col(s.start).line),
                    principals: Vec::new(),
                    principal_count: 0,
                    snippet: None,
                    finding,
                });
        }
        self.summary.by_type = FindingType::ALL
            .iter()
            .map(|t| (*t, counts.get(t).copied().unwrap_or(0)))
            .collect();
        let mut rules: Vec<RuleFindings> = groups.into_values().collect();
        // Within a type: higher security severity, then more findings, first.
        rules.sort_by(|a, b| {
            let severity = |r: &RuleFindings| r.rule.security_severity.unwrap_or(0.0);
            b.finding_type
                .cmp(&a.finding_type)
                .then(severity(b).total_cmp(&severity(a)))
                .then(b.findings.len().cmp(&a.findings.len()))
                .then(a.rule.id.cmp(b.rule.id))
        });
        for group in &mut rules {
            for (i, item) in group.findings.iter_mut().enumerate() {
                let Some(found) = self.index.locate(&item.finding) else {
                    if i < DETAILED_PER_RULE {
                        item.snippet = locate::file_snippet(&item.finding);
                    }
                    continue;
                };
                item.principal_count = found.holders.len();
                item.principals = found
                    .holders
                    .iter()
                    .take(locate::MAX_HOLDERS)
                    .cloned()
                    .collect();
                if i < DETAILED_PER_RULE {
                    item.snippet = found
                        .statement_snippet(&item.finding)
                        .or_else(|| locate::file_snippet(&item.finding));
                }
                if group.rule.id == "privilege-escalation" {
                    for (estate, nodes) in self.estates.iter_mut().zip(&self.nodes) {
                        estate
                            .escalation
                            .extend(found.holders.iter().filter_map(|h| nodes.get(h)));
                    }
                }
            }
        }
        Report {
            inputs: self.inputs,
            summary: self.summary,
            rules,
            estates: self.estates,
            expectations: self.expectations.map(|(e, _)| e.file.name().to_owned()),
        }
    }
}

/// Every principal with a path to an admin-equivalent role: one reverse
/// search per admin role ([`who_can_assume`]), keeping for each principal
/// the shortest path to the nearest; admin holders themselves first.
fn reach_admin(
    graph: &Graph,
    admins: &HashMap<NodeIndex, AdminGrant>,
) -> (Vec<AdminReach>, HashSet<EdgeIndex>) {
    let mut best: HashMap<NodeIndex, AdminReach> = HashMap::new();
    let mut admin_roles: Vec<NodeIndex> = admins
        .keys()
        .copied()
        .filter(|n| graph.node(*n).is_some_and(|n| n.kind == NodeKind::Role))
        .collect();
    admin_roles.sort_by(|a, b| id(graph, *a).cmp(id(graph, *b)));
    for &role in &admin_roles {
        for reach in who_can_assume(graph, role) {
            if admins.contains_key(&reach.node) {
                continue;
            }
            let shorter = best
                .get(&reach.node)
                .is_none_or(|b| reach.path.len() < b.path.len());
            if shorter {
                best.insert(
                    reach.node,
                    AdminReach {
                        principal: reach.node,
                        admin: role,
                        path: reach.path,
                    },
                );
            }
        }
    }
    let mut holders: Vec<AdminReach> = admins
        .keys()
        .map(|&n| AdminReach {
            principal: n,
            admin: n,
            path: Vec::new(),
        })
        .collect();
    holders.sort_by(|a, b| id(graph, a.principal).cmp(id(graph, b.principal)));
    let mut reached: Vec<AdminReach> = best.into_values().collect();
    reached.sort_by(|a, b| {
        a.path
            .len()
            .cmp(&b.path.len())
            .then_with(|| id(graph, a.principal).cmp(id(graph, b.principal)))
    });
    let edges = reached
        .iter()
        .flat_map(|r| r.path.iter().copied())
        .collect();
    holders.extend(reached);
    (holders, edges)
}

fn id(graph: &Graph, node: NodeIndex) -> &str {
    graph.node(node).map_or("", |n| n.id.as_str())
}

/// Every role with its incoming edges, by account then ARN.
fn role_views(graph: &Graph) -> Vec<RoleView> {
    let g = graph.petgraph();
    let mut roles: Vec<RoleView> = g
        .node_indices()
        .filter(|i| g[*i].kind == NodeKind::Role)
        .map(|role| {
            let mut incoming: Vec<EdgeIndex> = g
                .edges_directed(role, Direction::Incoming)
                .map(|e| e.id())
                .collect();
            incoming.sort_by(|a, b| {
                let source = |e: &EdgeIndex| g.edge_endpoints(*e).map(|(s, _)| g[s].id.as_str());
                source(a).cmp(&source(b)).then(a.cmp(b))
            });
            RoleView { role, incoming }
        })
        .collect();
    roles.sort_by(|a, b| {
        let key = |r: &RoleView| (&g[r.role].account, &g[r.role].id);
        key(a).cmp(&key(b))
    });
    roles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::EdgeKind;
    use crate::inventory::{InputSpec, LoadOptions, load};
    use crate::lint::{Config, Linter};

    /// `dev` may pass any role to Lambda and create and invoke functions (a
    /// `privilege-escalation`); `Admin` trusts Lambda and holds
    /// AdministratorAccess; `ops` may assume `Admin`; `Vendor` trusts an
    /// outside account.
    fn estate() -> Report {
        let lambda_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ops"},"Action":"sts:AssumeRole"}]}"#;
        let vendor_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}"#;
        let pass = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*"}]}"#;
        let assume = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/Admin"}]}"#;
        let text = format!(
            r#"{{"UserDetailList":[
                {{"UserName":"dev","Arn":"arn:aws:iam::111122223333:user/dev","GroupList":[],"UserPolicyList":[{{"PolicyName":"launch","PolicyDocument":{pass}}}],"AttachedManagedPolicies":[]}},
                {{"UserName":"ops","Arn":"arn:aws:iam::111122223333:user/ops","GroupList":[],"UserPolicyList":[{{"PolicyName":"assume","PolicyDocument":{assume}}}],"AttachedManagedPolicies":[]}}],
              "GroupDetailList":[],"Policies":[],
              "RoleDetailList":[
                {{"RoleName":"Admin","Arn":"arn:aws:iam::111122223333:role/Admin","AssumeRolePolicyDocument":{lambda_trust},"RolePolicyList":[],"AttachedManagedPolicies":[{{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}]}},
                {{"RoleName":"Vendor","Arn":"arn:aws:iam::111122223333:role/Vendor","AssumeRolePolicyDocument":{vendor_trust},"RolePolicyList":[],"AttachedManagedPolicies":[]}}]}}"#
        );
        let outcome = load(
            &[InputSpec::Text {
                name: "auth.json".into(),
                text,
            }],
            &LoadOptions::default(),
        );
        let config = Config::default();
        let linter = Linter::new(&config);
        let findings = linter.finish(linter.inventory(&outcome.inventory, |_| true));
        let mut builder = ReportBuilder::new(vec!["auth.json".into()]);
        builder.estate("auth.json".into(), &outcome);
        builder.finish(findings)
    }

    fn node(report: &Report, id: &str) -> NodeIndex {
        report.estates[0].graph.find(id).unwrap()
    }

    #[test]
    fn paths_to_admin_include_pass_role_and_assume() {
        let report = estate();
        let e = &report.estates[0];
        let admin = node(&report, "arn:aws:iam::111122223333:role/Admin");
        assert!(e.admins.contains_key(&admin));
        let reach = |id: &str| {
            e.admin_reach
                .iter()
                .find(|r| r.principal == node(&report, id))
                .unwrap()
        };
        let holder = reach("arn:aws:iam::111122223333:role/Admin");
        assert!(holder.path.is_empty());
        let dev = reach("arn:aws:iam::111122223333:user/dev");
        assert_eq!(dev.admin, admin);
        let (_, _, first) = e.graph.edge(dev.path[0]).unwrap();
        assert_eq!(first.kind, EdgeKind::PassRole);
        let ops = reach("arn:aws:iam::111122223333:user/ops");
        assert_eq!(ops.path.len(), 1);
        assert!(e.admin_edges.contains(&ops.path[0]));
        // Holders first, then by hops.
        assert!(e.admin_reach[0].path.is_empty());
        assert_eq!(report.summary.reach_admin, e.admin_reach.len());
    }

    #[test]
    fn findings_are_ranked_located_and_mark_escalations() {
        let report = estate();
        let ranks: Vec<(FindingType, f32)> = report
            .rules
            .iter()
            .map(|g| (g.finding_type, g.rule.security_severity.unwrap_or(0.0)))
            .collect();
        let mut sorted = ranks.clone();
        sorted.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
        assert_eq!(ranks, sorted);
        let escalation = report
            .rules
            .iter()
            .find(|g| g.rule.id == "privilege-escalation")
            .unwrap();
        let item = &escalation.findings[0];
        assert_eq!(item.principals, ["arn:aws:iam::111122223333:user/dev"]);
        assert!(item.snippet.is_some());
        assert!(
            report.estates[0]
                .escalation
                .contains(&node(&report, "arn:aws:iam::111122223333:user/dev"))
        );
        let total: usize = report.summary.by_type.iter().map(|(_, n)| n).sum();
        assert_eq!(
            total,
            report.rules.iter().map(|g| g.findings.len()).sum::<usize>()
        );
    }

    #[test]
    fn outside_trust_is_flagged() {
        let report = estate();
        let e = &report.estates[0];
        let vendor = node(&report, "arn:aws:iam::111122223333:role/Vendor");
        let view = e.roles.iter().find(|r| r.role == vendor).unwrap();
        assert_eq!(view.incoming.len(), 1);
        let edge = view.incoming[0];
        assert!(e.external(edge) && e.cross_account(edge) && !e.public(edge));
        assert_eq!(report.summary.users, 2);
        assert_eq!(report.summary.roles, 2);
        assert_eq!(report.summary.accounts, 1);
    }
}
