//! Who can become which role: a directed graph over principals, built from
//! the inventory with the evaluation engine.
//!
//! Nodes are users, roles, instance profiles, service principals, identity
//! providers, and principals outside the inventory (accounts it does not
//! cover, principals of those accounts, and `*`). Edges say how one node
//! obtains a role's credentials:
//!
//! * `assume` — the node can call `sts:AssumeRole` (or
//!   `AssumeRoleWithWebIdentity` / `AssumeRoleWithSAML`) on the role: the
//!   engine allows it for some request context. The conditions that context
//!   must meet (external id, MFA, source IP, organization, tags, time, token
//!   claims…) are kept on the edge, never dropped. From a role the edge is
//!   role chaining, which AWS limits to one-hour sessions.
//! * `pass-role` — the node can pass the role to a service that runs code
//!   as the role (EC2 through an instance profile, Lambda, ECS, Glue,
//!   CloudFormation, CodeBuild, SageMaker) and start that code.
//! * `instance-profile` — an instance profile delivers the role's
//!   credentials to the EC2 instances launched with it.
//!
//! [`build`] makes the graph; [`who_can_assume`] and [`paths`] query it;
//! [`why`] diagnoses one principal and role from the inventory alone.

mod build;
mod caller;
mod candidates;
mod fix;
mod pass_role;
mod perform;
mod policies;
mod query;
#[cfg(test)]
pub(crate) mod testing;
mod why;

use std::collections::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::Serialize;

use crate::eval::PolicyType;

pub use build::{BuildOptions, build};
pub use fix::Fix;
pub use perform::{Diagnoser, Miss, PerformError, PerformRequest, Performance, TypeOutcome};
pub use query::{
    PATH_LIMIT, Paths, Reach, paths, reachable_from, who_can_assume, who_can_assume_all,
};
pub use why::{
    Check, CheckId, CheckStatus, ContextEntry, Diagnosis, Site, WhyError, WhyRequest, why,
};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// An IAM user.
    User,
    /// An IAM role.
    Role,
    /// An EC2 instance profile.
    InstanceProfile,
    /// An AWS service principal (`ec2.amazonaws.com`).
    Service,
    /// An OIDC identity provider (by ARN, or a well-known host such as
    /// `accounts.google.com`).
    OidcProvider,
    /// A SAML identity provider.
    SamlProvider,
    /// An account outside the inventory: whichever of its principals its
    /// own administrators allow (`arn:aws:iam::ACCOUNT:root`).
    Account,
    /// A principal outside the inventory named by its ARN.
    ExternalPrincipal,
    /// Anyone: `"Principal": "*"` (`*`).
    Anyone,
}

impl NodeKind {
    /// The name used in exports.
    pub fn name(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Role => "role",
            Self::InstanceProfile => "instance-profile",
            Self::Service => "service",
            Self::OidcProvider => "oidc-provider",
            Self::SamlProvider => "saml-provider",
            Self::Account => "account",
            Self::ExternalPrincipal => "external-principal",
            Self::Anyone => "anyone",
        }
    }
}

/// A node: a principal, or what stands for principals outside the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Its ARN; a service principal or well-known provider by its name;
    /// `*` for anyone.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// The account it belongs to, when it belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// How an edge's source obtains the target role's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Calls `sts:AssumeRole*` on the role.
    Assume,
    /// Passes the role to a service and starts code that runs as it.
    PassRole,
    /// An instance profile holding the role.
    InstanceProfile,
}

impl EdgeKind {
    /// The name used in exports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Assume => "assume",
            Self::PassRole => "pass-role",
            Self::InstanceProfile => "instance-profile",
        }
    }
}

/// One condition a request must meet for an edge to be usable: a test on a
/// key whose value the caller controls or the inventory does not know.
///
/// With `effect` `Allow`, the request must satisfy every condition of that
/// statement; when conditions of one policy type come from several
/// statements (`alternative` 0, 1, …), satisfying those of any one
/// statement is enough. With `effect` `Deny`, the request must not satisfy
/// all the conditions of that statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeCondition {
    /// `Allow`: must hold; `Deny`: must not.
    pub effect: &'static str,
    /// The policy type holding it (`resource` is the trust policy).
    pub policy_type: PolicyType,
    /// The policy's name.
    pub policy: String,
    /// The statement: `Sid`, or `#index`.
    pub statement: String,
    /// Which alternative statement, when a policy type offers several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<usize>,
    /// The condition operator.
    pub operator: String,
    /// The condition key.
    pub key: String,
    /// The policy's values.
    pub values: Vec<String>,
}

/// An edge: how `from` obtains the credentials of the role `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// How.
    pub kind: EdgeKind,
    /// The API action (`sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`,
    /// `iam:PassRole`); none for an instance profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<&'static str>,
    /// For `pass-role` and `instance-profile`: the service the role serves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<&'static str>,
    /// The conditions the request must meet (empty: none).
    pub conditions: Vec<EdgeCondition>,
    /// The source is a role session, so this is role chaining: AWS caps
    /// the new session at one hour.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub chained: bool,
    /// The source's own policies are outside the inventory and were taken
    /// to allow (its account's administrators decide).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// The longest session this edge can yield, in seconds, when known:
    /// the role's `MaxSessionDuration`, or 3600 when chained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_session_seconds: Option<u32>,
}

/// Something the build could not use: a policy that cannot be evaluated, an
/// attached policy absent from the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The principal or policy concerned.
    pub subject: String,
    /// What is wrong (lowercase, no final period).
    pub message: String,
}

/// The who-can-assume graph.
#[derive(Debug, Default)]
pub struct Graph {
    graph: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    problems: Vec<Problem>,
}

impl Graph {
    /// The petgraph, for algorithms beyond the queries here.
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// Nodes, in a stable order (inventory principals first).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    /// Edges with their ends, sorted by source, target and kind.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> {
        self.graph.raw_edges().iter().filter_map(|e| {
            Some((
                self.graph.node_weight(e.source())?,
                self.graph.node_weight(e.target())?,
                &e.weight,
            ))
        })
    }

    /// The node with this id.
    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// A node.
    pub fn node(&self, index: NodeIndex) -> Option<&Node> {
        self.graph.node_weight(index)
    }

    /// An edge with its ends.
    pub fn edge(&self, index: EdgeIndex) -> Option<(&Node, &Node, &Edge)> {
        let (from, to) = self.graph.edge_endpoints(index)?;
        Some((
            self.graph.node_weight(from)?,
            self.graph.node_weight(to)?,
            self.graph.edge_weight(index)?,
        ))
    }

    /// What the build could not use.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}
