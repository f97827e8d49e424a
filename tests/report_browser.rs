#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code fails loudly"
)]

//! The HTML report in a real browser: headless Chromium (Debian's
//! `chromium`, which `.ci/run` installs) opens the report of a `policies/`
//! scenario from a file, with the network features off. The page must log
//! nothing to the console (no error, no uncaught exception), its script
//! must have run (the filter boxes it adds are in the DOM), every section
//! must be there, and a screenshot must come out.
//!
//! Without a browser the test is skipped, except under `CI=true`, where a
//! missing browser is a failure. `ROLECALL_CHROMIUM` names another binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a browser run may take before it is taken as hung.
const HANG: Duration = Duration::from_secs(180);

fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ROLECALL_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Runs the browser headless on `page` with `extra` flags; returns stdout
/// and stderr.
fn headless(browser: &Path, profile: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            panic!("{} did not finish on {}", browser.display(), page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        std::fs::read_to_string(out_path).unwrap_or_default(),
        std::fs::read_to_string(err_path).unwrap_or_default(),
    )
}

#[test]
fn the_html_report_loads_cleanly_in_chromium() {
    let Some(browser) = browser() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true and no chromium: .ci/run installs Debian's `chromium`"
        );
        eprintln!("skipped: no chromium (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("policies")
        .join("xsoar-instance-profile");
    let status = assert_cmd::Command::cargo_bin("rolecall")
        .unwrap()
        .current_dir(dir.path())
        .arg("report")
        .arg(&scenario)
        .args(["--format", "html", "--out"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{status:?}");

    let profile = dir.path().join("profile");
    let shot = dir.path().join("report.png");
    let (_, log) = headless(
        &browser,
        &profile,
        &page,
        &[
            "--window-size=1400,2400",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{log}"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 20_000, "a blank page? {} bytes", png.len());
    // Chromium logs every console message (errors and uncaught exceptions
    // included) as `CONSOLE`; the report logs nothing.
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console output:\n{}",
        console.join("\n")
    );

    let (dom, log) = headless(&browser, &profile, &page, &["--dump-dom"]);
    for id in ["summary", "findings", "graph", "admin", "roles"] {
        assert!(
            dom.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing:\n{log}"
        );
    }
    assert!(dom.contains("<svg class=\"graph\""));
    assert!(
        dom.contains("class=\"filter\""),
        "the page's script did not run"
    );
    assert!(
        dom.contains("th class=\"sort\""),
        "tables were not made sortable"
    );
}
