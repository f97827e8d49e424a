//! The README's console examples, for tests that hold the README to what
//! the commands really print: shared by `live.rs` and `graph_cli.rs`.

use std::path::Path;

/// The output the README shows after `command` (a `$ …` line) in a console
/// block: the lines after it and its `\` continuation lines, up to the
/// block's end.
pub fn readme_output(command: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut at = lines
        .iter()
        .position(|&l| l == command)
        .unwrap_or_else(|| panic!("the README shows no `{command}`"));
    while lines[at].ends_with('\\') {
        at += 1;
    }
    let mut out = String::new();
    for line in &lines[at + 1..] {
        if line.starts_with("```") {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
