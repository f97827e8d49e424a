//! `rolecall decode`: the request behind an AccessDenied, from its encoded
//! message or from the decoded JSON document.

use std::io::Read;
use std::path::Path;

use miette::IntoDiagnostic;

use super::live::{self, ConnectArgs};
use super::{ExitStatus, Format};
use crate::graph::Diagnoser;
use crate::live::decode::{self, DecodedMessage, Message, reevaluate};
use crate::render;

/// Arguments of `rolecall decode`.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// The encoded authorization message (or the AWS error text holding it),
    /// a file holding the decoded JSON document, or `-` to read standard input.
    message: String,
    /// Snapshot directories, authorization-details files, templates or
    /// plans: re-evaluate the request with their policies and name the
    /// statement that denied it.
    inputs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    connect: ConnectArgs,
}

/// Runs `rolecall decode`: exit 0; given inputs, 1 when rolecall decides
/// otherwise than AWS did, 2 when the request cannot be re-evaluated.
pub fn run(args: DecodeArgs) -> miette::Result<ExitStatus> {
    if matches!(args.format, Format::Sarif | Format::Markdown) {
        return Err(miette::miette!("`decode` prints human or json"));
    }
    let text = if args.message == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .into_diagnostic()?;
        text
    } else if Path::new(&args.message).is_file() || args.message.ends_with(".json") {
        std::fs::read_to_string(&args.message)
            .map_err(|e| miette::miette!("cannot read `{}`: {e}", args.message))?
    } else {
        args.message.clone()
    };
    let decoded = match Message::classify(&text) {
        Message::Decoded(json) => json,
        Message::Encoded(encoded) if encoded.is_empty() => {
            return Err(miette::miette!("no message given"));
        }
        Message::Encoded(encoded) => {
            match live::with_clients(&args.connect, |clients| async move {
                decode::decode(&clients, &encoded).await
            })? {
                Ok(json) => json,
                Err(e) => return Ok(live::failed(&e)),
            }
        }
    };
    let message = DecodedMessage::parse(&decoded)?;
    let reevaluation = if args.inputs.is_empty() {
        None
    } else {
        let inventory = super::inventory::load_inventory(&args.inputs)?;
        Some(reevaluate(&Diagnoser::new(&inventory), &message))
    };
    let mut stdout = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::live::decoded_json(&mut stdout, &message, reevaluation.as_ref()),
        _ => render::live::decoded_human(&mut stdout, &message, reevaluation.as_ref()),
    })?;
    Ok(match &reevaluation {
        None | Some(Ok(decode::Reevaluation { agrees: true, .. })) => ExitStatus::Success,
        Some(Ok(_)) => ExitStatus::Failure,
        Some(Err(_)) => ExitStatus::InputError,
    })
}
