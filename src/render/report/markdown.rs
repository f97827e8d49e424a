//! The report as GitHub Markdown: tables, fenced snippets, and the graph as
//! a Mermaid flowchart when it is small enough to read.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{FULL_GRAPH_NODES, code_spans, conditions, edge_flags, how, plural, short_name};
use crate::lint::FindingType;
use crate::report::{DETAILED_PER_RULE, EstateView, LISTED_PER_RULE, Report, RoleView, Snippet};
use crate::verify::Status;

/// Graphs with more nodes than this get no Mermaid drawing (GitHub renders
/// larger ones unreadably small).
pub const MERMAID_NODES: usize = 30;

/// Writes the report as Markdown.
pub fn markdown(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut s = String::new();
    summary(&mut s, report);
    expectations(&mut s, report);
    findings(&mut s, report);
    for estate in &report.estates {
        graph(&mut s, report, estate)?;
        admin(&mut s, report, estate);
        roles(&mut s, report, estate);
    }
    out.write_all(s.as_bytes())
}

/// Text safe in Markdown and in a table cell: markup characters escaped,
/// HTML neutralised, one line.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A message or fix: its backtick spans as code spans, the rest as text.
fn prose(s: &str) -> String {
    code_spans(s)
        .into_iter()
        .map(|(is_code, part)| if is_code { code(part) } else { text(part) })
        .collect()
}

