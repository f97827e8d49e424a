#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

//! Every rule has docs and fixtures, and the fixtures behave: each file in
//! `rules/<id>/fail/` raises the rule, each in `pass/` does not. The human
//! output of every fail fixture is snapshotted.
//!
//! A fixture named `name.<kind>.json` (kind: identity, resource, trust,
//! boundary, scp, rcp, session) is linted as that kind; otherwise the kind
//! comes from its content. A fixture may also be a directory, linted as
//! `rolecall lint DIR` is (its `expectations.toml` included), with its own
//! `rolecall.toml` if it has one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rolecall::inventory::{self, InputSpec, LoadOptions};
use rolecall::lint::{self, Config, Finding, Linter, Sink, registry};
use rolecall::policy::PolicyKind;

const SECTIONS: [&str; 5] = [
    "## What it flags",
    "## Why it matters",
    "## Example",
    "## Fix",
    "## References",
];

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn fixtures(id: &str, which: &str) -> Vec<PathBuf> {
    let dir = rules_dir().join(id).join(which);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn kind_of(path: &Path) -> Option<PolicyKind> {
    let stem = path.file_stem()?.to_str()?;
    let (_, kind) = stem.rsplit_once('.')?;
    PolicyKind::from_name(kind)
}

/// Lints a fixture with every rule on, exactly as `rolecall lint` does, with
/// the file named by its repository-relative path.
fn lint_fixture(path: &Path) -> Vec<Finding> {
    let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
    if path.is_dir() {
        return lint_fixture_dir(relative);
    }
    let input = InputSpec::Text {
        name: relative.display().to_string(),
        text: String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned(),
    };
    let options = LoadOptions {
        kind: kind_of(path),
        ..LoadOptions::default()
    };
    let config = Config::default();
    let (findings, problems) = Linter::new(&config).input(input, &options);
    if let Some(problem) = problems.first() {
        panic!("{}: {problem}", path.display());
    }
    findings
}

/// Lints a fixture directory as `rolecall lint` does (tests run in the
/// crate's folder, so the relative path names the files).
fn lint_fixture_dir(dir: &Path) -> Vec<Finding> {
    let config_file = dir.join("rolecall.toml");
    let config = if config_file.is_file() {
        Config::load(&config_file).unwrap()
    } else {
        Config::default()
    };
    let linter = Linter::new(&config);
    let mut sink = Sink::default();
    for estate in lint::estates(&[InputSpec::Path(dir.to_path_buf())]) {
        let outcome = inventory::load(&estate.inputs, &LoadOptions::default());
        let (requested, problems) = lint::sessions::read_expectations(&estate.expectations);
        assert!(problems.is_empty(), "{}: {problems:?}", dir.display());
        sink.extend(linter.estate(&outcome.inventory, |_| true, &requested));
        for problem in &outcome.problems {
            assert!(
                linter.load_problem(problem, &mut sink),
                "{}: {problem}",
                dir.display()
            );
        }
    }
    linter.finish(sink)
}

#[test]
fn every_rule_has_docs_and_fixtures() {
    for rule in registry::all() {
        let meta = rule.meta();
        let readme = rules_dir().join(meta.id).join("README.md");
        let docs = std::fs::read_to_string(&readme)
            .unwrap_or_else(|_| panic!("{} has no README.md", meta.id));
        assert!(
            docs.starts_with(&format!("# {}\n", meta.id)),
            "{}: README must start with `# {}`",
            meta.id,
            meta.id
        );
        let mut last = 0;
        for section in SECTIONS {
            let at = docs
                .find(section)
                .unwrap_or_else(|| panic!("{}: README lacks `{section}`", meta.id));
            assert!(at >= last, "{}: `{section}` is out of order", meta.id);
            last = at;
        }
        assert!(
            !fixtures(meta.id, "fail").is_empty(),
            "{} has no fail fixture",
            meta.id
        );
        assert!(
            !fixtures(meta.id, "pass").is_empty(),
            "{} has no pass fixture",
            meta.id
        );
    }
}

#[test]
fn every_docs_folder_has_a_rule() {
    let ids: BTreeSet<&str> = registry::all().iter().map(|r| r.meta().id).collect();
    for entry in std::fs::read_dir(rules_dir()).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            let name = entry.file_name().into_string().unwrap();
            assert!(
                ids.contains(name.as_str()),
                "rules/{name} has no registered rule"
            );
        }
    }
}

#[test]
fn fail_fixtures_raise_their_rule() {
    for rule in registry::all() {
        let id = rule.meta().id;
        for path in fixtures(id, "fail") {
            let findings = lint_fixture(&path);
            let own: Vec<&Finding> = findings.iter().filter(|f| f.rule == id).collect();
            assert!(!own.is_empty(), "{} does not raise {id}", path.display());
            for finding in &own {
                assert!(
                    !finding.locations.is_empty(),
                    "{id} finding in {} has no location",
                    path.display()
                );
            }
            let rendered: String = own
                .iter()
                .map(|f| rolecall::render::human::finding_plain(f))
                .collect();
            let name = format!("{id}__{}", path.file_name().unwrap().to_str().unwrap());
            insta::assert_snapshot!(name, rendered);
        }
    }
}

#[test]
fn pass_fixtures_do_not_raise_their_rule() {
    for rule in registry::all() {
        let id = rule.meta().id;
        for path in fixtures(id, "pass") {
            let findings = lint_fixture(&path);
            let own: Vec<String> = findings
                .iter()
                .filter(|f| f.rule == id)
                .map(|f| f.message.clone())
                .collect();
            assert!(own.is_empty(), "{} raises {id}: {own:?}", path.display());
        }
    }
}
