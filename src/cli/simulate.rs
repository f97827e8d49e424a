//! `rolecall simulate`: JSON requests in (one object, or JSON Lines), or one
//! request from flags; decisions and traces out.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use super::{ExitStatus, Format};
use crate::eval::ContextValue;
use crate::eval::simulate::{Answer, Batch, PolicyInput, SimulateError, SimulationInput, simulate};
use crate::render;
use crate::source::SourceFile;

/// Arguments of `rolecall simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// JSON request(s): one object, or JSON Lines for a batch answered line
    /// by line; `-` reads standard input.
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["principal", "action", "resource"])]
    request: Option<String>,
    /// Output format: human or json (one JSON line per request).
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// The principal: a user, role, assumed-role session, federated user or
    /// root ARN, an account id, a service (`ec2.amazonaws.com`), an OIDC or
    /// SAML provider, or `anonymous`.
    #[arg(long)]
    principal: Option<String>,
    /// The action, e.g. `sts:AssumeRole`.
    #[arg(long)]
    action: Option<String>,
    /// The resource ARN, or `*`.
    #[arg(long)]
    resource: Option<String>,
    /// The account owning the resource, when its ARN does not say.
    #[arg(long, value_name = "ACCOUNT_ID")]
    resource_account: Option<String>,
    /// A context key; repeat a key for a multivalued one.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// An identity-based policy (repeatable).
    #[arg(long = "identity-policy", value_name = "FILE")]
    identity_policies: Vec<PathBuf>,
    /// The resource-based policy (for `sts:AssumeRole*`, the role's trust policy).
    #[arg(long, value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// A permissions boundary.
    #[arg(long = "boundary", value_name = "FILE")]
    boundaries: Vec<PathBuf>,
    /// One SCP level, organization root first; several files of a level are
    /// separated by commas (repeat the flag for each level).
    #[arg(long = "scp", value_name = "FILE[,FILE...]")]
    scps: Vec<String>,
    /// One RCP level, as for `--scp` (RCPFullAWSAccess is implied).
    #[arg(long = "rcp", value_name = "FILE[,FILE...]")]
    rcps: Vec<String>,
    /// The session policy.
    #[arg(long, value_name = "FILE")]
    session_policy: Option<PathBuf>,
}

/// Runs `rolecall simulate`.
pub fn run(args: SimulateArgs) -> miette::Result<ExitStatus> {
    if !matches!(args.format, Format::Human | Format::Json) {
        return Err(miette::miette!("`simulate` prints human or json"));
    }
    let mut stdout = std::io::stdout().lock();
    let write = |out: &mut dyn Write, answer: &Answer| match args.format {
        Format::Json => render::simulate::answer_json(out, answer),
        _ => render::simulate::answer_human(out, answer),
    };
    if let Some(request) = &args.request {
        let (reader, name): (Box<dyn BufRead>, String) = if request == "-" {
            (
                Box::new(BufReader::new(std::io::stdin())),
                "<stdin>".to_owned(),
            )
        } else {
            let file = std::fs::File::open(request)
                .map_err(|e| miette::miette!("cannot read `{request}`: {e}"))?;
            (Box::new(BufReader::new(file)), request.clone())
        };
        let (mut answered, mut errors) = (0usize, 0usize);
        for answer in Batch::new(reader, name) {
            let answer = answer.map_err(|e| miette::miette!("cannot read the requests: {e}"))?;
            answered += 1;
            errors += usize::from(matches!(answer, Answer::Error(_)));
            super::output(write(&mut stdout, &answer).and_then(|()| stdout.flush()))?;
        }
        return Ok(if answered == 1 && errors == 1 {
            ExitStatus::InputError
        } else {
            ExitStatus::Success
        });
    }
    let answer = match from_flags(&args).and_then(|input| simulate(&input)) {
        Ok(e) => Answer::Evaluated(Box::new(e)),
        Err(e) => Answer::Error(e),
    };
    super::output(write(&mut stdout, &answer))?;
    Ok(match answer {
        Answer::Error(_) => ExitStatus::InputError,
        Answer::Evaluated(_) => ExitStatus::Success,
    })
}

fn from_flags(args: &SimulateArgs) -> Result<SimulationInput, SimulateError> {
    let required = |value: &Option<String>, flag: &str| {
        value.clone().ok_or_else(|| SimulateError::Usage {
            message: format!("`--{flag}` is required unless `--request` is given"),
        })
    };
    let mut input = SimulationInput {
        principal: required(&args.principal, "principal")?,
        action: required(&args.action, "action")?,
        resource: required(&args.resource, "resource")?,
        resource_account: args.resource_account.clone(),
        ..SimulationInput::default()
    };
    let mut context: Vec<(String, Vec<String>)> = Vec::new();
    for pair in &args.context {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(SimulateError::Usage {
                message: format!("`--context {pair}` must be KEY=VALUE"),
            });
        };
        match context
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some((_, values)) => values.push(value.to_owned()),
            None => context.push((key.to_owned(), vec![value.to_owned()])),
        }
    }
    for (key, mut values) in context {
        let value = if values.len() == 1 {
            ContextValue::Single(values.remove(0))
        } else {
            ContextValue::Multi(values)
        };
        input.context.insert(key, value);
    }
    let read = |path: &PathBuf| -> Result<PolicyInput, SimulateError> {
        let text = std::fs::read_to_string(path).map_err(|e| SimulateError::Usage {
            message: format!("cannot read `{}`: {e}", path.display()),
        })?;
        PolicyInput::from_file(SourceFile::new(path.display().to_string(), text))
    };
    let level = |files: &String| -> Result<Vec<PolicyInput>, SimulateError> {
        files
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| read(&PathBuf::from(f)))
            .collect()
    };
    input.identity = args
        .identity_policies
        .iter()
        .map(read)
        .collect::<Result<_, _>>()?;
    input.resource_policy = args.resource_policy.as_ref().map(read).transpose()?;
    input.boundaries = args.boundaries.iter().map(read).collect::<Result<_, _>>()?;
    input.scps = args.scps.iter().map(level).collect::<Result<_, _>>()?;
    input.rcps = args.rcps.iter().map(level).collect::<Result<_, _>>()?;
    input.session = args.session_policy.as_ref().map(read).transpose()?;
    Ok(input)
}
