//! Expectations over a generated estate, for the verify bench and the
//! `gen_expectations` example: a mix of every assertion kind drawn from the
//! inventory and its graph (pairs that can assume, external principals that
//! must not, the exact sets of who can reach a role, permissions), so most
//! pass and some fail, as in a real file.

use std::fmt::Write;

use rolecall::graph::{EdgeKind, Graph, NodeKind, who_can_assume};
use rolecall::inventory::Inventory;

/// A TOML string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// About `count` assertions (one outcome each, plus one template over every
/// account) over the inventory, deterministic for its content.
pub fn expectations(inventory: &Inventory, graph: &Graph, count: usize) -> String {
    let mut out = String::new();
    let mut written = 0usize;
    // The engine role assuming the same role in every account.
    let engine = inventory
        .roles()
        .iter()
        .find(|r| r.common.name == "xsoar-engine");
    if let Some(engine) = engine {
        let accounts: Vec<String> = inventory
            .accounts()
            .iter()
            .filter(|a| a.id != engine.common.account_id)
            .map(|a| quoted(&a.id))
            .collect();
        written += accounts.len();
        let _ = writeln!(
            out,
            "[[same_role_in_accounts]]\nengine_role = {}\nrole_name = \"xsoar-target\"\naccounts = [{}]\n",
            quoted(&engine.common.arn),
            accounts.join(", ")
        );
    }
    let assume_edges: Vec<(String, String, Option<String>)> = graph
        .edges()
        .filter(|(from, _, e)| {
            e.kind == EdgeKind::Assume && matches!(from.kind, NodeKind::User | NodeKind::Role)
        })
        .map(|(from, to, e)| {
            let external_id = e
                .conditions
                .iter()
                .find(|c| c.key == "sts:ExternalId")
                .and_then(|c| c.values.first().cloned());
            (from.id.clone(), to.id.clone(), external_id)
        })
        .collect();
    let roles = inventory.roles();
    let users = inventory.users();
    let mut i = 0usize;
    while written < count && !roles.is_empty() {
        let role = &roles[(i * 7919) % roles.len()];
        match i % 10 {
            0..=3 if !assume_edges.is_empty() => {
                let (from, to, external_id) = &assume_edges[(i * 104_729) % assume_edges.len()];
                let _ = write!(
                    out,
                    "[[can_assume]]\nprincipal = {}\nroles = [{}]\n",
                    quoted(from),
                    quoted(to)
                );
                if let Some(id) = external_id {
                    let _ = writeln!(out, "external_id = {}", quoted(id));
                }
                out.push('\n');
            }
            4 | 5 => {
                let _ = writeln!(
                    out,
                    "[[cannot_assume]]\nprincipals = [\"external\", \"anyone\"]\nroles = [{}]\n",
                    quoted(&role.common.arn)
                );
            }
            6 => {
                let principals: Vec<String> = graph
                    .find(&role.common.arn)
                    .map(|node| who_can_assume(graph, node))
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| graph.node(r.node))
                    .filter(|n| !matches!(n.kind, NodeKind::Service | NodeKind::InstanceProfile))
                    .take(20)
                    .map(|n| quoted(&n.id))
                    .collect();
                let _ = writeln!(
                    out,
                    "[[only_assumable_by]]\nrole = {}\nprincipals = [{}]\n",
                    quoted(&role.common.arn),
                    principals.join(", ")
                );
            }
            7 if !users.is_empty() => {
                let user = &users[(i * 6151) % users.len()];
                let _ = writeln!(
                    out,
                    "[[cannot_perform]]\nprincipal = {}\nactions = [\"iam:CreateUser\"]\nresources = [\"*\"]\n",
                    quoted(&user.common.arn)
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "[[can_perform]]\nprincipal = {}\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::bucket-{}-1/key\"]\n",
                    quoted(&role.common.arn),
                    role.common.account_id
                );
            }
        }
        written += 1;
        i += 1;
    }
    out
}
