//! `rolecall rules`.

use super::{ExitStatus, Format};
use crate::lint::{Rule, registry};
use crate::render;

/// Arguments of `rolecall rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Print this rule's documentation (default: list every rule).
    rule: Option<String>,
    /// Output format: human, json or markdown.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// Runs `rolecall rules`.
pub fn run(args: RulesArgs) -> miette::Result<ExitStatus> {
    let selected: Vec<&dyn Rule> = match &args.rule {
        Some(id) => {
            let Some(rule) = registry::find(id) else {
                let ids: Vec<&str> = registry::all().iter().map(|r| r.meta().id).collect();
                return Err(miette::miette!(
                    help = "`rolecall rules` lists every rule id",
                    "unknown rule `{id}`{}",
                    crate::policy::did_you_mean(id, &ids)
                ));
            };
            vec![rule]
        }
        None => registry::all().to_vec(),
    };
    let mut out = std::io::stdout().lock();
    super::output(match (args.format, args.rule.is_some()) {
        (Format::Json, _) => render::rules::list_json(&mut out, &selected),
        (Format::Markdown, _) | (Format::Human, true) => {
            render::rules::docs_markdown(&mut out, &selected)
        }
        (Format::Human, false) => render::rules::list_human(&mut out, &selected),
        (Format::Sarif, _) => {
            return Err(miette::miette!("`rules` prints human, json or markdown"));
        }
    })?;
    Ok(ExitStatus::Success)
}
