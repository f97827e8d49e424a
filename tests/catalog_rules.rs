#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

//! The catalog-backed rules stay quiet on the valid example policies in
//! `policies/` (the plain documents of each scenario; `broken/` variants are
//! meant to fail).

use std::path::Path;

use rolecall::inventory::{self, InputSpec, LoadOptions};
use rolecall::lint::{Config, Linter};

const RULES: [&str; 4] = [
    "invalid-action",
    "action-resource-mismatch",
    "unknown-condition-key",
    "condition-type-mismatch",
];

#[test]
fn quiet_on_the_example_policies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let config = Config::default();
    let linter = Linter::new(&config);
    let mut linted = 0;
    for scenario in std::fs::read_dir(&root).unwrap() {
        let scenario = scenario.unwrap().path();
        if !scenario.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&scenario).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let outcome =
                inventory::load(&[InputSpec::Path(path.clone())], &LoadOptions::default());
            let sink = linter.inventory(&outcome.inventory, |_| true);
            let own: Vec<String> = linter
                .finish(sink)
                .into_iter()
                .filter(|f| RULES.contains(&f.rule))
                .map(|f| format!("{}: {}", f.rule, f.message))
                .collect();
            assert!(own.is_empty(), "{}: {own:?}", path.display());
            linted += 1;
        }
    }
    assert!(linted >= 20, "only {linted} policies found");
}