/// An inline code span that holds any text: a fence longer than any run of
/// backticks inside, pipes escaped for tables.
fn code(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let longest = longest_run(&one_line, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", one_line.replace('|', "\\|"))
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// A fenced block (`lang`: its info string) that no text inside can close.
fn snippet(s: &mut String, snippet: &Snippet, lang: &str) {
    let fence = "`".repeat(longest_run(&snippet.text, '`').max(2) + 1);
    let _ = writeln!(s, "\n{fence}{lang}");
    for line in snippet.text.lines() {
        let clean: String = line.chars().filter(|c| !c.is_control()).collect();
        let _ = writeln!(s, "{clean}");
    }
    if snippet.truncated {
        let _ = writeln!(s, "…");
    }
    let _ = writeln!(s, "{fence}");
}

fn summary(s: &mut String, report: &Report) {
    let sum = &report.summary;
    let _ = writeln!(s, "# IAM access report\n");
    let inputs: Vec<String> = report.inputs.iter().map(|i| code(i)).collect();
    let _ = writeln!(
        s,
        "Inputs: {} · rolecall {} · AWS catalog {}\n",
        inputs.join(", "),
        env!("CARGO_PKG_VERSION"),
        text(&sum.catalog_version)
    );
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(s, "| | |\n|---|---:|");
    let _ = writeln!(
        s,
        "| Principals that can reach admin | **{}** |",
        sum.reach_admin
    );
    for (t, n) in &sum.by_type {
        let _ = writeln!(s, "| {} findings | {n} |", t.name());
    }
    let _ = writeln!(s, "| Accounts | {} |", sum.accounts);
    let _ = writeln!(s, "| Users | {} |", sum.users);
    let _ = writeln!(s, "| Groups | {} |", sum.groups);
    let _ = writeln!(s, "| Roles | {} |", sum.roles);
    let _ = writeln!(s, "| Policy documents analysed | {} |", sum.policies);
    for snapshot in &sum.snapshots {
        let mut about = code(&snapshot.file);
        if let Some(created) = &snapshot.created {
            let _ = write!(about, ", fetched {}", text(created));
        }
        if let Some(by) = &snapshot.fetched_by {
            let _ = write!(about, " by {}", code(by));
        }
        if let Some(tool) = &snapshot.tool {
            let _ = write!(about, " with {}", text(tool));
        }
        let _ = writeln!(s, "| Snapshot | {about} |");
    }
    s.push('\n');
}

/// The outcomes of `--verify`: a row per assertion, then the reasons of
/// those that do not hold as `rolecall verify` prints them.
fn expectations(s: &mut String, report: &Report) {
    let Some(file) = &report.expectations else {
        return;
    };
    let _ = writeln!(
        s,
        "## Expectations\n\nThe assertions of {}, checked as `rolecall verify` checks them.\n",
        code(file)
    );
    for estate in &report.estates {
        let Some(outcomes) = &estate.verify else {
            continue;
        };
        if report.estates.len() > 1 {
            let _ = writeln!(s, "### {}\n", text(&estate.name));
        }
        let _ = writeln!(
            s,
            "{}\n\n| Status | Assertion | Subject | Answer |\n|---|---|---|---|",
            text(&crate::render::verify::summary(outcomes))
        );
        for o in &outcomes.outcomes {
            let kind = match o.template {
                Some(t) => format!("{t} › {}", o.kind),
                None => o.kind.to_owned(),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                if o.status == Status::Pass {
                    "pass".to_owned()
                } else {
                    format!("**{}**", o.status.name())
                },
                code(&kind),
                prose(&o.subject),
                prose(&o.summary)
            );
        }
        s.push('\n');
        let explained = |o: &&crate::verify::Outcome| {
            o.status == Status::Fail || !o.reasons.is_empty() || !o.notes.is_empty()
        };
        for o in outcomes.outcomes.iter().filter(explained) {
            snippet(
                s,
                &Snippet {
                    first_line: None,
                    text: crate::render::verify::outcome_text(outcomes, o),
                    truncated: false,
                },
                "text",
            );
        }
        s.push('\n');
    }
}

fn findings(s: &mut String, report: &Report) {
    let _ = writeln!(s, "## Findings\n");
    if report.rules.is_empty() {
        let _ = writeln!(s, "No findings.\n");
        return;
    }
    let _ = writeln!(
        s,
        "| Rule | Type | Severity | Findings | What it flags |\n|---|---|---:|---:|---|"
    );
    for group in &report.rules {
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | {} | {} | {} |",
            code(group.rule.id),
            group.rule.id,
            group.finding_type.name(),
            group
                .rule
                .security_severity
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
            group.findings.len(),
            text(group.rule.summary)
        );
    }
    s.push('\n');
    for group in &report.rules {
        let mark = match group.finding_type {
            FindingType::Error => "⛔",
            FindingType::Security => "🔴",
            FindingType::Warning => "🟠",
            FindingType::Suggestion => "🔵",
        };
        let _ = writeln!(
            s,
            "### {}\n\n{mark} **{}** · {} · {}\n",
            group.rule.id,
            group.finding_type.name(),
            plural(group.findings.len(), "finding", "findings"),
            text(group.rule.summary)
        );
        for item in group.findings.iter().take(DETAILED_PER_RULE) {
            let f = &item.finding;
            let place = match item.line {
                Some(line) => format!("{}:{line}", f.file.name()),
                None => f.file.name().to_owned(),
            };
            let subject = f
                .subject
                .as_deref()
                .map(|x| format!("**{}** · ", text(x)))
                .unwrap_or_default();
            let _ = writeln!(s, "- {subject}{}\n\n  {}", code(&place), prose(&f.message));
            if !item.principals.is_empty() {
                let held: Vec<String> = item.principals.iter().map(|p| code(p)).collect();
                let more = item.principal_count - item.principals.len();
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                let _ = writeln!(s, "\n  Held by {}{more}", held.join(", "));
            }
            if let Some(snip) = &item.snippet {
                let mut block = String::new();
                snippet(&mut block, snip, "json");
                for line in block.lines() {
                    let _ = writeln!(s, "  {line}");
                }
            }
            if let Some(help) = &f.help {
                let _ = writeln!(s, "\n  **Fix:** {}", prose(help));
            }
            s.push('\n');
        }
        let rest: Vec<_> = group
            .findings
            .iter()
            .skip(DETAILED_PER_RULE)
            .take(LISTED_PER_RULE - DETAILED_PER_RULE)
            .collect();
        if !rest.is_empty() {
            let _ = writeln!(s, "| Policy | Where | Message |\n|---|---|---|");
            for item in rest {
                let f = &item.finding;
                let _ = writeln!(
                    s,
                    "| {} | {} | {} |",
                    text(f.subject.as_deref().unwrap_or("")),
                    code(&format!(
                        "{}:{}",
                        f.file.name(),
                        item.line.unwrap_or_default()
                    )),
                    prose(&f.message)
                );
            }
            s.push('\n');
        }
        if group.findings.len() > LISTED_PER_RULE {
            let _ = writeln!(
                s,
                "…and {} more; `rolecall lint --format json` lists every finding.\n",
                group.findings.len() - LISTED_PER_RULE
            );
        }
    }
}

fn heading(s: &mut String, report: &Report, estate: &EstateView, title: &str) {
    if report.estates.len() > 1 {
        let _ = writeln!(s, "## {title}: {}\n", text(&estate.name));
    } else {
        let _ = writeln!(s, "## {title}\n");
    }
}

fn graph(s: &mut String, report: &Report, estate: &EstateView) -> io::Result<()> {
    heading(s, report, estate, "Trust graph");
    let g = estate.graph.petgraph();
    if g.node_count() <= MERMAID_NODES {
        let mut chart = Vec::new();
        super::super::graph::mermaid(&mut chart, &estate.graph)?;
        let _ = writeln!(s, "```mermaid\n{}```\n", String::from_utf8_lossy(&chart));
    } else {
        let _ = writeln!(
            s,
            "{} and {}: too many to draw here; `rolecall report --format html` draws an account overview, `rolecall graph --format dot` exports it.\n",
            plural(g.node_count(), "node", "nodes"),
            plural(g.edge_count(), "edge", "edges")
        );
    }
    let edges: Vec<_> = g.edge_indices().collect();
    let flagged: Vec<_> = edges
        .iter()
        .filter(|e| estate.external(**e) || estate.cross_account(**e))
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(
            s,
            "Edges crossing accounts or from outside:\n\n| From | To | How | Flags | Conditions |\n|---|---|---|---|---|"
        );
        for e in flagged.iter().take(LISTED_PER_RULE) {
            let Some((from, to, edge)) = estate.graph.edge(**e) else {
                continue;
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                code(&from.id),
                code(&to.id),
                text(&how(edge)),
                edge_flags(estate, **e).join(", "),
                text(&conditions(edge).join("; "))
            );
        }
        if flagged.len() > LISTED_PER_RULE {
            let _ = writeln!(s, "\n…and {} more.", flagged.len() - LISTED_PER_RULE);
        }
        s.push('\n');
    }
    Ok(())
}

