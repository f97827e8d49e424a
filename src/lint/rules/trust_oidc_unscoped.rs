//! `trust-oidc-unscoped`: a web identity (OIDC) trust that does not pin the
//! token's audience or, for an issuer many organizations share (GitHub
//! Actions, GitLab.com, HCP Terraform, Amazon Cognito, …), the tenant and
//! project the token was issued to.

use super::helpers::trust::{
    Choice, PrincipalItem, Search, Sentinels, TrustProbe, condition_place, fill, trust_principals,
    values_for,
};
use crate::declare_rule;
use crate::eval::ContextValue;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::wildcard::has_wildcard;
use crate::policy::{Policy, PrincipalType, Statement};

declare_rule! {
    /// Flags OIDC trusts whose conditions let tokens of other clients,
    /// tenants or projects of the identity provider through.
    TrustOidcUnscoped {
        id: "trust-oidc-unscoped",
        finding_type: Security,
        category: Trust,
        summary: "a web identity (OIDC) trust that does not pin the token's audience, or — for a shared issuer such as GitHub Actions — its subject to your own organization and repository",
        security_severity: 8.8,
    }
}

/// Identity providers AWS knows without an `oidc-provider` ARN ("Web
/// identity session principals" on the Principal page), and the claim that
/// names the client the token was issued to.
const BUILT_IN: &[(&str, &str)] = &[
    ("accounts.google.com", "aud"),
    ("cognito-identity.amazonaws.com", "aud"),
    ("graph.facebook.com", "app_id"),
    ("www.amazon.com", "app_id"),
];

/// How a claim value is built, to know which part names the tenant (an
/// organization, group, account) and which the project (a repository,
/// workspace, pipeline).
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A value that names tenant and project at once (an id, an opaque
    /// subject): another tenant's or project's token cannot carry it.
    Whole,
    /// A tenant id: another project of the same tenant carries it.
    Tenant,
    /// `PREFIX` `TENANT` `/` `PROJECT` `SEP` `rest`, e.g. GitHub's
    /// `repo:octo-org/octo-repo:ref:refs/heads/main` or GitLab's
    /// `project_path:group/project:ref_type:branch:ref:main`.
    Path {
        prefix: &'static str,
        separator: char,
    },
    /// `name:value:name:value…`, e.g. HCP Terraform's
    /// `organization:ORG:project:P:workspace:W:run_phase:apply`.
    Fields {
        tenant: &'static str,
        project: Option<&'static str>,
    },
}

/// A tenancy claim of a shared issuer and how its values are built.
#[derive(Debug, Clone, Copy)]
struct Claim {
    name: &'static str,
    shape: Shape,
}

/// An issuer that many organizations share, so the issuer URL says nothing
/// about whose token it is.
#[derive(Debug)]
struct Shared {
    issuer: &'static str,
    /// What the message calls the issuer's tokens.
    tokens: &'static str,
    /// What a token of another project of the same tenant is.
    sibling: &'static str,
    /// The claims that tell tenants apart (any of them may pin).
    claims: &'static [Claim],
    /// Example values for the help text: audience, subject.
    example_aud: &'static str,
    example_sub: Option<&'static str>,
}

/// GitHub Actions, which issues tokens under two hosts.
const GITHUB: Shared = Shared {
    issuer: "token.actions.githubusercontent.com",
    tokens: "GitHub Actions workflows of any repository",
    sibling: "GitHub Actions workflows of other repositories of the same owner",
    claims: GITHUB_CLAIMS,
    example_aud: "sts.amazonaws.com",
    example_sub: Some("repo:<owner>/<repository>:*"),
};

const GITHUB_CLAIMS: &[Claim] = &[
    Claim {
        name: "sub",
        shape: Shape::Path {
            prefix: "repo:",
            separator: ':',
        },
    },
    Claim {
        name: "repository",
        shape: Shape::Path {
            prefix: "",
            separator: ':',
        },
    },
    Claim {
        name: "job_workflow_ref",
        shape: Shape::Path {
            prefix: "",
            separator: '/',
        },
    },
    Claim {
        name: "repository_owner_id",
        shape: Shape::Tenant,
    },
    Claim {
        name: "enterprise_id",
        shape: Shape::Tenant,
    },
    Claim {
        name: "repository_id",
        shape: Shape::Whole,
    },
];

