//! The expectations file: TOML, one array of tables per assertion kind.
//! Unknown keys are rejected, ARN patterns and action names are checked,
//! and every error points at its line and column. Each assertion keeps the
//! span of its table and of each value, so failures point back at them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::pattern::{PrincipalPattern, RolePattern, exact_principal, role_arn, user_arn};
use crate::source::{SourceFile, Span};

/// A value with where it stands in the expectations file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its span.
    pub span: Span,
}

impl<T> Located<T> {
    fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// An expectations file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ExpectationsError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {source}")]
    #[diagnostic(code(rolecall::verify::read))]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is invalid, has an unknown key or a wrong value.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidExpectations>),
}

/// Where and how an expectations file is wrong.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}:{column}: {message}")]
#[diagnostic(code(rolecall::verify::expectations))]
pub struct InvalidExpectations {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong (lowercase, no final period).
    pub message: String,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
    /// The file's text, for the snippet.
    #[source_code]
    pub source_code: miette::NamedSource<String>,
    /// Where.
    #[label("here")]
    pub span: miette::SourceSpan,
}

impl ExpectationsError {
    /// An error at `span` of `file`.
    fn at(file: &SourceFile, span: Span, message: String, help: Option<String>) -> Self {
        let at = file.line_col(span.start);
        Self::Invalid(Box::new(InvalidExpectations {
            file: file.name().to_owned(),
            line: at.line,
            column: at.column,
            message,
            help,
            source_code: miette::NamedSource::new(file.name(), file.text().to_owned()),
            span: span.into(),
        }))
    }
}

/// Context keys given to a request: `KEY = "value"`, `KEY = true`,
/// `KEY = 42`, or `KEY = ["a", "b"]` for a multivalued key.
pub type Context = Vec<(String, String)>;

/// `[[can_assume]]`: each pair must succeed, through the checks of `why`.
#[derive(Debug, Clone)]
pub struct CanAssume {
    /// One principal.
    pub principal: Located<String>,
    /// Role ARNs or patterns.
    pub roles: Vec<Located<RolePattern>>,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `DurationSeconds` (default 3600).
    pub duration_seconds: Option<u32>,
    /// Signed in with MFA.
    pub mfa: bool,
    /// More context keys.
    pub context: Context,
}

/// `[[cannot_assume]]`: no path from any of the principals to any of the
/// roles, chaining and pass-role included.
#[derive(Debug, Clone)]
pub struct CannotAssume {
    /// Principal patterns, `external` or `anyone`.
    pub principals: Vec<Located<PrincipalPattern>>,
    /// Role ARNs or patterns.
    pub roles: Vec<Located<RolePattern>>,
}

/// `[[only_assumable_by]]`: the principals that can reach the role are
/// exactly these.
#[derive(Debug, Clone)]
pub struct OnlyAssumableBy {
    /// A role ARN or pattern.
    pub role: Located<RolePattern>,
    /// The principals allowed; each exact ARN must be able to.
    pub principals: Vec<Located<PrincipalPattern>>,
}

/// `[[can_perform]]` and `[[cannot_perform]]`.
#[derive(Debug, Clone)]
pub struct Perform {
    /// A user or role ARN, or a pattern over them.
    pub principal: Located<PrincipalPattern>,
    /// Actions (`s3:GetObject`), wildcards expanded through the catalog.
    pub actions: Vec<Located<String>>,
    /// Resource ARNs, or `*`.
    pub resources: Vec<Located<String>>,
    /// Context keys of the request.
    pub context: Context,
    /// Also through every role the principal can reach.
    pub via_roles: bool,
}

/// `[[instance_profile]]`: an EC2 server role and the roles it assumes.
#[derive(Debug, Clone)]
pub struct InstanceProfile {
    /// The server role.
    pub server_role: Located<String>,
    /// The roles it must assume.
    pub target_roles: Vec<Located<RolePattern>>,
    /// Whether a grant of `sts:AssumeRole` on any role is acceptable.
    pub wildcard_ok: bool,
}

