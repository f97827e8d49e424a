//! `rolecall rules`: the rule list and each rule's docs, each output naming
//! the AWS service catalog version the rules use.

use std::io::{self, Write};

use serde_json::json;

use crate::lint::Rule;

/// One line per rule: id, type, summary.
pub fn list_human(out: &mut dyn Write, rules: &[&dyn Rule]) -> io::Result<()> {
    let width = rules.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
    for rule in rules {
        let meta = rule.meta();
        writeln!(
            out,
            "{:width$}  {:10}  {}",
            meta.id,
            meta.finding_type.name(),
            meta.summary
        )?;
    }
    writeln!(out, "\nAWS service catalog: {}", crate::catalog::version())
}

/// Rules as JSON: `{"version":1,"catalog","rules":[{"id","type","category","summary","docs","help_uri"}]}`.
pub fn list_json(out: &mut dyn Write, rules: &[&dyn Rule]) -> io::Result<()> {
    let doc = json!({
        "version": super::json::VERSION,
        "catalog": crate::catalog::version(),
        "rules": rules.iter().map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "type": m.finding_type.name(),
                "category": m.category.name(),
                "summary": m.summary,
                "docs": m.docs,
                "help_uri": m.help_uri(),
            })
        }).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Each rule's docs, as written in `rules/<id>/README.md`.
pub fn docs_markdown(out: &mut dyn Write, rules: &[&dyn Rule]) -> io::Result<()> {
    for (i, rule) in rules.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", rule.meta().docs)?;
    }
    writeln!(
        out,
        "\n---\nAWS service catalog: {}",
        crate::catalog::version()
    )
}