fn admin(s: &mut String, report: &Report, estate: &EstateView) {
    heading(s, report, estate, "Who can reach admin");
    if estate.admin_reach.is_empty() {
        let _ = writeln!(s, "No admin-equivalent principal, and so no path to one.\n");
        return;
    }
    let _ = writeln!(
        s,
        "| Principal | Kind | Admin role | Hops | Path |\n|---|---|---|---:|---|"
    );
    for reach in &estate.admin_reach {
        let (Some(p), Some(a)) = (
            estate.graph.node(reach.principal),
            estate.graph.node(reach.admin),
        ) else {
            continue;
        };
        let path = if reach.path.is_empty() {
            format!(
                "holds admin: {}",
                estate
                    .admins
                    .get(&reach.principal)
                    .map(|g| code(&g.policy))
                    .unwrap_or_default()
            )
        } else {
            reach
                .path
                .iter()
                .filter_map(|e| estate.graph.edge(*e))
                .map(|(_, to, edge)| {
                    let conds = conditions(edge);
                    let conds = if conds.is_empty() {
                        String::new()
                    } else {
                        format!(" if {}", text(&conds.join("; ")))
                    };
                    format!("→ {} ({}){conds}", code(short_name(to)), text(&how(edge)))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {path} |",
            code(&p.id),
            p.kind.name(),
            code(short_name(a)),
            reach.path.len()
        );
    }
    s.push('\n');
}

fn roles(s: &mut String, report: &Report, estate: &EstateView) {
    heading(s, report, estate, "Roles");
    let whole = estate.graph.petgraph().node_count() <= FULL_GRAPH_NODES;
    let _ = writeln!(
        s,
        "| Role | Can be assumed by | How | Conditions |\n|---|---|---|---|"
    );
    let listed: Vec<&RoleView> = if whole {
        estate.roles.iter().collect()
    } else {
        super::notable_roles(estate)
            .into_iter()
            .filter_map(|n| estate.roles.iter().find(|r| r.role == n))
            .collect()
    };
    let mut rows = 0;
    for role in listed {
        let Some(node) = estate.graph.node(role.role) else {
            continue;
        };
        let mut name = code(short_name(node));
        if let Some(account) = &node.account {
            let _ = write!(name, " ({account})");
        }
        if estate.admins.contains_key(&role.role) {
            name.push_str(" **admin**");
        }
        if role.incoming.is_empty() {
            let _ = writeln!(s, "| {name} | nobody | | |");
        }
        for e in &role.incoming {
            let Some((from, _, edge)) = estate.graph.edge(*e) else {
                continue;
            };
            let conds = conditions(edge);
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {} |",
                code(&from.id),
                text(&how(edge)),
                if conds.is_empty() {
                    "none".to_owned()
                } else {
                    text(&conds.join("; "))
                }
            );
        }
        rows += 1;
        if rows == LISTED_PER_RULE {
            break;
        }
    }
    if !whole {
        let _ = writeln!(
            s,
            "\nListed: the {} most notable of {} roles (admin-equivalent, open to anyone, holding an escalation, assumable from outside or from another account); the HTML report lists every role.",
            rows,
            estate.roles.len()
        );
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_code_neutralise_markup() {
        assert_eq!(text("<script>|*x*"), "&lt;script&gt;\\|\\*x\\*");
        assert_eq!(code("a`b|c"), "``a`b\\|c``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(text("a\nb"), "a b");
    }
}