const SUB: &[Claim] = &[Claim {
    name: "sub",
    shape: Shape::Whole,
}];

const AUD: &[Claim] = &[Claim {
    name: "aud",
    shape: Shape::Whole,
}];

/// The shared issuers of "Identity-provider controls for shared OIDC
/// providers"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html>),
/// each with the claim AWS requires a trust to evaluate, plus Google, whose
/// tokens any Google account can obtain for any client.
const SHARED: &[Shared] = &[
    GITHUB,
    Shared {
        issuer: "vstoken.actions.githubusercontent.com",
        ..GITHUB
    },
    Shared {
        issuer: "gitlab.com",
        tokens: "GitLab.com CI jobs of any project",
        sibling: "GitLab.com CI jobs of other projects of the same group",
        claims: &[Claim {
            name: "sub",
            shape: Shape::Path {
                prefix: "project_path:",
                separator: ':',
            },
        }],
        example_aud: "https://gitlab.com",
        example_sub: Some("project_path:<group>/<project>:ref_type:branch:ref:main"),
    },
    Shared {
        issuer: "app.terraform.io",
        tokens: "HCP Terraform runs of any organization",
        sibling: "HCP Terraform runs of other workspaces of the same organization",
        claims: &[Claim {
            name: "sub",
            shape: Shape::Fields {
                tenant: "organization",
                project: Some("workspace"),
            },
        }],
        example_aud: "aws.workload.identity",
        example_sub: Some(
            "organization:<organization>:project:<project>:workspace:<workspace>:run_phase:*",
        ),
    },
    Shared {
        issuer: "agent.buildkite.com",
        tokens: "Buildkite jobs of any organization",
        sibling: "Buildkite jobs of other pipelines of the same organization",
        claims: &[Claim {
            name: "sub",
            shape: Shape::Fields {
                tenant: "organization",
                project: Some("pipeline"),
            },
        }],
        example_aud: "sts.amazonaws.com",
        example_sub: Some("organization:<organization>:pipeline:<pipeline>:*"),
    },
    Shared {
        issuer: "scalr.io",
        tokens: "Scalr runs of any account",
        sibling: "Scalr runs of other workspaces of the same account",
        claims: &[Claim {
            name: "sub",
            shape: Shape::Fields {
                tenant: "account",
                project: Some("workspace"),
            },
        }],
        example_aud: "<audience>",
        example_sub: Some("account:<account>:environment:<environment>:workspace:<workspace>"),
    },
    Shared {
        issuer: "oidc-configuration.audit-log.githubusercontent.com",
        tokens: "GitHub audit log streams of any enterprise",
        sibling: "",
        claims: SUB,
        example_aud: "sts.amazonaws.com",
        example_sub: Some("https://github.com/<enterprise>"),
    },
    Shared {
        issuer: "oidc.codefresh.io",
        tokens: "Codefresh pipelines of any account",
        sibling: "",
        claims: SUB,
        example_aud: "<audience>",
        example_sub: Some("<subject of your account's pipeline>"),
    },
    Shared {
        issuer: "tokens.cloud.shisho.dev",
        tokens: "Shisho Cloud workflows of any organization",
        sibling: "",
        claims: SUB,
        example_aud: "<audience>",
        example_sub: Some("<subject of your organization>"),
    },
    Shared {
        issuer: "proidc.upbound.io",
        tokens: "Upbound control planes of any organization",
        sibling: "",
        claims: SUB,
        example_aud: "sts.amazonaws.com",
        example_sub: Some("<subject of your control plane>"),
    },
    Shared {
        issuer: "studio.datachain.ai/api",
        tokens: "DVC Studio jobs of any team",
        sibling: "",
        claims: SUB,
        example_aud: "<audience>",
        example_sub: Some("<subject of your team>"),
    },
    Shared {
        issuer: "cognito-identity.amazonaws.com",
        tokens: "identities of any Amazon Cognito identity pool",
        sibling: "",
        claims: AUD,
        example_aud: "<region>:<identity-pool-id>",
        example_sub: None,
    },
    Shared {
        issuer: "accounts.google.com",
        tokens: "Google sign-ins to any application",
        sibling: "",
        claims: AUD,
        example_aud: "<your OAuth client id>",
        example_sub: None,
    },
    Shared {
        issuer: "api.pulumi.com/oidc",
        tokens: "Pulumi Cloud deployments of any organization",
        sibling: "",
        claims: AUD,
        example_aud: "<your Pulumi organization>",
        example_sub: None,
    },
    Shared {
        issuer: "oidc.vercel.com",
        tokens: "Vercel deployments of any team",
        sibling: "",
        claims: AUD,
        example_aud: "https://vercel.com/<team>",
        example_sub: None,
    },
    Shared {
        issuer: "sandboxes.cloud",
        tokens: "sandboxes.cloud workloads of any organization",
        sibling: "",
        claims: AUD,
        example_aud: "<your organization>",
        example_sub: None,
    },
];

