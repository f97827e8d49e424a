//! Writes an expectations file of about N assertions over an estate, for
//! measuring `rolecall verify` with `/usr/bin/time -v`:
//! `gen_expectations [--count 10000] --out FILE INPUT...`.
#![expect(clippy::print_stdout, reason = "an example tool reports what it wrote")]

#[path = "../benches/common/expectations.rs"]
mod expectations;

use std::path::PathBuf;

use rolecall::graph::{BuildOptions, build};
use rolecall::inventory::{InputSpec, LoadOptions, load};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut count = 10_000;
    let mut out = None;
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--count" => count = args.next().ok_or("`--count` needs a value")?.parse()?,
            "--out" => out = Some(PathBuf::from(args.next().ok_or("`--out` needs a value")?)),
            _ => inputs.push(InputSpec::from_arg(&arg)),
        }
    }
    let out = out.ok_or("`--out FILE` is required")?;
    let outcome = load(&inputs, &LoadOptions::default());
    let graph = build(&outcome.inventory, &BuildOptions::default());
    let text = expectations::expectations(&outcome.inventory, &graph, count);
    std::fs::write(&out, &text)?;
    println!(
        "wrote {} tables ({} bytes) to {}",
        text.matches("[[").count(),
        text.len(),
        out.display()
    );
    Ok(())
}
