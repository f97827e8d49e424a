//! `rolecall who-can-assume` and `rolecall paths`: paths through the graph,
//! for people or as JSON.
//!
//! JSON, version 1: who-can-assume
//! `{"version":1,"role","principals":[{"id","kind","account"?,"hops",
//! "chained","conditional","path":[edge]}]}`; paths
//! `{"version":1,"from","to","max_hops","shortest":[edge]|null,
//! "paths":[[edge]],"truncated"}`, each edge as in `rolecall graph`.

use std::io::{self, Write};

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::{Value, json};

use super::graph::{condition_text, edge_json, policy_kind};
use crate::graph::{EdgeKind, Graph, Paths, Reach};

fn path_json(graph: &Graph, path: &[EdgeIndex]) -> Vec<Value> {
    path.iter()
        .filter_map(|e| graph.edge(*e))
        .map(|(from, to, edge)| edge_json(from, to, edge))
        .collect()
}

/// Whether the session a path yields is chained (its last hop assumes a
/// role from a role session), so at most one hour long.
fn chained(graph: &Graph, path: &[EdgeIndex]) -> bool {
    path.last()
        .and_then(|e| graph.edge(*e))
        .is_some_and(|(_, _, e)| e.kind == EdgeKind::Assume && e.chained)
}

fn conditional(graph: &Graph, path: &[EdgeIndex]) -> bool {
    path.iter()
        .filter_map(|e| graph.edge(*e))
        .any(|(_, _, e)| !e.conditions.is_empty())
}

/// Writes who can reach `role` as JSON.
pub fn who_json(
    out: &mut dyn Write,
    graph: &Graph,
    role: NodeIndex,
    reach: &[Reach],
) -> io::Result<()> {
    let principals: Vec<Value> = reach
        .iter()
        .filter_map(|r| {
            let node = graph.node(r.node)?;
            Some(json!({
                "id": node.id,
                "kind": node.kind,
                "account": node.account,
                "hops": r.path.len(),
                "chained": chained(graph, &r.path),
                "conditional": conditional(graph, &r.path),
                "path": path_json(graph, &r.path),
            }))
        })
        .collect();
    let doc = json!({
        "version": super::json::VERSION,
        "role": graph.node(role).map(|n| n.id.clone()),
        "principals": principals,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// One path as indented lines: each hop with its conditions.
fn path_text(graph: &Graph, path: &[EdgeIndex], indent: &str) -> String {
    let mut s = String::new();
    for e in path {
        let Some((_, to, edge)) = graph.edge(*e) else {
            continue;
        };
        let mut how = edge.kind.name().to_owned();
        if let Some(service) = edge.service.filter(|_| edge.kind == EdgeKind::PassRole) {
            how.push_str(&format!(" to {service}"));
        }
        if edge.chained {
            how.push_str(", chained: at most 3600 s");
        }
        if edge.external {
            how.push_str(", if its own account allows");
        }
        s.push_str(&format!("{indent}→ {} ({how})\n", to.id));
        let alternatives = edge.conditions.iter().any(|c| c.alternative.is_some());
        for c in &edge.conditions {
            let alt = match c.alternative {
                Some(i) if alternatives => format!(" [alternative {}]", i + 1),
                _ => String::new(),
            };
            s.push_str(&format!(
                "{indent}    if {}{alt} ({} `{}`, statement {})\n",
                condition_text(c),
                policy_kind(c.policy_type),
                c.policy,
                c.statement
            ));
        }
    }
    s
}

/// Writes who can reach `role` for people.
pub fn who_human(
    out: &mut dyn Write,
    graph: &Graph,
    role: NodeIndex,
    reach: &[Reach],
) -> io::Result<()> {
    let name = graph.node(role).map_or("?", |n| n.id.as_str());
    match reach.len() {
        0 => writeln!(out, "nothing in the inventory can reach {name}")?,
        1 => writeln!(out, "1 principal can reach {name}:")?,
        n => writeln!(out, "{n} principals can reach {name}:")?,
    }
    for r in reach {
        let Some(node) = graph.node(r.node) else {
            continue;
        };
        let account = node
            .account
            .as_deref()
            .map(|a| format!(", account {a}"))
            .unwrap_or_default();
        let hops = if r.path.len() == 1 {
            "1 hop".to_owned()
        } else {
            format!("{} hops", r.path.len())
        };
        writeln!(
            out,
            "\n  {} ({}{account}; {hops})",
            node.id,
            node.kind.name()
        )?;
        write!(out, "{}", path_text(graph, &r.path, "    "))?;
    }
    Ok(())
}

/// Writes paths as JSON.
pub fn paths_json(
    out: &mut dyn Write,
    graph: &Graph,
    from: NodeIndex,
    to: NodeIndex,
    max_hops: usize,
    paths: &Paths,
) -> io::Result<()> {
    let doc = json!({
        "version": super::json::VERSION,
        "from": graph.node(from).map(|n| n.id.clone()),
        "to": graph.node(to).map(|n| n.id.clone()),
        "max_hops": max_hops,
        "shortest": paths.shortest.as_ref().map(|p| path_json(graph, p)),
        "paths": paths.all.iter().map(|p| path_json(graph, p)).collect::<Vec<_>>(),
        "truncated": paths.truncated,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes paths for people.
pub fn paths_human(
    out: &mut dyn Write,
    graph: &Graph,
    from: NodeIndex,
    to: NodeIndex,
    max_hops: usize,
    paths: &Paths,
) -> io::Result<()> {
    let (a, b) = (
        graph.node(from).map_or("?", |n| n.id.as_str()),
        graph.node(to).map_or("?", |n| n.id.as_str()),
    );
    let Some(shortest) = &paths.shortest else {
        return writeln!(out, "no path from {a} to {b}");
    };
    writeln!(
        out,
        "shortest path from {a} to {b} ({} hops):",
        shortest.len()
    )?;
    writeln!(out, "  {a}")?;
    write!(out, "{}", path_text(graph, shortest, "  "))?;
    writeln!(
        out,
        "\n{} simple path{} of at most {max_hops} hops{}:",
        paths.all.len(),
        if paths.all.len() == 1 { "" } else { "s" },
        if paths.truncated { " (truncated)" } else { "" }
    )?;
    for (i, p) in paths.all.iter().enumerate() {
        writeln!(out, "\n  {}. {a}", i + 1)?;
        write!(out, "{}", path_text(graph, p, "     "))?;
    }
    Ok(())
}