/// `[[user_access_key]]`: an IAM user with an access key and the roles it
/// assumes.
#[derive(Debug, Clone)]
pub struct UserAccessKey {
    /// The user.
    pub user: Located<String>,
    /// The roles it must assume.
    pub integration_roles: Vec<Located<RolePattern>>,
    /// The session duration it asks for (default 900).
    pub duration_seconds: u32,
}

/// `[[same_role_in_accounts]]`: one role name in many accounts, assumed by
/// one engine role.
#[derive(Debug, Clone)]
pub struct SameRoleInAccounts {
    /// The engine role.
    pub engine_role: Located<String>,
    /// The role name.
    pub role_name: Located<String>,
    /// The accounts.
    pub accounts: Vec<Located<String>>,
}

/// `[[integration_permissions]]`: the actions each command of an
/// integration needs.
#[derive(Debug, Clone)]
pub struct IntegrationPermissions {
    /// The role.
    pub role: Located<String>,
    /// Commands and their actions, in file order.
    pub commands: Vec<(Located<String>, Vec<Located<String>>)>,
    /// The resources (default `*`).
    pub resources: Vec<Located<String>>,
}

/// One table of the file.
#[derive(Debug, Clone)]
pub enum Body {
    /// `[[can_assume]]`.
    CanAssume(CanAssume),
    /// `[[cannot_assume]]`.
    CannotAssume(CannotAssume),
    /// `[[only_assumable_by]]`.
    OnlyAssumableBy(OnlyAssumableBy),
    /// `[[can_perform]]`.
    CanPerform(Perform),
    /// `[[cannot_perform]]`.
    CannotPerform(Perform),
    /// `[[instance_profile]]`.
    InstanceProfile(InstanceProfile),
    /// `[[user_access_key]]`.
    UserAccessKey(UserAccessKey),
    /// `[[same_role_in_accounts]]`.
    SameRoleInAccounts(SameRoleInAccounts),
    /// `[[integration_permissions]]`.
    IntegrationPermissions(IntegrationPermissions),
}

impl Body {
    /// The table name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CanAssume(_) => "can_assume",
            Self::CannotAssume(_) => "cannot_assume",
            Self::OnlyAssumableBy(_) => "only_assumable_by",
            Self::CanPerform(_) => "can_perform",
            Self::CannotPerform(_) => "cannot_perform",
            Self::InstanceProfile(_) => "instance_profile",
            Self::UserAccessKey(_) => "user_access_key",
            Self::SameRoleInAccounts(_) => "same_role_in_accounts",
            Self::IntegrationPermissions(_) => "integration_permissions",
        }
    }
}

/// One assertion or setup template as written.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it asserts.
    pub body: Body,
    /// Its `description`, if any.
    pub description: Option<String>,
    /// The span of its table (from the `[[kind]]` header).
    pub span: Span,
}

/// A parsed and checked expectations file.
#[derive(Debug, Clone)]
pub struct Expectations {
    /// The file.
    pub file: Arc<SourceFile>,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Bool(bool),
    Integer(i64),
}

