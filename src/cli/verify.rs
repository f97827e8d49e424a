//! `rolecall verify`: check an expectations file against the inputs.

use std::path::PathBuf;

use miette::IntoDiagnostic;

use super::{ExitStatus, Format};
use crate::lint::Config;
use crate::render;
use crate::verify::{self, Options};

/// `rolecall verify --help`: the expectations file's schema.
pub(crate) const LONG_ABOUT: &str = r#"Check assertions about access, written in an expectations file (TOML), against the inputs.

Every assertion is checked and reported: pass, fail (with the reason, the deciding policy statements located in their files, and the smallest fix) or unknown (the inputs do not say, e.g. an account that was not fetched). Exit 0 when every assertion passes, 1 when any fails or is unknown, 2 when the expectations file is invalid (the error gives its line and column) or an input cannot be read.

THE EXPECTATIONS FILE

One array of tables per assertion kind; any table may have a `description`. Unknown keys are errors. Role and principal patterns are ARNs where `*` and `?` are wildcards, as in policies.

[[can_assume]]             each pair must succeed, through the same checks as `rolecall why`
  principal = "arn:aws:iam::111122223333:user/ci"    one principal: user, role, session, service or provider
  roles = ["arn:aws:iam::444455556666:role/Deploy"]  role ARNs or patterns (each matching role)
  external_id = "x-1"        optional: the ExternalId sent
  duration_seconds = 3600    optional: DurationSeconds (default 3600)
  mfa = true                 optional: signed in with MFA
  context = { "aws:SourceIp" = "10.0.0.1" }          optional: more context keys (a list: multivalued)

[[cannot_assume]]          no path may exist, role chaining and pass-role included
  principals = ["external", "anyone", "arn:aws:iam::*:user/*"]
  roles = ["arn:aws:iam::444455556666:role/*"]
    "external": any principal outside the zone of trust (the inventory's accounts, its organization's,
    and `trusted_accounts` of rolecall.toml): other accounts and their principals, federated
    (OIDC/SAML) identities, anyone. "anyone": `"Principal": "*"`. For both, a path whose
    conditions admit only the zone (aws:PrincipalOrgID of the organization, aws:PrincipalAccount
    of its accounts, or a Deny of everyone else) does not count.
    A 12-digit account id names every principal of that account; a service name such as
    ec2.amazonaws.com names that service.

[[only_assumable_by]]      the principals that can reach the role (assume, chaining, pass-role) are
                           exactly these: nobody else, and each exact ARN listed must be able to
  role = "arn:aws:iam::444455556666:role/Admin"
  principals = ["arn:aws:iam::111122223333:role/xsoar-server"]
    Services and instance profiles only carry a role to whoever passes or launches it; those
    principals are counted instead.

[[can_perform]]            the engine allows each action on each resource
[[cannot_perform]]         the engine denies it whatever context the caller sends
  principal = "arn:aws:iam::111122223333:user/ci"    user or role ARN, pattern, or account id
  actions = ["s3:GetObject", "iam:*"]                wildcards expand through the AWS catalog
  resources = ["arn:aws:s3:::bucket/key", "*"]
  context = { "aws:RequestedRegion" = "eu-west-1" }  optional
  via_roles = true           optional: also through any role the principal can reach
                             (can: some role may; cannot: none may)

SETUP TEMPLATES (expand into the assertions above)

[[instance_profile]]       EC2 server role → target roles
  server_role = "arn:aws:iam::111122223333:role/xsoar-server"
  target_roles = ["arn:aws:iam::444455556666:role/Readonly"]
  wildcard_ok = false        a grant of sts:AssumeRole on every role is reported unless true
    The server role has an instance profile, trusts ec2.amazonaws.com, may assume each target
    and each target trusts it.

[[user_access_key]]        IAM user with an access key → integration roles
  user = "arn:aws:iam::777788889999:user/xsoar"
  integration_roles = ["arn:aws:iam::210987654321:role/Integration"]
  duration_seconds = 900     the session asked for; must fit each role's MaxSessionDuration
    The user exists with an active access key, may assume each role, and each role trusts it.

[[same_role_in_accounts]]  one role name in many accounts, assumed by one engine role
  engine_role = "arn:aws:iam::333344445555:role/xsoar-engine"
  role_name = "XSOARIntegrationRole"
  accounts = ["555566667777", "666677778888"]
    arn:aws:iam::<account>:role/<role_name> exists in each account and the engine can assume it.

[[integration_permissions]]  the role is allowed every action each command needs
  role = "arn:aws:iam::555566667777:role/XSOARIntegrationRole"
  commands = { "aws-s3-public-access-block-update" = ["s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"] }
  resources = ["*"]          optional (default "*")"#;

/// Arguments of `rolecall verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The expectations file (TOML).
    expectations: PathBuf,
    /// Snapshot directories, authorization-details files, templates or plans.
    #[arg(default_value = ".")]
    inputs: Vec<String>,
    /// Output format: human, json, or sarif (failures located in the
    /// expectations file).
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Configuration file (default: `rolecall.toml` in this folder or
    /// above); its `trusted_accounts` and `org_id` widen the zone of trust.
    #[arg(long)]
    config: Option<PathBuf>,
}

/// Runs `rolecall verify`.
pub fn run(args: VerifyArgs) -> miette::Result<ExitStatus> {
    if args.format == Format::Markdown {
        return Err(miette::miette!("`verify` prints human, json or sarif"));
    }
    let expectations = verify::read(&args.expectations)?;
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::discover(&std::env::current_dir().into_diagnostic()?)?,
    };
    let inventory = super::inventory::load_inventory(&args.inputs)?;
    let options = Options {
        trusted_accounts: config.settings.trusted_accounts.clone(),
        org_id: config.settings.org_id.clone(),
    };
    let report = verify::verify(&inventory, &expectations, &options);
    let mut out = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::verify::json(&mut out, &report),
        Format::Sarif => render::verify::sarif(&mut out, &report),
        _ => render::verify::human(&mut out, &report),
    })?;
    Ok(if report.passed() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
