//! Loads inputs, builds the who-can-assume graph, answers who-can-assume for
//! every role and one `why`, reporting counts and times, for measuring with
//! `/usr/bin/time -v`: `graph_estate [--threads N] [--why PRINCIPAL ROLE] INPUT...`.
#![expect(clippy::print_stdout, reason = "an example tool reports what it did")]

use std::time::Instant;

use rolecall::graph::{BuildOptions, WhyRequest, build, who_can_assume_all, why};
use rolecall::inventory::{InputSpec, LoadOptions, load};

fn main() {
    let mut threads = 0;
    let mut inputs = Vec::new();
    let mut pair = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--why" => pair = args.next().zip(args.next()),
            _ => inputs.push(InputSpec::from_arg(&arg)),
        }
    }
    let start = Instant::now();
    let outcome = load(
        &inputs,
        &LoadOptions {
            threads,
            ..LoadOptions::default()
        },
    );
    let loaded = start.elapsed();
    let inventory = &outcome.inventory;
    println!(
        "loaded {} roles, {} users in {loaded:.2?} ({} problems)",
        inventory.roles().len(),
        inventory.users().len(),
        outcome.problems.len()
    );
    let t = Instant::now();
    let graph = build(inventory, &BuildOptions { threads });
    let built = t.elapsed();
    println!(
        "built {} nodes, {} edges in {built:.2?} ({} problems)",
        graph.petgraph().node_count(),
        graph.petgraph().edge_count(),
        graph.problems().len()
    );
    let t = Instant::now();
    let all = who_can_assume_all(&graph, threads);
    let answered = t.elapsed();
    let reached: usize = all.iter().map(|(_, r)| r.len()).sum();
    println!(
        "who-can-assume for {} roles ({reached} principal-role answers) in {answered:.2?}",
        all.len()
    );
    println!(
        "graph + who-can-assume: {:.2?}; total with loading: {:.2?}",
        built + answered,
        start.elapsed()
    );
    if let Some((principal, role)) = pair {
        let t = Instant::now();
        let request = WhyRequest {
            principal,
            role,
            ..WhyRequest::default()
        };
        match why(inventory, &request) {
            Ok(d) => println!("why: allowed={} in {:.2?}", d.allowed, t.elapsed()),
            Err(e) => println!("why: {e} in {:.2?}", t.elapsed()),
        }
    }
    // Let the OS reclaim memory rather than freeing every allocation.
    std::mem::forget(all);
    std::mem::forget(graph);
    std::mem::forget(outcome);
}
