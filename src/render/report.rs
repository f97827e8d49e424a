//! `rolecall report`: the audit report as one self-contained HTML page
//! ([`html`]) or as GitHub Markdown ([`markdown`]).
//!
//! Both read the same [`Report`]; what they share (how a hop, a path and a
//! node are named; which roles an overview singles out) lives here.

mod diagram;
mod html;
mod markdown;

use petgraph::graph::{EdgeIndex, NodeIndex};

pub use html::html;
pub use markdown::markdown;

use super::graph::condition_text;
pub(crate) use super::graph::xml_escape as escape;
use crate::graph::{Edge, EdgeKind, Node, NodeKind};
use crate::report::{EstateView, RoleView};

/// Graphs with more nodes than this are drawn as an account overview with
/// per-role drill-downs instead of whole.
pub const FULL_GRAPH_NODES: usize = 60;
/// Roles with a section of their own in a large estate.
pub const NOTABLE_ROLES: usize = 200;
/// Of those, the ones drawn with their neighbourhood.
pub const NOTABLE_ROLE_DIAGRAMS: usize = 40;

/// Whether the estate is drawn whole.
pub(crate) fn drawn_whole(estate: &EstateView) -> bool {
    estate.graph.petgraph().node_count() <= FULL_GRAPH_NODES
}

/// A node's short name: the resource part of an ARN (`role/ops/Admin`),
/// else its id (`ec2.amazonaws.com`, `*`).
pub(crate) fn short_name(node: &Node) -> &str {
    match node.kind {
        NodeKind::User
        | NodeKind::Role
        | NodeKind::InstanceProfile
        | NodeKind::ExternalPrincipal
        | NodeKind::OidcProvider
        | NodeKind::SamlProvider => node.id.splitn(6, ':').nth(5).unwrap_or(&node.id),
        NodeKind::Anyone => "anyone (*)",
        _ => &node.id,
    }
}

/// How an edge is used, in words: `assume`, `pass-role to
/// lambda.amazonaws.com`, `instance profile`, with chaining and an outside
/// source noted.
pub(crate) fn how(edge: &Edge) -> String {
    let mut s = match (edge.kind, edge.action) {
        (EdgeKind::Assume, Some(action)) => action.to_owned(),
        (EdgeKind::PassRole, _) => match edge.service {
            Some(service) => format!("iam:PassRole to {service}"),
            None => "iam:PassRole".to_owned(),
        },
        (EdgeKind::InstanceProfile, _) => "instance profile".to_owned(),
        (kind, None) => kind.name().to_owned(),
    };
    if edge.chained {
        s.push_str(", chained (≤ 1 h)");
    }
    if edge.external {
        s.push_str(", if its own account allows");
    }
    s
}

/// The conditions of an edge, one line each (empty: none).
pub(crate) fn conditions(edge: &Edge) -> Vec<String> {
    let alternatives = edge.conditions.iter().any(|c| c.alternative.is_some());
    edge.conditions
        .iter()
        .map(|c| {
            let alt = match c.alternative {
                Some(i) if alternatives => format!(" [or-group {}]", i + 1),
                _ => String::new(),
            };
            format!("{}{alt} ({})", condition_text(c), c.statement)
        })
        .collect()
}

/// The CSS classes (also the Markdown badges) of an edge: what makes it
/// worth a look.
pub(crate) fn edge_flags(estate: &EstateView, edge: EdgeIndex) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if estate.public(edge) {
        flags.push("public");
    } else if estate.external(edge) {
        flags.push("external");
    }
    if estate.cross_account(edge) {
        flags.push("cross-account");
    }
    if estate
        .graph
        .edge(edge)
        .is_some_and(|(_, _, e)| e.kind == EdgeKind::PassRole)
    {
        flags.push("pass-role");
    }
    if estate.admin_edges.contains(&edge) {
        flags.push("to-admin");
    }
    flags
}

