//! `--format json`: the stable, versioned machine format.
//!
//! Version 1 (documented in the README):
//! `{"version":1,"tool":{"name","version"},"catalog","findings":[{"rule","type","file",
//! "policy","message","help","locations":[{"line","column","end_line",
//! "end_column","path","label"}]}]}`. Lines and columns are 1-based; the end
//! column is exclusive; columns count characters.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::lint::Finding;

/// The JSON output version; bump on any incompatible change.
pub const VERSION: u32 = 1;

/// Writes findings as one JSON document and a newline.
pub fn findings(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    let doc = json!({
        "version": VERSION,
        "tool": {"name": "rolecall", "version": env!("CARGO_PKG_VERSION")},
        "catalog": crate::catalog::version(),
        "findings": findings.iter().map(finding).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.rule,
        "type": f.finding_type.name(),
        "file": f.file.name(),
        "policy": f.subject,
        "message": f.message,
        "help": f.help,
        "locations": f.locations.iter().map(|l| {
            let (start, end) = super::line_cols(f, l.span);
            json!({
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "path": l.path,
                "label": l.label,
            })
        }).collect::<Vec<_>>(),
    })
}