impl Scalar {
    fn text(self) -> String {
        match self {
            Self::Text(s) => s,
            Self::Bool(b) => b.to_string(),
            Self::Integer(i) => i.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ContextValue {
    One(Scalar),
    Many(Vec<Scalar>),
}

type RawContext = BTreeMap<String, Spanned<ContextValue>>;

/// A list of strings, each with its span.
type SpannedList = Spanned<Vec<Spanned<String>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCanAssume {
    description: Option<String>,
    principal: Spanned<String>,
    roles: Spanned<Vec<Spanned<String>>>,
    external_id: Option<String>,
    duration_seconds: Option<u32>,
    #[serde(default)]
    mfa: bool,
    #[serde(default)]
    context: RawContext,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCannotAssume {
    description: Option<String>,
    principals: Spanned<Vec<Spanned<String>>>,
    roles: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOnlyAssumableBy {
    description: Option<String>,
    role: Spanned<String>,
    principals: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerform {
    description: Option<String>,
    principal: Spanned<String>,
    actions: Spanned<Vec<Spanned<String>>>,
    resources: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    context: RawContext,
    #[serde(default)]
    via_roles: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstanceProfile {
    description: Option<String>,
    server_role: Spanned<String>,
    target_roles: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    wildcard_ok: bool,
}

fn default_duration() -> u32 {
    900
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUserAccessKey {
    description: Option<String>,
    user: Spanned<String>,
    integration_roles: Spanned<Vec<Spanned<String>>>,
    #[serde(default = "default_duration")]
    duration_seconds: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSameRoleInAccounts {
    description: Option<String>,
    engine_role: Spanned<String>,
    role_name: Spanned<String>,
    accounts: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntegrationPermissions {
    description: Option<String>,
    role: Spanned<String>,
    commands: Spanned<BTreeMap<Spanned<String>, SpannedList>>,
    resources: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    can_assume: Vec<Spanned<RawCanAssume>>,
    #[serde(default)]
    cannot_assume: Vec<Spanned<RawCannotAssume>>,
    #[serde(default)]
    only_assumable_by: Vec<Spanned<RawOnlyAssumableBy>>,
    #[serde(default)]
    can_perform: Vec<Spanned<RawPerform>>,
    #[serde(default)]
    cannot_perform: Vec<Spanned<RawPerform>>,
    #[serde(default)]
    instance_profile: Vec<Spanned<RawInstanceProfile>>,
    #[serde(default)]
    user_access_key: Vec<Spanned<RawUserAccessKey>>,
    #[serde(default)]
    same_role_in_accounts: Vec<Spanned<RawSameRoleInAccounts>>,
    #[serde(default)]
    integration_permissions: Vec<Spanned<RawIntegrationPermissions>>,
}

fn span<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

/// Checks values against the file, keeping the first error.
struct Checker<'f> {
    file: &'f SourceFile,
}

type Checked<T> = Result<T, ExpectationsError>;

impl Checker<'_> {
    fn error(&self, span: Span, message: String, help: Option<&str>) -> ExpectationsError {
        ExpectationsError::at(self.file, span, message, help.map(str::to_owned))
    }

    fn non_empty<T>(&self, list: &Spanned<Vec<T>>, key: &str) -> Checked<()> {
        if list.get_ref().is_empty() {
            return Err(self.error(
                span(list),
                format!("`{key}` is empty"),
                Some("list at least one value"),
            ));
        }
        Ok(())
    }

    fn located(&self, value: &Spanned<String>) -> Located<String> {
        Located::new(value.get_ref().clone(), span(value))
    }

    fn with<T>(
        &self,
        value: &Spanned<String>,
        parse: impl Fn(&str) -> Result<T, (String, &'static str)>,
    ) -> Checked<Located<T>> {
        parse(value.get_ref())
            .map(|v| Located::new(v, span(value)))
            .map_err(|(message, help)| self.error(span(value), message, Some(help)))
    }

    fn roles(
        &self,
        list: &Spanned<Vec<Spanned<String>>>,
        key: &str,
    ) -> Checked<Vec<Located<RolePattern>>> {
        self.non_empty(list, key)?;
        list.get_ref()
            .iter()
            .map(|r| self.with(r, RolePattern::parse))
            .collect()
    }

    fn principals(&self, list: &[Spanned<String>]) -> Checked<Vec<Located<PrincipalPattern>>> {
        list.iter()
            .map(|p| self.with(p, PrincipalPattern::parse))
            .collect()
    }

    fn context(&self, raw: RawContext) -> Checked<Context> {
        let mut out = Vec::new();
        for (key, value) in raw {
            let at = span(&value);
            if !key.contains(':') {
                return Err(self.error(
                    at,
                    format!("context key `{key}` has no service prefix"),
                    Some("write keys as AWS names them, such as \"aws:SourceIp\" or \"sts:ExternalId\""),
                ));
            }
            match value.into_inner() {
                ContextValue::One(v) => out.push((key.clone(), v.text())),
                ContextValue::Many(values) => {
                    out.extend(values.into_iter().map(|v| (key.clone(), v.text())));
                }
            }
        }
        Ok(out)
    }

    fn actions(
        &self,
        list: &Spanned<Vec<Spanned<String>>>,
        key: &str,
    ) -> Checked<Vec<Located<String>>> {
        self.non_empty(list, key)?;
        list.get_ref()
            .iter()
            .map(|a| self.with(a, super::pattern::action))
            .collect()
    }

    fn resources(&self, list: &Spanned<Vec<Spanned<String>>>) -> Checked<Vec<Located<String>>> {
        self.non_empty(list, "resources")?;
        list.get_ref()
            .iter()
            .map(|r| self.with(r, super::pattern::resource))
            .collect()
    }

    fn perform(&self, raw: RawPerform) -> Checked<Perform> {
        Ok(Perform {
            principal: self.with(&raw.principal, PrincipalPattern::parse_identity)?,
            actions: self.actions(&raw.actions, "actions")?,
            resources: self.resources(&raw.resources)?,
            context: self.context(raw.context)?,
            via_roles: raw.via_roles,
        })
    }

    fn duration(&self, seconds: u32, at: Span) -> Checked<()> {
        if seconds == 0 {
            return Err(self.error(
                at,
                "`duration_seconds` is 0".into(),
                Some("AWS accepts 900 to 43200 seconds"),
            ));
        }
        Ok(())
    }
}

/// Reads and checks an expectations file.
pub fn read(path: &Path) -> Result<Expectations, ExpectationsError> {
    let text = std::fs::read_to_string(path).map_err(|source| ExpectationsError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse(SourceFile::new(path.display().to_string(), text))
}

/// Parses and checks the text of an expectations file.
pub fn parse(file: Arc<SourceFile>) -> Result<Expectations, ExpectationsError> {
    let raw: RawFile = toml::from_str(file.text()).map_err(|e| {
        let at = e
            .span()
            .map_or(Span::default(), |r| Span::new(r.start, r.end));
        ExpectationsError::at(
            &file,
            at,
            e.message().trim_end().trim_end_matches('.').to_owned(),
            Some(
                "see `rolecall verify --help` for the tables and keys an expectations file holds"
                    .to_owned(),
            ),
        )
    })?;
    let c = Checker { file: &file };
    let mut entries = Vec::new();
    let mut push = |body: Body, description: Option<String>, span: Span| {
        entries.push(Entry {
            body,
            description,
            span,
        });
    };
    for t in raw.can_assume {
        let at = span(&t);
        let t = t.into_inner();
        if let Some(d) = t.duration_seconds {
            c.duration(d, at)?;
        }
        let body = CanAssume {
            principal: c.with(&t.principal, exact_principal)?,
            roles: c.roles(&t.roles, "roles")?,
            external_id: t.external_id,
            duration_seconds: t.duration_seconds,
            mfa: t.mfa,
            context: c.context(t.context)?,
        };
        push(Body::CanAssume(body), t.description, at);
    }
    for t in raw.cannot_assume {
        let at = span(&t);
        let t = t.into_inner();
        c.non_empty(&t.principals, "principals")?;
        let body = CannotAssume {
            principals: c.principals(t.principals.get_ref())?,
            roles: c.roles(&t.roles, "roles")?,
        };
        push(Body::CannotAssume(body), t.description, at);
    }
    for t in raw.only_assumable_by {
        let at = span(&t);
        let t = t.into_inner();
        let body = OnlyAssumableBy {
            role: c.with(&t.role, RolePattern::parse)?,
            principals: c.principals(&t.principals)?,
        };
        push(Body::OnlyAssumableBy(body), t.description, at);
    }
    for t in raw.can_perform {
        let at = span(&t);
        let t = t.into_inner();
        let description = t.description.clone();
        push(Body::CanPerform(c.perform(t)?), description, at);
    }
    for t in raw.cannot_perform {
        let at = span(&t);
        let t = t.into_inner();
        let description = t.description.clone();
        push(Body::CannotPerform(c.perform(t)?), description, at);
    }
    for t in raw.instance_profile {
        let at = span(&t);
        let t = t.into_inner();
        let body = InstanceProfile {
            server_role: c.with(&t.server_role, role_arn)?,
            target_roles: c.roles(&t.target_roles, "target_roles")?,
            wildcard_ok: t.wildcard_ok,
        };
        push(Body::InstanceProfile(body), t.description, at);
    }
    for t in raw.user_access_key {
        let at = span(&t);
        let t = t.into_inner();
        c.duration(t.duration_seconds, at)?;
        let body = UserAccessKey {
            user: c.with(&t.user, user_arn)?,
            integration_roles: c.roles(&t.integration_roles, "integration_roles")?,
            duration_seconds: t.duration_seconds,
        };
        push(Body::UserAccessKey(body), t.description, at);
    }
    for t in raw.same_role_in_accounts {
        let at = span(&t);
        let t = t.into_inner();
        c.non_empty(&t.accounts, "accounts")?;
        let body = SameRoleInAccounts {
            engine_role: c.with(&t.engine_role, role_arn)?,
            role_name: c.with(&t.role_name, super::pattern::role_name)?,
            accounts: t
                .accounts
                .get_ref()
                .iter()
                .map(|a| c.with(a, super::pattern::account_id))
                .collect::<Checked<_>>()?,
        };
        push(Body::SameRoleInAccounts(body), t.description, at);
    }
    for t in raw.integration_permissions {
        let at = span(&t);
        let t = t.into_inner();
        if t.commands.get_ref().is_empty() {
            return Err(c.error(
                span(&t.commands),
                "`commands` is empty".into(),
                Some("map each command to the actions it needs"),
            ));
        }
        let mut commands = Vec::new();
        for (name, actions) in t.commands.get_ref() {
            commands.push((
                c.located(name),
                c.actions(actions, "the command's actions")?,
            ));
        }
        commands.sort_by_key(|(name, _)| name.span.start);
        let resources = match &t.resources {
            Some(r) => c.resources(r)?,
            None => vec![Located::new("*".to_owned(), span(&t.commands))],
        };
        let body = IntegrationPermissions {
            role: c.with(&t.role, role_arn)?,
            commands,
            resources,
        };
        push(Body::IntegrationPermissions(body), t.description, at);
    }
    entries.sort_by_key(|e| e.span.start);
    Ok(Expectations { file, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Expectations, ExpectationsError> {
        parse(SourceFile::new("e.toml", text))
    }

    fn error(text: &str) -> (usize, usize, String) {
        match parse_text(text) {
            Err(ExpectationsError::Invalid(e)) => (e.line, e.column, e.message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn every_kind_parses_in_file_order() {
        let e = parse_text(
            r#"
[[only_assumable_by]]
role = "arn:aws:iam::111122223333:role/Admin"
principals = ["arn:aws:iam::111122223333:role/ops", "external"]

[[can_assume]]
description = "ops may assume admin"
principal = "arn:aws:iam::111122223333:role/ops"
roles = ["arn:aws:iam::111122223333:role/Admin"]
external_id = "x-1"
duration_seconds = 900
mfa = true
context = { "aws:SourceIp" = "10.0.0.1", "aws:PrincipalTag/team" = ["a", "b"], "aws:MultiFactorAuthAge" = 5 }

[[cannot_assume]]
principals = ["external", "anyone", "444455556666", "arn:aws:iam::*:user/*"]
roles = ["arn:aws:iam::111122223333:role/*"]

[[can_perform]]
principal = "arn:aws:iam::111122223333:user/alice"
actions = ["s3:GetObject"]
resources = ["arn:aws:s3:::bucket/key"]
via_roles = true

[[cannot_perform]]
principal = "arn:aws:iam::111122223333:user/*"
actions = ["iam:*"]
resources = ["*"]

[[instance_profile]]
server_role = "arn:aws:iam::111122223333:role/server"
target_roles = ["arn:aws:iam::444455556666:role/target"]

[[user_access_key]]
user = "arn:aws:iam::111122223333:user/bot"
integration_roles = ["arn:aws:iam::444455556666:role/integration"]

[[same_role_in_accounts]]
engine_role = "arn:aws:iam::111122223333:role/engine"
role_name = "Integration"
accounts = ["444455556666", "555566667777"]

[[integration_permissions]]
role = "arn:aws:iam::444455556666:role/Integration"
commands = { "b-command" = ["ec2:DescribeInstances"], "a-command" = ["s3:GetBucketPolicy"] }
"#,
        )
        .unwrap();
        let kinds: Vec<&str> = e.entries.iter().map(|e| e.body.kind()).collect();
        assert_eq!(
            kinds,
            [
                "only_assumable_by",
                "can_assume",
                "cannot_assume",
                "can_perform",
                "cannot_perform",
                "instance_profile",
                "user_access_key",
                "same_role_in_accounts",
                "integration_permissions"
            ]
        );
        let Body::CanAssume(a) = &e.entries[1].body else {
            panic!()
        };
        assert_eq!(
            e.entries[1].description.as_deref(),
            Some("ops may assume admin")
        );
        assert_eq!(e.file.line_col(e.entries[1].span.start).line, 6);
        assert_eq!(e.file.line_col(a.roles[0].span.start).line, 9);
        assert!(
            a.context
                .contains(&("aws:PrincipalTag/team".into(), "b".into()))
        );
        assert!(
            a.context
                .contains(&("aws:MultiFactorAuthAge".into(), "5".into()))
        );
        let Body::UserAccessKey(u) = &e.entries[6].body else {
            panic!()
        };
        assert_eq!(u.duration_seconds, 900);
        let Body::IntegrationPermissions(p) = &e.entries[8].body else {
            panic!()
        };
        let names: Vec<&str> = p.commands.iter().map(|(n, _)| n.value.as_str()).collect();
        assert_eq!(names, ["b-command", "a-command"]);
        assert_eq!(p.resources[0].value, "*");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_position() {
        let (line, column, message) =
            error("[[can_assume]]\nprincipal = \"arn:aws:iam::111122223333:user/a\"\nrols = []\n");
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("unknown field `rols`"), "{message}");
        let (line, _, message) = error("[[can_asume]]\n");
        assert_eq!(line, 1);
        assert!(message.contains("can_asume"), "{message}");
    }

    #[test]
    fn toml_syntax_errors_point_at_the_line() {
        let (line, column, _) = error("[[can_assume]]\nprincipal = \"arn\n");
        assert_eq!(line, 2);
        assert!(column > 1);
    }

    #[test]
    fn arn_patterns_are_checked() {
        let (line, column, message) = error(
            "[[cannot_assume]]\nprincipals = [\"external\"]\nroles = [\"arn:aws:iam::111122223333:user/x\", \"arn:aws:iam:role/x\"]\n",
        );
        assert_eq!((line, column), (3, 10));
        assert!(message.contains("not a role"), "{message}");
        let (_, column, message) = error(
            "[[cannot_assume]]\nprincipals = [\"external\"]\nroles = [\"arn:aws:iam:role/x\"]\n",
        );
        assert_eq!(column, 10);
        assert!(message.contains("segments"), "{message}");
        let (_, _, message) = error(
            "[[can_assume]]\nprincipal = \"arn:aws:iam::111122223333:user/*\"\nroles = [\"arn:aws:iam::111122223333:role/a\"]\n",
        );
        assert!(message.contains("one principal"), "{message}");
        let (_, _, message) = error(
            "[[cannot_assume]]\nprincipals = [\"outsiders\"]\nroles = [\"arn:aws:iam::111122223333:role/a\"]\n",
        );
        assert!(message.contains("`outsiders`"), "{message}");
    }

    #[test]
    fn values_are_checked() {
        let (_, _, message) = error(
            "[[can_perform]]\nprincipal = \"arn:aws:iam::111122223333:user/a\"\nactions = [\"s3:NoSuchThing*\"]\nresources = [\"*\"]\n",
        );
        assert!(message.contains("no action"), "{message}");
        let (_, _, message) = error(
            "[[same_role_in_accounts]]\nengine_role = \"arn:aws:iam::111122223333:role/e\"\nrole_name = \"R\"\naccounts = [\"12345\"]\n",
        );
        assert!(message.contains("12345"), "{message}");
        let (line, _, message) = error(
            "[[cannot_assume]]\nprincipals = []\nroles = [\"arn:aws:iam::111122223333:role/a\"]\n",
        );
        assert_eq!(line, 2);
        assert!(message.contains("empty"), "{message}");
        let (_, _, message) = error(
            "[[can_assume]]\nprincipal = \"arn:aws:iam::111122223333:user/a\"\nroles = [\"arn:aws:iam::111122223333:role/a\"]\nduration_seconds = -5\n",
        );
        assert!(
            message.contains("duration_seconds") || message.contains("invalid"),
            "{message}"
        );
    }
}
