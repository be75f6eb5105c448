//! A progress bar on a terminal, nothing in CI or when piped.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lba_app::{NoProgress, Progress};

/// A progress reporter suited to where the command runs.
pub fn for_terminal() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:58} {human_pos:>7} lignes {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Box::new(Bar(bar))
    } else {
        Box::new(NoProgress)
    }
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn stage(&self, name: &str, total: Option<u64>) {
        self.0.set_message(name.to_owned());
        self.0.set_length(total.unwrap_or(0));
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
