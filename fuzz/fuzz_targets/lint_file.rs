//! Any text, linted as `rolecall lint FILE` lints it: format detection
//! (policy, CloudFormation, Terraform plan, authorization details), the
//! inventory, every rule, then the human, JSON and SARIF renderers. Nothing
//! may panic, overflow the stack or hang. (Bytes that are not UTF-8 stop at
//! the UTF-8 check before any of this; `parse_policy` covers the parser
//! alone.)

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall::inventory::{InputSpec, LoadOptions};
use rolecall::lint::{Config, Linter};
use rolecall::policy::PolicyKind;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the document kind, as `--kind` would (or none).
    let kind = data
        .first()
        .and_then(|b| PolicyKind::ALL.get(usize::from(*b) % (PolicyKind::ALL.len() + 1)))
        .copied();
    let input = InputSpec::Text {
        name: "fuzz.json".into(),
        text: String::from_utf8_lossy(data).into_owned(),
    };
    let options = LoadOptions {
        kind,
        threads: 1,
        ..LoadOptions::default()
    };
    let config = Config::default();
    let (findings, _) = Linter::new(&config).input(input, &options);
    for finding in &findings {
        let _ = rolecall::render::human::finding_plain(finding);
    }
    let mut out = Vec::new();
    let _ = rolecall::render::json::findings(&mut out, &findings);
    let _ = rolecall::render::sarif::findings(&mut out, &findings);
});
