#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

//! No orphaned snapshots: insta names a snapshot `<test file>__<name>.snap`,
//! and `tests/rules.rs` names each after its fixture, `rules__<rule id>__<fixture
//! file>.snap`. When a fixture is renamed or removed, its old snapshot would
//! linger unnoticed; this test fails instead (what `cargo insta test
//! --unreferenced reject` does, without installing cargo-insta). Snapshots
//! still under review (`.snap.new`, `.pending-snap`) fail too.

use std::path::Path;

#[test]
fn every_snapshot_belongs_to_a_test_file_and_every_rules_snapshot_to_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(entries) = std::fs::read_dir(root.join("tests/snapshots")) else {
        return;
    };
    let mut orphans = Vec::new();
    for entry in entries {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(stem) = name.strip_suffix(".snap") else {
            orphans.push(format!("{name}: not a reviewed snapshot"));
            continue;
        };
        let Some((test_file, snapshot)) = stem.split_once("__") else {
            orphans.push(format!("{name}: not named `<test file>__<name>.snap`"));
            continue;
        };
        if !root.join("tests").join(format!("{test_file}.rs")).is_file() {
            orphans.push(format!("{name}: no tests/{test_file}.rs"));
            continue;
        }
        if test_file == "rules" {
            let fixture = snapshot
                .split_once("__")
                .map(|(id, file)| root.join("rules").join(id).join("fail").join(file));
            if !fixture.as_deref().is_some_and(Path::exists) {
                orphans.push(format!(
                    "{name}: no fixture rules/<id>/fail/<file or directory> for it"
                ));
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "orphaned snapshots (delete them, or restore their fixture):\n{}",
        orphans.join("\n")
    );
}