/// The CSS classes of a node: its kind, and `admin`, `escalation`,
/// `outside` when they apply.
pub(crate) fn node_flags(estate: &EstateView, node: NodeIndex) -> Vec<&'static str> {
    let Some(n) = estate.graph.node(node) else {
        return Vec::new();
    };
    let mut flags = vec![n.kind.name()];
    if estate.admins.contains_key(&node) {
        flags.push("admin");
    }
    if estate.escalation.contains(&node) {
        flags.push("escalation");
    }
    if matches!(
        n.kind,
        NodeKind::Account | NodeKind::ExternalPrincipal | NodeKind::Anyone
    ) {
        flags.push("outside");
    }
    flags
}

/// How much a role deserves its own section in a large estate (0: not):
/// admin-equivalent or open to anyone first, then holding an escalation or
/// trusted from outside without conditions, then any other trust from
/// outside or from another account.
pub(crate) fn notability(estate: &EstateView, role: &RoleView) -> u32 {
    let mut score = 0;
    if estate.admins.contains_key(&role.role) {
        score += 8;
    }
    if estate.escalation.contains(&role.role) {
        score += 4;
    }
    for e in &role.incoming {
        let unconditional = estate
            .graph
            .edge(*e)
            .is_some_and(|(_, _, edge)| edge.conditions.is_empty());
        score += if estate.public(*e) {
            8
        } else if estate.external(*e) && unconditional {
            4
        } else if estate.external(*e) || estate.cross_account(*e) {
            1
        } else {
            0
        };
    }
    score
}

/// The roles of a large estate that get a section of their own, most
/// notable first, at most [`NOTABLE_ROLES`].
pub(crate) fn notable_roles(estate: &EstateView) -> Vec<NodeIndex> {
    let mut scored: Vec<(u32, NodeIndex)> = estate
        .roles
        .iter()
        .map(|r| (notability(estate, r), r.role))
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            let id = |n: NodeIndex| estate.graph.node(n).map(|n| n.id.as_str());
            id(a.1).cmp(&id(b.1))
        })
    });
    scored
        .into_iter()
        .take(NOTABLE_ROLES)
        .map(|(_, r)| r)
        .collect()
}

/// The id of a role's section.
pub(crate) fn anchor(estate: usize, node: NodeIndex) -> String {
    format!("e{estate}-n{}", node.index())
}

/// The AWS service, when every edge into the role comes from it (an EC2
/// instance profile counts as `ec2.amazonaws.com`): such roles are listed
/// by service in a large estate.
pub(crate) fn service_only<'e>(estate: &'e EstateView, role: &RoleView) -> Option<&'e str> {
    let mut service: Option<&str> = None;
    for e in &role.incoming {
        let (from, _, _) = estate.graph.edge(*e)?;
        let this = match from.kind {
            NodeKind::Service => from.id.as_str(),
            NodeKind::InstanceProfile => "ec2.amazonaws.com",
            _ => return None,
        };
        if service.is_some_and(|s| s != this) {
            return None;
        }
        service = Some(this);
    }
    service
}

/// A finding's message or fix split into plain text and the `code` spans
/// rules write with backticks (`true`: code); an unpaired backtick stays text.
pub(crate) fn code_spans(text: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = text.split('`').collect();
    let paired = parts.len() % 2 == 1;
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let code = i % 2 == 1 && (paired || i + 1 < parts.len() - 1);
        if code {
            out.push((true, *part));
        } else if i % 2 == 1 {
            out.push((false, "`"));
            out.push((false, *part));
        } else if !part.is_empty() {
            out.push((false, *part));
        }
    }
    out
}

/// `n thing` / `n things`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_pair_backticks() {
        assert_eq!(
            code_spans("role `a` trusts `b`."),
            [
                (false, "role "),
                (true, "a"),
                (false, " trusts "),
                (true, "b"),
                (false, ".")
            ]
        );
        assert_eq!(
            code_spans("odd ` tick"),
            [(false, "odd "), (false, "`"), (false, " tick")]
        );
        assert_eq!(code_spans(""), []);
    }
}
