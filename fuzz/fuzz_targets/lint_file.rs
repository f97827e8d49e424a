//! Any bytes, read as a policy file: UTF-8 check, strict JSON parse, policy
//! model, every lint rule, then every output format. Nothing may panic,
//! overflow the stack or hang.
//!
//! See `fuzz/README.md` for how to run it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall::input;
use rolecall::lint::{Config, Linter, Sink};
use rolecall::policy::PolicyKind;

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    let linter = Linter::new(&config);
    // The first byte picks the document kind, as `--kind` would.
    let kind = data
        .first()
        .and_then(|b| PolicyKind::ALL.get(usize::from(*b) % (PolicyKind::ALL.len() + 1)))
        .copied();
    let read = input::from_bytes("fuzz.json".into(), data.to_vec());
    let mut sink = Sink::default();
    linter.file(&read, kind, &mut sink);
    let findings = linter.finish(sink);
    for finding in &findings {
        let _ = rolecall::render::human::finding_plain(finding);
    }
    let mut out = Vec::new();
    let _ = rolecall::render::json::findings(&mut out, &findings);
    let _ = rolecall::render::sarif::findings(&mut out, &findings);
});
