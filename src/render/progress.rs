//! The fetch progress bar: on standard error, only when it is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::live::fetch::FetchProgress;

/// A progress bar over the accounts of a fetch; draws nothing unless
/// standard error is a terminal.
#[derive(Debug)]
pub struct FetchBar {
    bar: ProgressBar,
}

impl FetchBar {
    /// A bar on standard error, hidden when it is not a terminal.
    pub fn stderr() -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} accounts {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Self { bar }
    }
}

impl FetchProgress for FetchBar {
    fn begin(&self, accounts: usize) {
        self.bar.set_length(accounts as u64);
        self.bar.set_message("fetching");
    }

    fn account_done(&self, account: &str, error: Option<&str>) {
        if let Some(error) = error {
            self.bar.println(format!("{account}: failed: {error}"));
        }
        self.bar.set_message(format!("{account} done"));
        self.bar.inc(1);
    }

    fn end(&self) {
        self.bar.finish_and_clear();
    }
}
