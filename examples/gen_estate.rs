//! Writes a synthetic snapshot directory for benchmarks:
//! `gen_estate --out DIR [--accounts 100] [--principals 100000] [--seed 1]`.
#![expect(clippy::print_stdout, reason = "an example tool reports what it wrote")]

#[path = "../benches/common/estate.rs"]
mod estate;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut params = estate::EstateParams {
        accounts: 100,
        principals: 100_000,
        seed: 1,
    };
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--accounts" => params.accounts = value.parse()?,
            "--principals" => params.principals = value.parse()?,
            "--seed" => params.seed = value.parse()?,
            other => return Err(format!("unknown flag `{other}`").into()),
        }
    }
    let out = out.ok_or("`--out DIR` is required")?;
    let summary = estate::write_estate(&out, &params)?;
    println!(
        "wrote {} accounts, {} roles, {} users, {} MiB to {}",
        params.accounts,
        summary.roles,
        summary.users,
        summary.bytes / (1 << 20),
        out.display()
    );
    Ok(())
}
