//! Loads inputs, builds the who-can-assume graph, answers who-can-assume for
//! every role and one `why`, reporting counts and times, for measuring with
//! `/usr/bin/time -v`: `graph_estate [--threads N] [--why PRINCIPAL ROLE] INPUT...`.
#![expect(clippy::print_stdout, reason = "an example tool reports what it did")]

use std::time::{Duration, Instant};

/// CPU time (user + system) this process has used so far, from
/// `/proc/self/stat` (Linux; zero elsewhere): on a shared machine, wall
/// time says little.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after
    // the command name; the clock ticks 100 times a second on Linux.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

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
    let load_cpu = cpu();
    let inventory = &outcome.inventory;
    println!(
        "loaded {} roles, {} users in {loaded:.2?}, cpu {load_cpu:.2?} ({} problems)",
        inventory.roles().len(),
        inventory.users().len(),
        outcome.problems.len()
    );
    let t = Instant::now();
    let graph = build(inventory, &BuildOptions { threads });
    let built = t.elapsed();
    let build_cpu = cpu() - load_cpu;
    println!(
        "built {} nodes, {} edges in {built:.2?}, cpu {build_cpu:.2?} ({} problems)",
        graph.petgraph().node_count(),
        graph.petgraph().edge_count(),
        graph.problems().len()
    );
    let t = Instant::now();
    let all = who_can_assume_all(&graph, threads);
    let answered = t.elapsed();
    let who_cpu = cpu() - load_cpu - build_cpu;
    let reached: usize = all.iter().map(|(_, r)| r.len()).sum();
    println!(
        "who-can-assume for {} roles ({reached} principal-role answers) in {answered:.2?}, cpu {who_cpu:.2?}",
        all.len()
    );
    println!(
        "graph + who-can-assume: {:.2?}, cpu {:.2?}; total with loading: {:.2?}, cpu {:.2?}",
        built + answered,
        build_cpu + who_cpu,
        start.elapsed(),
        cpu()
    );
    if let Some((principal, role)) = pair {
        let request = WhyRequest {
            principal,
            role,
            ..WhyRequest::default()
        };
        // The fastest of ten runs: the machine is shared.
        let mut best = std::time::Duration::MAX;
        let mut answer = String::new();
        for _ in 0..10 {
            let t = Instant::now();
            answer = match why(inventory, &request) {
                Ok(d) => format!("allowed={}", d.allowed),
                Err(e) => e.to_string(),
            };
            best = best.min(t.elapsed());
        }
        println!("why: {answer} in {best:.2?} (fastest of 10)");
    }
    // Let the OS reclaim memory rather than freeing every allocation.
    std::mem::forget(all);
    std::mem::forget(graph);
    std::mem::forget(outcome);
}
