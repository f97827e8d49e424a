//! The report as one self-contained HTML page: inline CSS (screen and
//! print), the graph as inline SVG, no fetch at view time, readable with
//! JavaScript off. A few lines of inline script make tables sortable and
//! filterable when JavaScript runs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use petgraph::graph::NodeIndex;

use super::diagram::{Diagram, Link, Shape, svg};
use super::{
    NOTABLE_ROLE_DIAGRAMS, anchor, code_spans, conditions, drawn_whole, edge_flags, escape, how,
    node_flags, notable_roles, plural, service_only, short_name,
};
use crate::graph::NodeKind;
use crate::lint::FindingType;
use crate::report::{
    AdminReach, DETAILED_PER_RULE, EstateView, LISTED_PER_RULE, Report, ReportFinding,
    RuleFindings, Snippet,
};
use crate::verify::Status;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Writes the report as HTML.
pub fn html(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut page = Page::default();
    page.head(report);
    page.summary(report);
    page.expectations(report);
    page.admin(report);
    page.graphs(report);
    page.findings(report);
    page.roles(report);
    page.foot();
    out.write_all(page.s.as_bytes())
}

#[derive(Default)]
struct Page {
    s: String,
}

/// A message, fix or rule summary, escaped, its backtick spans as `<code>`.
fn prose(text: &str) -> String {
    code_spans(text)
        .into_iter()
        .map(|(code, part)| {
            if code {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn type_class(t: FindingType) -> &'static str {
    t.name()
}

impl Page {
    fn push(&mut self, text: &str) {
        self.s.push_str(text);
    }

    fn text(&mut self, text: &str) {
        self.s.push_str(&escape(text));
    }

    fn prose(&mut self, text: &str) {
        self.s.push_str(&prose(text));
    }

    fn head(&mut self, report: &Report) {
        let inputs = report.inputs.join(", ");
        let _ = write!(
            self.s,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"rolecall {}\"><title>IAM access report — {}</title><style>{STYLE}</style></head><body>",
            escape(env!("CARGO_PKG_VERSION")),
            escape(&inputs)
        );
        self.push("<header class=\"top\"><p class=\"eyebrow\">rolecall · IAM access report</p><h1>Who can get in, and what they can do</h1><p class=\"meta\">Inputs: ");
        for (i, input) in report.inputs.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push("<code>");
            self.text(input);
            self.push("</code>");
        }
        let _ = write!(
            self.s,
            " · rolecall {} · AWS catalog {}</p></header>",
            escape(env!("CARGO_PKG_VERSION")),
            escape(&report.summary.catalog_version)
        );
        let _ = write!(
            self.s,
            "<nav class=\"toc\"><a href=\"#summary\">Summary</a>{}<a href=\"#admin\">Who can reach admin</a><a href=\"#graph\">Trust graph</a><a href=\"#findings\">Findings</a><a href=\"#roles\">Roles</a></nav><main>",
            if report.expectations.is_some() {
                "<a href=\"#verify\">Expectations</a>"
            } else {
                ""
            }
        );
    }

    fn summary(&mut self, report: &Report) {
        let s = &report.summary;
        self.push("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
        let count = |t: FindingType| {
            s.by_type
                .iter()
                .find(|(x, _)| *x == t)
                .map_or(0, |(_, n)| *n)
        };
        let security = count(FindingType::Security);
        let errors = count(FindingType::Error);
        let cards: [(&str, String, String, &str); 5] = [
            (
                "risk",
                s.reach_admin.to_string(),
                "principals can reach admin".into(),
                if s.reach_admin > 0 { "bad" } else { "good" },
            ),
            (
                "security",
                security.to_string(),
                "security findings".into(),
                if security > 0 { "bad" } else { "good" },
            ),
            (
                "errors",
                errors.to_string(),
                "setups that cannot work or invalid policies".into(),
                if errors > 0 { "warn" } else { "good" },
            ),
            (
                "principals",
                s.principals().to_string(),
                format!(
                    "principals ({}, {}) in {}",
                    plural(s.users, "user", "users"),
                    plural(s.roles, "role", "roles"),
                    plural(s.accounts, "account", "accounts")
                ),
                "neutral",
            ),
            (
                "policies",
                s.policies.to_string(),
                "policy documents analysed".into(),
                "neutral",
            ),
        ];
        for (id, number, label, tone) in cards {
            let _ = write!(
                self.s,
                "<div class=\"card {tone}\" id=\"card-{id}\"><span class=\"number\">{}</span><span class=\"label\">{}</span></div>",
                escape(&number),
                escape(&label)
            );
        }
        self.push("</div>");
        self.key_risks(report);
        self.push("<h3>Scope</h3><table class=\"kv\"><tbody>");
        let _ = write!(
            self.s,
            "<tr><th>Accounts</th><td>{}</td></tr><tr><th>Users</th><td>{}</td></tr><tr><th>Groups</th><td>{}</td></tr><tr><th>Roles</th><td>{}</td></tr><tr><th>Policy documents</th><td>{}</td></tr><tr><th>AWS service catalog</th><td>{}</td></tr>",
            s.accounts,
            s.users,
            s.groups,
            s.roles,
            s.policies,
            escape(&s.catalog_version)
        );
        for snapshot in &s.snapshots {
            self.push("<tr><th>Snapshot</th><td><code>");
            self.text(&snapshot.file);
            self.push("</code>");
            if let Some(created) = &snapshot.created {
                self.push(" · fetched ");
                self.text(created);
            }
            if let Some(by) = &snapshot.fetched_by {
                self.push(" by <code>");
                self.text(by);
                self.push("</code>");
            }
            if let Some(tool) = &snapshot.tool {
                self.push(" with ");
                self.text(tool);
            }
            self.push("</td></tr>");
        }
        self.push("</tbody></table></section>");
    }

    fn key_risks(&mut self, report: &Report) {
        let mut items: Vec<String> = Vec::new();
        let (mut holders, mut reaching, mut public, mut external, mut cross, mut escalation) =
            (0, 0, 0, 0, 0, 0);
        for estate in &report.estates {
            let held = estate
                .admin_reach
                .iter()
                .filter(|r| r.path.is_empty())
                .count();
            holders += held;
            reaching += estate.admin_reach.len() - held;
            for e in estate.graph.petgraph().edge_indices() {
                public += usize::from(estate.public(e));
                external += usize::from(estate.external(e));
                cross += usize::from(estate.cross_account(e));
            }
            escalation += estate.escalation.len();
        }
        let estates = if report.estates.len() > 1 {
            format!(" (over {} estates)", report.estates.len())
        } else {
            String::new()
        };
        if reaching > 0 {
            items.push(format!(
                "<strong>{}</strong> can become an admin-equivalent role by assuming or passing roles; {} admin directly{estates}. <a href=\"#admin\">See the paths</a>.",
                plural(reaching, "principal", "principals"),
                plural(holders, "principal holds", "principals hold")
            ));
        }
        if public > 0 {
            items.push(format!(
                "<strong>{}</strong> let <em>anyone</em> assume a role{estates}.",
                plural(public, "trust policy", "trust policies")
            ));
        }
        if external > 0 {
            items.push(format!(
                "<strong>{}</strong> from principals outside the analysed accounts; {} cross accounts{estates}.",
                plural(external, "trust edge comes", "trust edges come"),
                plural(cross, "edge", "edges")
            ));
        }
        if escalation > 0 {
            items.push(format!(
                "<strong>{}</strong> a policy that lets them escalate their own privileges{estates}.",
                plural(escalation, "principal holds", "principals hold")
            ));
        }
        for group in report
            .rules
            .iter()
            .filter(|g| g.finding_type == FindingType::Security)
            .take(3)
        {
            items.push(format!(
                "<strong>{}</strong> of <a href=\"#rule-{id}\"><code>{id}</code></a>: {}.",
                plural(group.findings.len(), "finding", "findings"),
                prose(group.rule.summary),
                id = escape(group.rule.id)
            ));
        }
        self.push("<h3>Key risks</h3>");
        if items.is_empty() {
            self.push(
                "<p class=\"ok\">No security finding, no path to admin, no outside trust.</p>",
            );
            return;
        }
        self.push("<ul class=\"risks\">");
        for item in items {
            let _ = write!(self.s, "<li>{item}</li>");
        }
        self.push("</ul>");
    }

    fn findings(&mut self, report: &Report) {
        self.push("<section id=\"findings\"><h2>Findings</h2>");
        if report.rules.is_empty() {
            self.push("<p class=\"ok\">No findings.</p></section>");
            return;
        }
        self.push("<p class=\"lead\">Ranked by finding type (error, security, warning, suggestion) and security severity; one block per rule.</p>");
        self.push("<table class=\"sortable\"><thead><tr><th>Rule</th><th>Type</th><th>Severity</th><th class=\"num\">Findings</th><th>What it flags</th></tr></thead><tbody>");
        for group in &report.rules {
            let _ = write!(
                self.s,
                "<tr><td><a href=\"#rule-{id}\"><code>{id}</code></a></td><td><span class=\"badge {t}\">{t}</span></td><td class=\"num\">{sev}</td><td class=\"num\">{n}</td><td>",
                id = escape(group.rule.id),
                t = type_class(group.finding_type),
                sev = group
                    .rule
                    .security_severity
                    .map(|s| format!("{s:.1}"))
                    .unwrap_or_default(),
                n = group.findings.len(),
            );
            self.prose(group.rule.summary);
            self.push("</td></tr>");
        }
        self.push("</tbody></table>");
        for group in &report.rules {
            self.rule(group);
        }
        self.push("</section>");
    }

    fn rule(&mut self, group: &RuleFindings) {
        let rule = group.rule;
        let _ = write!(
            self.s,
            "<section class=\"rule {t}\" id=\"rule-{id}\"><h3><span class=\"badge {t}\">{t}</span> <code>{id}</code> <span class=\"count\">{n}</span></h3><p class=\"summary\">",
            t = type_class(group.finding_type),
            id = escape(rule.id),
            n = plural(group.findings.len(), "finding", "findings"),
        );
        self.prose(rule.summary);
        if let Some(severity) = rule.security_severity {
            let _ = write!(self.s, " · security severity {severity:.1}");
        }
        self.push("</p>");
        for item in group.findings.iter().take(DETAILED_PER_RULE) {
            self.finding(item);
        }
        let listed: Vec<&ReportFinding> = group
            .findings
            .iter()
            .skip(DETAILED_PER_RULE)
            .take(LISTED_PER_RULE - DETAILED_PER_RULE)
            .collect();
        if !listed.is_empty() {
            self.push("<table class=\"sortable filterable compact\"><thead><tr><th>Policy</th><th>Held by</th><th>Where</th><th>Message</th></tr></thead><tbody>");
            for item in listed {
                self.push("<tr><td>");
                self.text(item.finding.subject.as_deref().unwrap_or(""));
                self.push("</td><td>");
                self.holders(item);
                self.push("</td><td>");
                self.location(item);
                self.push("</td><td>");
                self.prose(&item.finding.message);
                self.push("</td></tr>");
            }
            self.push("</tbody></table>");
        }
        if group.findings.len() > LISTED_PER_RULE {
            let _ = write!(
                self.s,
                "<p class=\"more\">…and {} more; <code>rolecall lint --format json</code> lists every finding.</p>",
                group.findings.len() - LISTED_PER_RULE
            );
        }
        self.push("</section>");
    }

    fn location(&mut self, item: &ReportFinding) {
        self.push("<code>");
        self.text(item.finding.file.name());
        if let Some(line) = item.line {
            let _ = write!(self.s, ":{line}");
        }
        self.push("</code>");
    }

    fn holders(&mut self, item: &ReportFinding) {
        for (i, p) in item.principals.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push("<code>");
            self.text(p);
            self.push("</code>");
        }
        if item.principal_count > item.principals.len() {
            let _ = write!(
                self.s,
                " and {} more",
                item.principal_count - item.principals.len()
            );
        }
    }

    fn finding(&mut self, item: &ReportFinding) {
        let f = &item.finding;
        self.push("<article class=\"finding\"><p class=\"where\">");
        if let Some(subject) = &f.subject {
            self.push("<strong>");
            self.text(subject);
            self.push("</strong> · ");
        }
        self.location(item);
        self.push("</p><p class=\"message\">");
        self.prose(&f.message);
        self.push("</p>");
        if !item.principals.is_empty() {
            self.push("<p class=\"held\">Held by ");
            self.holders(item);
            self.push("</p>");
        }
        if let Some(snippet) = &item.snippet {
            self.snippet(snippet);
        }
        if let Some(help) = &f.help {
            self.push("<p class=\"fix\"><span>Fix</span> ");
            self.prose(help);
            self.push("</p>");
        }
        self.push("</article>");
    }

    fn snippet(&mut self, snippet: &Snippet) {
        self.push("<pre class=\"snippet\"><code>");
        for (i, line) in snippet.text.lines().enumerate() {
            if let Some(first) = snippet.first_line {
                let _ = write!(self.s, "<span class=\"ln\">{}</span>", first + i);
            }
            self.text(line);
            self.push("\n");
        }
        if snippet.truncated {
            self.push("<span class=\"ln\">…</span>\n");
        }
        self.push("</code></pre>");
    }

    fn graphs(&mut self, report: &Report) {
        self.push("<section id=\"graph\"><h2>Trust graph</h2>");
        if report.estates.is_empty() {
            self.push("<p>No principals were loaded: the inputs hold policy documents only.</p></section>");
            return;
        }
        self.push(LEGEND);
        for (i, estate) in report.estates.iter().enumerate() {
            if report.estates.len() > 1 {
                self.push("<h3>");
                self.text(&estate.name);
                self.push("</h3>");
            }
            self.push("<figure class=\"graph\">");
            if drawn_whole(estate) {
                svg(&mut self.s, &whole(estate, i), "who can assume which role");
                let _ = write!(
                    self.s,
                    "<figcaption>{} and {}. Arrows point from who obtains credentials to the role; click a role for its section.</figcaption>",
                    plural(estate.graph.petgraph().node_count(), "node", "nodes"),
                    plural(estate.graph.petgraph().edge_count(), "edge", "edges")
                );
            } else {
                let (diagram, dropped) = overview(estate);
                svg(&mut self.s, &diagram, "trust between accounts");
                let _ = write!(
                    self.s,
                    "<figcaption>Account overview: {} and {} are too many to draw one by one. Each box is an account (or what lies outside the analysed accounts); each arrow counts the trust edges between two of them. Drawn: all trust from outside, every pass-role and path to admin, and the {OVERVIEW_PAIRS} busiest pairs of analysed accounts{}. AWS services and identity providers are left out. The roles section drills down per role.</figcaption>",
                    plural(estate.graph.petgraph().node_count(), "node", "nodes"),
                    plural(estate.graph.petgraph().edge_count(), "edge", "edges"),
                    if dropped > 0 {
                        format!(" ({dropped} more pairs trust each other)")
                    } else {
                        String::new()
                    }
                );
            }
            self.push("</figure>");
        }
        self.push("</section>");
    }

    fn node_cell(&mut self, estate: &EstateView, index: usize, node: NodeIndex) {
        let Some(n) = estate.graph.node(node) else {
            return;
        };
        if n.kind == NodeKind::Role {
            let _ = write!(self.s, "<a href=\"#{}\">", anchor(index, node));
        }
        self.push("<code>");
        self.text(short_name(n));
        self.push("</code>");
        if n.kind == NodeKind::Role {
            self.push("</a>");
        }
    }

    fn path(&mut self, estate: &EstateView, index: usize, reach: &AdminReach) {
        if reach.path.is_empty() {
            self.push("holds admin itself: ");
            if let Some(grant) = estate.admins.get(&reach.principal) {
                self.push("<code>");
                self.text(&grant.policy);
                self.push("</code>");
            }
            return;
        }
        self.push("<ol class=\"path\">");
        for e in &reach.path {
            let Some((_, _, edge)) = estate.graph.edge(*e) else {
                continue;
            };
            let Some((_, to)) = estate.graph.petgraph().edge_endpoints(*e) else {
                continue;
            };
            self.push("<li>→ ");
            self.node_cell(estate, index, to);
            self.push(" <span class=\"how\">");
            self.text(&how(edge));
            self.push("</span>");
            for c in conditions(edge) {
                self.push("<span class=\"cond\">if ");
                self.text(&c);
                self.push("</span>");
            }
            self.push("</li>");
        }
        self.push("</ol>");
    }

    /// The outcomes of `--verify`: a row per assertion, the reasons of
    /// those that do not hold as `rolecall verify` prints them.
    fn expectations(&mut self, report: &Report) {
        let Some(file) = &report.expectations else {
            return;
        };
        self.push("<section id=\"verify\"><h2>Expectations</h2><p class=\"lead\">The assertions of <code>");
        self.text(file);
        self.push("</code>, checked as <code>rolecall verify</code> checks them.</p>");
        for estate in &report.estates {
            let Some(outcomes) = &estate.verify else {
                continue;
            };
            if report.estates.len() > 1 {
                self.push("<h3>");
                self.text(&estate.name);
                self.push("</h3>");
            }
            let tone = if outcomes.passed() { "ok" } else { "risks" };
            let _ = write!(self.s, "<p class=\"{tone}\">");
            self.text(&crate::render::verify::summary(outcomes));
            self.push("</p><table class=\"sortable filterable\"><thead><tr><th>Status</th><th>Assertion</th><th>Subject</th><th>Answer</th></tr></thead><tbody>");
            for o in &outcomes.outcomes {
                let badge = match o.status {
                    Status::Pass => "pass",
                    Status::Fail => "security",
                    Status::Unknown => "warning",
                };
                let _ = write!(
                    self.s,
                    "<tr><td><span class=\"badge {badge}\">{}</span></td><td><code>",
                    o.status.name()
                );
                if let Some(t) = o.template {
                    self.text(t);
                    self.push(" › ");
                }
                self.text(o.kind);
                self.push("</code></td><td>");
                self.prose(&o.subject);
                self.push("</td><td>");
                self.prose(&o.summary);
                if o.status == Status::Fail || !o.reasons.is_empty() || !o.notes.is_empty() {
                    self.push("<pre class=\"snippet\"><code>");
                    self.text(&crate::render::verify::outcome_text(outcomes, o));
                    self.push("</code></pre>");
                }
                self.push("</td></tr>");
            }
            self.push("</tbody></table>");
        }
        self.push("</section>");
    }

    fn admin(&mut self, report: &Report) {
        self.push("<section id=\"admin\"><h2>Who can reach admin</h2><p class=\"lead\">Admin-equivalent: an identity policy allows every action on every resource (the <code>admin-access</code> test) and no permissions boundary holds it back. Listed: the principals holding such a policy, then every principal with a path of assume, pass-role or instance-profile hops to an admin-equivalent role, with its shortest path to the nearest one.</p>");
        for (i, estate) in report.estates.iter().enumerate() {
            if report.estates.len() > 1 {
                self.push("<h3>");
                self.text(&estate.name);
                self.push("</h3>");
            }
            if estate.admin_reach.is_empty() {
                self.push(
                    "<p class=\"ok\">No admin-equivalent principal, and so no path to one.</p>",
                );
                continue;
            }
            self.push("<table class=\"sortable filterable\"><thead><tr><th>Principal</th><th>Kind</th><th>Account</th><th>Admin role</th><th class=\"num\">Hops</th><th>Path</th></tr></thead><tbody>");
            for reach in &estate.admin_reach {
                let Some(p) = estate.graph.node(reach.principal) else {
                    continue;
                };
                self.push("<tr><td>");
                self.node_cell(estate, i, reach.principal);
                self.push("</td><td>");
                self.text(p.kind.name());
                self.push("</td><td>");
                self.text(p.account.as_deref().unwrap_or(match p.kind {
                    NodeKind::Service => "AWS service",
                    NodeKind::OidcProvider | NodeKind::SamlProvider => "federated",
                    NodeKind::Anyone => "anyone",
                    _ => "outside",
                }));
                self.push("</td><td>");
                self.node_cell(estate, i, reach.admin);
                let _ = write!(
                    self.s,
                    "</td><td class=\"num\">{}</td><td>",
                    reach.path.len()
                );
                self.path(estate, i, reach);
                self.push("</td></tr>");
            }
            self.push("</tbody></table>");
        }
        self.push("</section>");
    }

    fn roles(&mut self, report: &Report) {
        self.push(
            "<section id=\"roles\"><h2>Roles: who can assume each, and under which conditions</h2>",
        );
        for (i, estate) in report.estates.iter().enumerate() {
            if report.estates.len() > 1 {
                self.push("<h3>");
                self.text(&estate.name);
                self.push("</h3>");
            }
            if drawn_whole(estate) {
                for role in &estate.roles {
                    self.role(estate, i, role.role, false);
                }
            } else {
                self.large_roles(estate, i);
            }
        }
        self.push("</section>");
    }

    fn role(&mut self, estate: &EstateView, index: usize, role: NodeIndex, draw: bool) {
        let Some(view) = estate.roles.iter().find(|r| r.role == role) else {
            return;
        };
        let Some(node) = estate.graph.node(role) else {
            return;
        };
        let _ = write!(
            self.s,
            "<article class=\"role\" id=\"{}\"><h4><code>",
            anchor(index, role)
        );
        self.text(short_name(node));
        self.push("</code>");
        if let Some(account) = &node.account {
            self.push(" <span class=\"account\">");
            self.text(account);
            self.push("</span>");
        }
        for flag in node_flags(estate, role).into_iter().skip(1) {
            let _ = write!(self.s, " <span class=\"badge {flag}\">{flag}</span>");
        }
        self.push("</h4>");
        if let Some(grant) = estate.admins.get(&role) {
            self.push("<p class=\"admin-note\">Admin-equivalent through <code>");
            self.text(&grant.policy);
            self.push("</code>.</p>");
        }
        if draw && !view.incoming.is_empty() {
            svg(
                &mut self.s,
                &neighbourhood(estate, index, role),
                "who can assume this role",
            );
        }
        if view.incoming.is_empty() {
            self.push("<p class=\"none\">Nothing in the inventory can assume it.</p></article>");
            return;
        }
        self.push("<table><thead><tr><th>Principal</th><th>How</th><th>Conditions</th><th>Session</th></tr></thead><tbody>");
        for e in &view.incoming {
            let (Some((from, _, edge)), Some((source, _))) = (
                estate.graph.edge(*e),
                estate.graph.petgraph().edge_endpoints(*e),
            ) else {
                continue;
            };
            let flags = edge_flags(estate, *e);
            let _ = write!(self.s, "<tr class=\"{}\"><td>", flags.join(" "));
            self.node_cell(estate, index, source);
            if let Some(account) = &from.account {
                self.push(" <span class=\"account\">");
                self.text(account);
                self.push("</span>");
            }
            for flag in &flags {
                let _ = write!(self.s, " <span class=\"badge {flag}\">{flag}</span>");
            }
            self.push("</td><td>");
            self.text(&how(edge));
            self.push("</td><td>");
            let conds = conditions(edge);
            if conds.is_empty() {
                self.push("<span class=\"none\">none</span>");
            }
            for c in conds {
                self.push("<div class=\"cond\">");
                self.text(&c);
                self.push("</div>");
            }
            self.push("</td><td>");
            if let Some(seconds) = edge.max_session_seconds {
                let _ = write!(self.s, "≤ {} h", f64::from(seconds) / 3600.0);
            }
            self.push("</td></tr>");
        }
        self.push("</tbody></table></article>");
    }

    /// A large estate: the most notable roles in full (the first few
    /// drawn), then every role as one row per account, the roles only AWS
    /// services assume listed by service.
    fn large_roles(&mut self, estate: &EstateView, index: usize) {
        let notable = notable_roles(estate);
        let _ = write!(
            self.s,
            "<p class=\"lead\">{} in all. First the {} most notable: admin-equivalent, open to anyone, holding an escalation, or assumable from outside or from another account. Then every role, account by account.</p>",
            plural(estate.roles.len(), "role", "roles"),
            notable.len()
        );
        for (n, role) in notable.iter().enumerate() {
            self.role(estate, index, *role, n < NOTABLE_ROLE_DIAGRAMS);
        }
        let has_section: std::collections::HashSet<NodeIndex> = notable.into_iter().collect();
        let mut accounts: BTreeMap<&str, Vec<&crate::report::RoleView>> = BTreeMap::new();
        for role in &estate.roles {
            let account = estate
                .graph
                .node(role.role)
                .and_then(|n| n.account.as_deref())
                .unwrap_or("");
            accounts.entry(account).or_default().push(role);
        }
        for (account, roles) in accounts {
            self.push("<details class=\"account\"><summary>Account <code>");
            self.text(account);
            let _ = write!(
                self.s,
                "</code> · {}</summary>",
                plural(roles.len(), "role", "roles")
            );
            let mut by_service: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            self.push("<table class=\"compact\"><thead><tr><th>Role</th><th>Can be assumed by</th><th>Conditions</th></tr></thead><tbody>");
            for role in roles {
                let Some(node) = estate.graph.node(role.role) else {
                    continue;
                };
                if let Some(service) = service_only(estate, role) {
                    by_service
                        .entry(service)
                        .or_default()
                        .push(short_name(node));
                    continue;
                }
                self.push("<tr><td>");
                if has_section.contains(&role.role) {
                    self.node_cell(estate, index, role.role);
                } else {
                    let _ = write!(self.s, "<code id=\"{}\">", anchor(index, role.role));
                    self.text(short_name(node));
                    self.push("</code>");
                }
                self.push("</td><td>");
                for (k, e) in role.incoming.iter().take(3).enumerate() {
                    if let Some((from, _, _)) = estate.graph.edge(*e) {
                        if k > 0 {
                            self.push(", ");
                        }
                        self.text(short_name(from));
                    }
                }
                if role.incoming.len() > 3 {
                    let _ = write!(self.s, " +{}", role.incoming.len() - 3);
                }
                if role.incoming.is_empty() {
                    self.push("<span class=\"none\">nobody</span>");
                }
                self.push("</td><td>");
                let keys: std::collections::BTreeSet<&str> = role
                    .incoming
                    .iter()
                    .filter_map(|e| estate.graph.edge(*e))
                    .flat_map(|(_, _, edge)| edge.conditions.iter().map(|c| c.key.as_str()))
                    .collect();
                let keys: Vec<&str> = keys.into_iter().collect();
                self.text(&keys.join(", "));
                self.push("</td></tr>");
            }
            self.push("</tbody></table>");
            for (service, names) in by_service {
                self.push("<p class=\"services\">Trusted only by <code>");
                self.text(service);
                let _ = write!(self.s, "</code> ({}): ", names.len());
                self.text(&names.join(", "));
                self.push("</p>");
            }
            self.push("</details>");
        }
    }

    fn foot(&mut self) {
        let _ = writeln!(
            self.s,
            "</main><footer><p>Generated by rolecall {} from the inputs above, by static analysis: no AWS call was made. Conditions on an edge are what a request must satisfy; principals outside the analysed accounts are taken to be allowed by their own administrators.</p></footer><script>{SCRIPT}</script></body></html>",
            escape(env!("CARGO_PKG_VERSION"))
        );
    }
}

const LEGEND: &str = "<ul class=\"legend\"><li><span class=\"key user\"></span>user</li><li><span class=\"key role\"></span>role</li><li><span class=\"key admin\"></span>admin-equivalent</li><li><span class=\"key escalation\"></span>can escalate privileges</li><li><span class=\"key outside\"></span>outside the analysed accounts</li><li><span class=\"key service\"></span>AWS service / identity provider</li><li><span class=\"line to-admin\"></span>path to admin</li><li><span class=\"line public\"></span>anyone</li><li><span class=\"line external\"></span>external trust</li><li><span class=\"line cross-account\"></span>cross-account</li><li><span class=\"line pass-role\"></span>pass-role</li><li><span class=\"line conditional\"></span>dashed: only under conditions</li></ul>";

/// The whole graph.
fn whole(estate: &EstateView, index: usize) -> Diagram {
    let g = estate.graph.petgraph();
    let shapes = g.node_indices().map(|n| shape(estate, index, n)).collect();
    let links = g
        .edge_indices()
        .filter_map(|e| {
            let (a, b) = g.edge_endpoints(e)?;
            Some(link(estate, e, a.index(), b.index()))
        })
        .collect();
    Diagram { shapes, links }
}

fn shape(estate: &EstateView, index: usize, node: NodeIndex) -> Shape {
    let Some(n) = estate.graph.node(node) else {
        return Shape::default();
    };
    let detail = match n.kind {
        NodeKind::Role | NodeKind::User | NodeKind::InstanceProfile => {
            n.account.clone().unwrap_or_default()
        }
        NodeKind::ExternalPrincipal => format!(
            "{} · outside",
            n.account.as_deref().unwrap_or("unknown account")
        ),
        NodeKind::Account => "any principal of this account".to_owned(),
        other => other.name().replace('-', " "),
    };
    let label = match n.kind {
        NodeKind::Account => format!("account {}", n.account.as_deref().unwrap_or(&n.id)),
        _ => short_name(n).to_owned(),
    };
    Shape {
        label,
        detail,
        class: node_flags(estate, node).join(" "),
        href: (n.kind == NodeKind::Role).then(|| format!("#{}", anchor(index, node))),
        title: n.id.clone(),
    }
}

fn link(estate: &EstateView, e: petgraph::graph::EdgeIndex, from: usize, to: usize) -> Link {
    let mut title = String::new();
    if let Some((a, b, edge)) = estate.graph.edge(e) {
        title = format!("{} → {}: {}", a.id, b.id, how(edge));
        for c in conditions(edge) {
            title.push_str("\nif ");
            title.push_str(&c);
        }
        if edge.conditions.is_empty() {
            title.push_str("\nno conditions");
        }
    }
    let mut class = edge_flags(estate, e).join(" ");
    if estate
        .graph
        .edge(e)
        .is_some_and(|(_, _, edge)| !edge.conditions.is_empty())
    {
        class.push_str(" conditional");
    }
    Link {
        from,
        to,
        class: class.trim().to_owned(),
        title,
        label: None,
    }
}

/// One role and the nodes with an edge into it.
fn neighbourhood(estate: &EstateView, index: usize, role: NodeIndex) -> Diagram {
    let g = estate.graph.petgraph();
    let mut diagram = Diagram::default();
    diagram.shapes.push(shape(estate, index, role));
    let mut placed: Vec<NodeIndex> = vec![role];
    for e in g.edges_directed(role, petgraph::Direction::Incoming) {
        use petgraph::visit::EdgeRef;
        let source = e.source();
        let at = match placed.iter().position(|n| *n == source) {
            Some(at) => at,
            None => {
                placed.push(source);
                diagram.shapes.push(shape(estate, index, source));
                placed.len() - 1
            }
        };
        diagram.links.push(link(estate, e.id(), at, 0));
    }
    diagram
}

/// Outside accounts drawn one box each in an overview at most; more are
/// drawn as one box.
const OUTSIDE_BOXES: usize = 10;
/// Account pairs with plain cross-account trust drawn in an overview at
/// most (the busiest); trust from outside and paths to admin or pass-role
/// are always drawn.
const OVERVIEW_PAIRS: usize = 30;

/// The account overview of a large estate: a box per account (and for
/// what lies outside), arrows counting the edges between them. AWS
/// services and identity providers, which trust inside one account, are
/// left out. Also returns how many account pairs were left undrawn.
fn overview(estate: &EstateView) -> (Diagram, usize) {
    let g = estate.graph.petgraph();
    let outside =
        |n: &crate::graph::Node| matches!(n.kind, NodeKind::Account | NodeKind::ExternalPrincipal);
    let outside_accounts: std::collections::BTreeSet<&str> = g
        .node_weights()
        .filter(|n| outside(n))
        .map(|n| n.account.as_deref().unwrap_or("?"))
        .collect();
    let merged = outside_accounts.len() > OUTSIDE_BOXES;
    let key = |n: NodeIndex| -> Option<(String, &'static str)> {
        let node = &g[n];
        Some(match node.kind {
            NodeKind::Anyone => ("anyone (*)".into(), "anyone outside"),
            NodeKind::Service | NodeKind::OidcProvider | NodeKind::SamlProvider => return None,
            _ if outside(node) && merged => (
                format!("{} outside accounts", outside_accounts.len()),
                "account outside",
            ),
            _ if outside(node) => (
                format!("outside: {}", node.account.as_deref().unwrap_or("?")),
                "account outside",
            ),
            _ => (
                format!("account {}", node.account.as_deref().unwrap_or("?")),
                "account",
            ),
        })
    };
    let mut diagram = Diagram::default();
    let mut boxes: BTreeMap<String, usize> = BTreeMap::new();
    let mut index_of = |(name, class): (String, &'static str), diagram: &mut Diagram| -> usize {
        *boxes.entry(name.clone()).or_insert_with(|| {
            diagram.shapes.push(Shape {
                label: name.clone(),
                detail: String::new(),
                class: class.to_owned(),
                href: None,
                title: name,
            });
            diagram.shapes.len() - 1
        })
    };
    let mut counts: BTreeMap<(usize, usize), (usize, Vec<&'static str>)> = BTreeMap::new();
    for e in g.edge_indices() {
        let Some((a, b)) = g.edge_endpoints(e) else {
            continue;
        };
        let (Some(ka), Some(kb)) = (key(a), key(b)) else {
            continue;
        };
        let ia = index_of(ka, &mut diagram);
        let ib = index_of(kb, &mut diagram);
        let entry = counts.entry((ia, ib)).or_default();
        entry.0 += 1;
        for flag in edge_flags(estate, e) {
            if !entry.1.contains(&flag) {
                entry.1.push(flag);
            }
        }
    }
    let mut roles: BTreeMap<String, usize> = BTreeMap::new();
    for n in g.node_indices().filter(|n| g[*n].kind == NodeKind::Role) {
        if let Some((name, _)) = key(n) {
            *roles.entry(name).or_default() += 1;
        }
    }
    for (name, i) in &boxes {
        if let (Some(shape), Some(count)) = (diagram.shapes.get_mut(*i), roles.get(name)) {
            shape.detail = plural(*count, "role", "roles");
        }
    }
    let mut plain: Vec<((usize, usize), usize, Vec<&'static str>)> = Vec::new();
    for ((from, to), (count, flags)) in counts {
        if from == to {
            if let Some(shape) = diagram.shapes.get_mut(from) {
                let _ = write!(shape.title, "\n{count} edges inside the account");
            }
            continue;
        }
        if flags.iter().all(|f| *f == "cross-account") {
            plain.push(((from, to), count, flags));
            continue;
        }
        diagram.links.push(Link {
            from,
            to,
            class: flags.join(" "),
            title: plural(count, "edge", "edges"),
            label: Some(count.to_string()),
        });
    }
    plain.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let dropped = plain.len().saturating_sub(OVERVIEW_PAIRS);
    for ((from, to), count, flags) in plain.into_iter().take(OVERVIEW_PAIRS) {
        diagram.links.push(Link {
            from,
            to,
            class: flags.join(" "),
            title: plural(count, "edge", "edges"),
            label: Some(count.to_string()),
        });
    }
    (diagram, dropped)
}
