//! `rolecall graph`: the whole graph as JSON, Graphviz DOT, Mermaid or
//! GraphML.
//!
//! JSON, version 1 (documented in the README):
//! `{"version":1,"nodes":[{"id","kind","account"?}],"edges":[{"from","to",
//! "kind","action"?,"service"?,"conditions":[{"effect","policy_type",
//! "policy","statement","alternative"?,"operator","key","values"}],
//! "chained"?,"external"?,"max_session_seconds"?}],"problems":[{"subject",
//! "message"}]}`. Node ids are ARNs (services and well-known providers by
//! name, `*` for anyone).

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::eval::PolicyType;
use crate::graph::{Edge, EdgeCondition, EdgeKind, Graph, Node, NodeKind};

/// Writes the graph as one JSON document.
pub fn json(out: &mut dyn Write, graph: &Graph) -> io::Result<()> {
    let doc = json!({
        "version": super::json::VERSION,
        "nodes": graph.nodes().collect::<Vec<_>>(),
        "edges": graph.edges().map(|(from, to, edge)| edge_json(from, to, edge)).collect::<Vec<_>>(),
        "problems": graph.problems(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// One edge as JSON: `from`, `to`, then the edge's fields.
pub(crate) fn edge_json(from: &Node, to: &Node, edge: &Edge) -> Value {
    let mut value = json!({"from": from.id, "to": to.id});
    if let (Some(map), Ok(Value::Object(fields))) =
        (value.as_object_mut(), serde_json::to_value(edge))
    {
        map.extend(fields);
    }
    value
}

/// How output names a policy type: the resource-based policy of an
/// AssumeRole is the role's trust policy.
pub(crate) fn policy_kind(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Resource => "trust policy",
        t => t.describe(),
    }
}

/// A condition in words: `sts:ExternalId StringEquals 999` (`not if …` for
/// a `Deny`'s).
pub(crate) fn condition_text(c: &EdgeCondition) -> String {
    let values = match c.values.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    let test = format!("{} {} {values}", c.key, c.operator);
    if c.effect == "Deny" {
        format!("not if {test}")
    } else {
        test
    }
}

/// Short text for an edge label: the kind and, for pass-role, the service.
fn edge_label(edge: &Edge) -> String {
    let mut label = edge.kind.name().to_owned();
    if let Some(service) = edge.service
        && edge.kind == EdgeKind::PassRole
    {
        let _ = write!(label, " ({})", service.trim_end_matches(".amazonaws.com"));
    }
    if edge.chained {
        label.push_str(" (chained)");
    }
    if !edge.conditions.is_empty() {
        label.push_str(" [if]");
    }
    label
}

/// The short name of a node: the last part of its ARN and its account.
pub(crate) fn node_label(node: &Node) -> String {
    let name = match node.kind {
        NodeKind::User
        | NodeKind::Role
        | NodeKind::InstanceProfile
        | NodeKind::ExternalPrincipal => node.id.rsplit(':').next().unwrap_or(&node.id).to_owned(),
        _ => node.id.clone(),
    };
    match &node.account {
        Some(account) if node.kind != NodeKind::Account => format!("{name}\n{account}"),
        _ => name,
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes Graphviz DOT.
pub fn dot(out: &mut dyn Write, graph: &Graph) -> io::Result<()> {
    writeln!(out, "digraph rolecall {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=10];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
    for node in graph.nodes() {
        let shape = match node.kind {
            NodeKind::User => "ellipse",
            NodeKind::Role => "box",
            NodeKind::InstanceProfile => "component",
            NodeKind::Service => "hexagon",
            NodeKind::OidcProvider | NodeKind::SamlProvider => "house",
            NodeKind::Account | NodeKind::ExternalPrincipal | NodeKind::Anyone => "octagon",
        };
        writeln!(
            out,
            "  \"{}\" [label=\"{}\", shape={shape}];",
            dot_escape(&node.id),
            dot_escape(&node_label(node))
        )?;
    }
    for (from, to, edge) in graph.edges() {
        let style = if edge.conditions.is_empty() {
            "solid"
        } else {
            "dashed"
        };
        let mut tooltip: Vec<String> = edge.conditions.iter().map(condition_text).collect();
        if tooltip.is_empty() {
            tooltip.push("no conditions".into());
        }
        writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\", style={style}, tooltip=\"{}\"];",
            dot_escape(&from.id),
            dot_escape(&to.id),
            dot_escape(&edge_label(edge)),
            dot_escape(&tooltip.join("; "))
        )?;
    }
    writeln!(out, "}}")
}

/// Mermaid's entity codes for the characters that would end a label or
/// open markup; line breaks become `<br/>`.
pub(crate) fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('\n', "<br/>")
}

/// Writes a Mermaid flowchart (conditional edges dotted).
pub fn mermaid(out: &mut dyn Write, graph: &Graph) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let ids: std::collections::HashMap<&str, usize> = graph
        .nodes()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for (i, node) in graph.nodes().enumerate() {
        let label = mermaid_escape(&node_label(node));
        let shape = match node.kind {
            NodeKind::User => format!("n{i}([\"{label}\"])"),
            NodeKind::Role => format!("n{i}[\"{label}\"]"),
            NodeKind::Service => format!("n{i}{{{{\"{label}\"}}}}"),
            _ => format!("n{i}[/\"{label}\"/]"),
        };
        writeln!(out, "  {shape}")?;
    }
    for (from, to, edge) in graph.edges() {
        let (Some(a), Some(b)) = (ids.get(from.id.as_str()), ids.get(to.id.as_str())) else {
            continue;
        };
        let arrow = if edge.conditions.is_empty() {
            "-->"
        } else {
            "-.->"
        };
        writeln!(
            out,
            "  n{a} {arrow}|\"{}\"| n{b}",
            mermaid_escape(&edge_label(edge))
        )?;
    }
    Ok(())
}

/// Escapes text for XML and HTML (content and quoted attributes); drops
/// control characters XML 1.0 forbids.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes GraphML (loads into Neo4j's APOC, Gephi and yEd). Conditions are
/// a JSON string attribute.
pub fn graphml(out: &mut dyn Write, graph: &Graph) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, target, name, ty) in [
        ("kind", "node", "kind", "string"),
        ("account", "node", "account", "string"),
        ("label", "node", "label", "string"),
        ("ekind", "edge", "kind", "string"),
        ("action", "edge", "action", "string"),
        ("service", "edge", "service", "string"),
        ("conditions", "edge", "conditions", "string"),
        ("chained", "edge", "chained", "boolean"),
        ("external", "edge", "external", "boolean"),
        ("max_session_seconds", "edge", "max_session_seconds", "int"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="rolecall" edgedefault="directed">"#)?;
    for node in graph.nodes() {
        writeln!(out, r#"    <node id="{}">"#, xml_escape(&node.id))?;
        writeln!(out, r#"      <data key="kind">{}</data>"#, node.kind.name())?;
        if let Some(account) = &node.account {
            writeln!(
                out,
                r#"      <data key="account">{}</data>"#,
                xml_escape(account)
            )?;
        }
        writeln!(
            out,
            r#"      <data key="label">{}</data>"#,
            xml_escape(&node_label(node).replace('\n', " "))
        )?;
        writeln!(out, "    </node>")?;
    }
    for (i, (from, to, edge)) in graph.edges().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}">"#,
            xml_escape(&from.id),
            xml_escape(&to.id)
        )?;
        writeln!(
            out,
            r#"      <data key="ekind">{}</data>"#,
            edge.kind.name()
        )?;
        if let Some(action) = edge.action {
            writeln!(out, r#"      <data key="action">{action}</data>"#)?;
        }
        if let Some(service) = edge.service {
            writeln!(out, r#"      <data key="service">{service}</data>"#)?;
        }
        let conditions = serde_json::to_string(&edge.conditions).unwrap_or_default();
        writeln!(
            out,
            r#"      <data key="conditions">{}</data>"#,
            xml_escape(&conditions)
        )?;
        writeln!(out, r#"      <data key="chained">{}</data>"#, edge.chained)?;
        writeln!(
            out,
            r#"      <data key="external">{}</data>"#,
            edge.external
        )?;
        if let Some(max) = edge.max_session_seconds {
            writeln!(out, r#"      <data key="max_session_seconds">{max}</data>"#)?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}