const COGNITO: &str = "cognito-identity.amazonaws.com";

impl Rule for TrustOidcUnscoped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let targets = trust_principals(doc, |item| {
            if item.principal_type != Some(PrincipalType::Federated) {
                return None;
            }
            issuer_of(item.text)
        });
        if targets.is_empty() {
            return;
        }
        let policy = &doc.doc.parsed.policy;
        let sentinels = Sentinels::for_document(doc.doc);
        let role = sentinels.victim_role();
        for (statement, item, (issuer, audience)) in targets {
            let ask = Ask {
                policy,
                statement,
                caller: format!("federated:{}", item.text),
                role: &role,
                name: sentinels.name,
            };
            let problems = ask.problems(&issuer, audience);
            if !problems.is_empty() {
                report(doc, statement, &item, &issuer, audience, &problems, out);
            }
        }
    }
}

/// The issuer (host and path) of a `Federated` value and the claim naming
/// the client, or `None` for SAML providers and other values.
fn issuer_of(text: &str) -> Option<(String, &'static str)> {
    if let Some((_, host)) = text.split_once(":oidc-provider/") {
        return text
            .starts_with("arn:")
            .then(|| (host.trim_end_matches('/').to_owned(), "aud"));
    }
    BUILT_IN
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(name, claim)| ((*name).to_owned(), *claim))
}

/// What the trust lets through, most serious first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    /// Tokens of another tenant of a shared issuer pass.
    OtherTenant { reason: String },
    /// Tokens issued to another client of the provider pass.
    OtherClient { key: String },
    /// Tokens of another project of the same tenant pass.
    OtherProject { reason: String },
    /// Guest (unauthenticated) and signed-in Cognito identities alike.
    AnyCognitoIdentity,
}

/// The questions for one `Federated` value.
struct Ask<'a> {
    policy: &'a Policy,
    statement: &'a Statement,
    caller: String,
    role: &'a str,
    name: &'static str,
}

/// Which adversary a tenancy probe plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Tenant,
    Project,
}

