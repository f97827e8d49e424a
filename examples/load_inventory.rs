//! Loads inputs into an inventory and reports counts and time, for
//! measuring the loader with `/usr/bin/time -v`:
//! `load_inventory [--threads N] INPUT...`.
#![expect(
    clippy::print_stdout,
    reason = "an example tool reports what it loaded"
)]

use rolecall::inventory::{InputSpec, LoadOptions, load};

fn main() {
    let mut options = LoadOptions::default();
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--threads", Some(n)) => options.threads = n.parse().unwrap_or(0),
            (_, next) => {
                inputs.push(InputSpec::from_arg(&arg));
                inputs.extend(next.map(|a| InputSpec::from_arg(&a)));
            }
        }
    }
    let start = std::time::Instant::now();
    let outcome = load(&inputs, &options);
    let elapsed = start.elapsed();
    let inv = &outcome.inventory;
    println!(
        "loaded {} accounts, {} roles, {} users, {} groups, {} managed policies, {} instance profiles, {} providers, {} policy documents, {} problems in {:.2?}",
        inv.accounts().len(),
        inv.roles().len(),
        inv.users().len(),
        inv.groups().len(),
        inv.managed_policies().len(),
        inv.instance_profiles().len(),
        inv.providers().len(),
        inv.policies().count(),
        outcome.problems.len(),
        elapsed
    );
    for problem in outcome.problems.iter().take(10) {
        println!("{problem}");
    }
    // The process ends here: let the OS reclaim the inventory rather than
    // freeing a million small allocations one by one.
    std::mem::forget(outcome);
}