impl Ask<'_> {
    fn problems(&self, issuer: &str, audience: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        let shared = SHARED.iter().find(|s| s.issuer == issuer);
        let aud_key = format!("{issuer}:{audience}");
        if !self.pinned(&[(aud_key.clone(), Shape::Whole)], Level::Tenant) {
            match shared {
                Some(s) if s.claims.iter().any(|c| c.name == audience) => {
                    problems.push(Problem::OtherTenant {
                        reason: format!("no condition pins `{aud_key}`"),
                    });
                }
                _ => problems.push(Problem::OtherClient { key: aud_key }),
            }
        }
        if let Some(s) = shared.filter(|s| s.claims.iter().all(|c| c.name != audience)) {
            let claims: Vec<(String, Shape)> = s
                .claims
                .iter()
                .map(|c| (format!("{issuer}:{}", c.name), c.shape))
                .collect();
            let main = format!("{issuer}:{}", s.claims[0].name);
            if !self.pinned(&claims, Level::Tenant) {
                problems.push(Problem::OtherTenant {
                    reason: format!("`{main}` does not pin your organization"),
                });
            } else if !s.sibling.is_empty() && !self.pinned(&claims, Level::Project) {
                problems.push(Problem::OtherProject {
                    reason: format!("`{main}` spans several of its repositories or projects"),
                });
            }
        }
        if issuer == COGNITO && self.any_cognito_identity() {
            problems.push(Problem::AnyCognitoIdentity);
        }
        problems.sort();
        problems
    }

    /// Whether no token of an adversary at `level` passes, the claims in
    /// `keys` being the only ones the adversary cannot choose.
    fn pinned(&self, keys: &[(String, Shape)], level: Level) -> bool {
        let lower: Vec<String> = keys.iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
        let probe = TrustProbe::new(self.policy, &|key| lower.iter().any(|k| k == key));
        let mut search = Search::new();
        for (key, shape) in keys {
            let values = values_for(self.policy, key);
            let mut candidates: Vec<String> = values
                .iter()
                .map(|v| adversary_value(*shape, v, level, self.name))
                .collect();
            if level == Level::Tenant {
                candidates.push(self.name.to_owned());
            }
            candidates.sort();
            candidates.dedup();
            search = search.with(
                candidates
                    .into_iter()
                    .map(|v| Choice::absent().key(key, v))
                    .collect(),
            );
        }
        !self.admitted(&probe, &search)
    }

    /// Whether some request of `search` passes the statement.
    fn admitted(&self, probe: &TrustProbe, search: &Search) -> bool {
        probe.admits_some(
            self.statement.index,
            search,
            &self.caller,
            "sts:AssumeRoleWithWebIdentity",
            self.role,
        )
    }

    /// Whether both a guest and a signed-in identity of the pool pass: the
    /// `amr` claim is `unauthenticated`, or `authenticated` plus the login
    /// provider ("Role trust and permissions", Amazon Cognito).
    fn any_cognito_identity(&self) -> bool {
        let key = format!("{COGNITO}:amr");
        let lower = key.to_ascii_lowercase();
        let probe = TrustProbe::new(self.policy, &|k| k == lower);
        let passes = |amr: ContextValue| {
            self.admitted(
                &probe,
                &Search::new().with(vec![Choice::absent().key(&key, amr)]),
            )
        };
        passes(ContextValue::Multi(vec!["unauthenticated".into()]))
            && passes(ContextValue::Multi(vec![
                "authenticated".into(),
                "cognito-idp.us-east-1.amazonaws.com/us-east-1_example".into(),
            ]))
    }
}

/// The value an adversary at `level` presents for a claim the policy
/// compares with `pattern`: parts it cannot choose (the tenant, for a
/// project adversary also the project) replaced by its own `name` unless
/// they are wildcards; everything else filled in to match.
fn adversary_value(shape: Shape, pattern: &str, level: Level, name: &str) -> String {
    let own = |part: &str| {
        if has_wildcard(part) {
            fill(part)
        } else {
            name.to_owned()
        }
    };
    match shape {
        Shape::Whole => own(pattern),
        Shape::Tenant => match level {
            Level::Tenant => own(pattern),
            Level::Project => fill(pattern),
        },
        Shape::Path { prefix, separator } => {
            let Some(rest) = pattern.strip_prefix(prefix) else {
                return own(pattern);
            };
            let (tenant, after) = match rest.split_once('/') {
                Some((t, a)) => (t, Some(a)),
                None => (rest, None),
            };
            let tenant = match level {
                Level::Tenant => own(tenant),
                Level::Project => fill(tenant),
            };
            match after {
                None => format!("{prefix}{tenant}"),
                Some(after) => {
                    let (project, tail) = match after.split_once(separator) {
                        Some((p, t)) => (p, Some(t)),
                        None => (after, None),
                    };
                    let project = match level {
                        Level::Tenant => fill(project),
                        Level::Project => own(project),
                    };
                    let tail = tail.map(|t| format!("{separator}{}", fill(t)));
                    format!("{prefix}{tenant}/{project}{}", tail.unwrap_or_default())
                }
            }
        }
        Shape::Fields { tenant, project } => {
            let parts: Vec<&str> = pattern.split(':').collect();
            let mut out = Vec::with_capacity(parts.len());
            for (i, part) in parts.iter().enumerate() {
                // Values stand at odd positions, after their field's name.
                let field = (i % 2 == 1).then(|| parts.get(i - 1).copied()).flatten();
                let guarded = match level {
                    Level::Tenant => field == Some(tenant),
                    Level::Project => field.is_some() && field == project,
                };
                out.push(if guarded { own(part) } else { fill(part) });
            }
            out.join(":")
        }
    }
}

fn report(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    issuer: &str,
    audience: &str,
    problems: &[Problem],
    out: &mut Sink,
) {
    let shared = SHARED.iter().find(|s| s.issuer == issuer);
    let who = match problems.first() {
        Some(Problem::OtherTenant { .. }) => {
            shared.map_or("tokens of any of its tenants", |s| s.tokens)
        }
        Some(Problem::OtherProject { .. }) => {
            shared.map_or("tokens of its other projects", |s| s.sibling)
        }
        Some(Problem::AnyCognitoIdentity) => {
            "both guest and signed-in identities of the identity pool"
        }
        _ => "tokens this provider issues to any of its clients",
    };
    let reasons: Vec<String> = problems
        .iter()
        .map(|p| match p {
            Problem::OtherTenant { reason } | Problem::OtherProject { reason } => reason.clone(),
            Problem::OtherClient { key } => format!("no condition pins `{key}`"),
            Problem::AnyCognitoIdentity => {
                format!("no condition limits `{COGNITO}:amr`")
            }
        })
        .collect();
    let (place, path, label) = condition_place(
        statement,
        "these conditions leave the token's issuance open",
    );
    let aud = shared.map_or("<your client id>", |s| s.example_aud);
    let mut equals = vec![format!("\"{issuer}:{audience}\": \"{aud}\"")];
    let mut like = Vec::new();
    if let Some(sub) = shared.and_then(|s| s.example_sub) {
        let operator = if sub.contains('*') {
            &mut like
        } else {
            &mut equals
        };
        operator.push(format!("\"{issuer}:sub\": \"{sub}\""));
    }
    if issuer == COGNITO {
        like.push(format!("\"{COGNITO}:amr\": \"authenticated\""));
    }
    let mut blocks = vec![format!("\"StringEquals\": {{{}}}", equals.join(", "))];
    if !like.is_empty() {
        let op = if issuer == COGNITO {
            "ForAnyValue:StringLike"
        } else {
            "StringLike"
        };
        blocks.push(format!("\"{op}\": {{{}}}", like.join(", ")));
    }
    doc.finding(
        &TrustOidcUnscoped::META,
        format!(
            "this web identity trust lets {who} assume the role: {}",
            reasons.join("; ")
        ),
    )
    .at(item.span, item.path(), "the identity provider")
    .at(place, path, label)
    .help(format!(
        "pin the token to your own client and workload: \"Condition\": {{{}}}; a wildcard may only stand for parts of the subject inside your own repository or project, and `...IfExists` or negated operators do not pin a claim",
        blocks.join(", ")
    ))
    .statement(statement)
    .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::rules::helpers::trust::lint_trust;

    const GITHUB_SUB: Shape = Shape::Path {
        prefix: "repo:",
        separator: ':',
    };

    /// GitHub's default subject is `repo:OWNER/REPOSITORY:…`
    /// (https://docs.github.com/en/actions/reference/security/oidc, "Example
    /// subject claims").
    #[test]
    fn adversaries_replace_what_they_cannot_choose() {
        let v = |p, l| adversary_value(GITHUB_SUB, p, l, "x");
        assert_eq!(
            v("repo:acme/app:ref:refs/heads/*", Level::Tenant),
            "repo:x/app:ref:refs/heads/0"
        );
        assert_eq!(
            v("repo:acme/app:ref:refs/heads/*", Level::Project),
            "repo:acme/x:ref:refs/heads/0"
        );
        assert_eq!(v("repo:acme/*", Level::Tenant), "repo:x/0");
        assert_eq!(v("repo:acme/*", Level::Project), "repo:acme/0");
        assert_eq!(v("repo:*", Level::Tenant), "repo:0");
        assert_eq!(v("repo:ac*/app:*", Level::Tenant), "repo:ac0/app:0");
        assert_eq!(
            v("repository_owner_id:42:repository_id:7", Level::Tenant),
            "x"
        );
        let tfc = Shape::Fields {
            tenant: "organization",
            project: Some("workspace"),
        };
        let f = |p, l| adversary_value(tfc, p, l, "x");
        assert_eq!(
            f(
                "organization:acme:project:*:workspace:prod:run_phase:*",
                Level::Tenant
            ),
            "organization:x:project:0:workspace:prod:run_phase:0"
        );
        assert_eq!(
            f(
                "organization:acme:project:*:workspace:prod:run_phase:*",
                Level::Project
            ),
            "organization:acme:project:0:workspace:x:run_phase:0"
        );
        assert_eq!(
            f("organization:acme:*", Level::Project),
            "organization:acme:0"
        );
    }

    fn findings(principal: &str, condition: &str) -> Vec<String> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "{principal}"}}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {condition}}}]}}"#
        );
        lint_trust(&TrustOidcUnscoped, &RuleSettings::default(), &text)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const GH: &str = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

    /// "IAM recommends that users evaluate the IAM condition key,
    /// token.actions.githubusercontent.com:sub, in the trust policy of any
    /// role that trusts GitHub's OIDC identity provider"
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html).
    #[test]
    fn github_needs_one_repository() {
        let aud =
            r#""StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}"#;
        for (sub, expect) in [
            (
                r#""StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}"#,
                None,
            ),
            (
                r#""StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:environment:prod"}"#,
                None,
            ),
            (
                r#""StringLikeIfExists": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}"#,
                None,
            ),
            (
                r#""StringEquals": {"token.actions.githubusercontent.com:repository": "acme/app"}"#,
                None,
            ),
            (
                r#""StringLike": {"token.actions.githubusercontent.com:job_workflow_ref": "acme/app/.github/workflows/deploy.yml@*"}"#,
                None,
            ),
            (
                r#""StringEquals": {"token.actions.githubusercontent.com:repository_owner_id": "42"}"#,
                Some("same owner"),
            ),
            (
                r#""StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}"#,
                Some("same owner"),
            ),
            (
                r#""StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app*"}"#,
                Some("same owner"),
            ),
            (
                r#""StringLike": {"token.actions.githubusercontent.com:sub": "*"}"#,
                Some("any repository"),
            ),
            (
                r#""StringLike": {"token.actions.githubusercontent.com:aud": "*"}"#,
                Some("any repository"),
            ),
        ] {
            let got = findings(GH, &format!("{{{aud}, {sub}}}"));
            match expect {
                None => assert!(got.is_empty(), "{sub}: {got:?}"),
                Some(text) => assert!(got.len() == 1 && got[0].contains(text), "{sub}: {got:?}"),
            }
        }
        let got = findings(GH, "{}");
        assert!(
            got[0].contains("any repository") && got[0].contains(":aud`"),
            "{got:?}"
        );
    }

    /// SAML providers are `trust-saml-no-audience`'s; other Federated
    /// values are not OIDC providers.
    #[test]
    fn only_oidc_providers_are_asked() {
        assert!(findings("arn:aws:iam::111122223333:saml-provider/Okta", "{}").is_empty());
        assert_eq!(findings("accounts.google.com", "{}").len(), 1);
        assert_eq!(findings("graph.facebook.com", "{}").len(), 1);
        assert!(
            findings(
                "graph.facebook.com",
                r#"{"StringEquals": {"graph.facebook.com:app_id": "1234"}}"#
            )
            .is_empty()
        );
    }
}
