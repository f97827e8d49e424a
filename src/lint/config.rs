//! `rolecall.toml`: rules on/off and their finding types, trusted accounts,
//! ignore globs and suppressions, and the role sessions the team requests.
//!
//! ```toml
//! # The durations your tools request (`DurationSeconds`): checked against
//! # each matching role's MaxSessionDuration and the one-hour limit of role
//! # chaining (rules `session-duration-exceeds-max`, `role-chaining-duration`).
//! [[sessions]]
//! role = "arn:aws:iam::*:role/XSOARIntegrationRole"  # an ARN or ARN pattern
//! duration_seconds = 7200
//! principal = "arn:aws:iam::333344445555:role/xsoar-engine"  # optional: who assumes it
//! reason = "the XSOAR integration's Role Session Duration"   # optional
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use super::context::RuleSettings;
use super::finding::{Finding, FindingType};
use super::registry;
use super::sessions::{self, RawSession};
use crate::source::SourceFile;

/// The configuration file's name, discovered from the working directory up.
pub const CONFIG_FILE_NAME: &str = "rolecall.toml";

/// A configuration problem, pointing at the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {source}")]
    #[diagnostic(code(rolecall::config::read))]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is invalid or has unknown keys.
    #[error("invalid configuration in `{path}`: {message}")]
    #[diagnostic(code(rolecall::config::syntax))]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What the TOML parser said, with line and column.
        message: String,
    },
    /// A value is well-formed TOML but wrong.
    #[error("invalid configuration in `{path}`: {message}")]
    #[diagnostic(code(rolecall::config::value), help("{help}"))]
    Value {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    trusted_accounts: Vec<String>,
    org_id: Option<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    suppress: Vec<RawSuppression>,
    #[serde(default)]
    sessions: Vec<RawSession>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    rule: Option<String>,
    path: Option<String>,
    sid: Option<String>,
    #[expect(
        dead_code,
        reason = "documentation for humans; accepted so configs can record why"
    )]
    reason: Option<String>,
}

/// What a rule is set to in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    /// `"off"`.
    Off,
    /// A finding type replacing the rule's default.
    Type(FindingType),
}

struct Suppression {
    rule: Option<String>,
    paths: Option<GlobSet>,
    sid: Option<String>,
}

/// The loaded configuration.
#[derive(Default)]
pub struct Config {
    /// Where it was read from (`None`: defaults).
    pub path: Option<PathBuf>,
    /// Settings rules read.
    pub settings: RuleSettings,
    rules: BTreeMap<String, RuleSetting>,
    ignore: Option<GlobSet>,
    suppressions: Vec<Suppression>,
}

impl Config {
    /// Finds `rolecall.toml` in `start` or its ancestors; defaults when none.
    pub fn discover(start: &Path) -> Result<Self, ConfigError> {
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                return Self::load(&candidate);
            }
        }
        Ok(Self::default())
    }

    /// Reads one configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses configuration text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        let value_error = |message: String, help: String| ConfigError::Value {
            path: path.to_owned(),
            message,
            help,
        };
        let known: Vec<&str> = registry::all().iter().map(|r| r.meta().id).collect();
        let check_rule = |id: &str| {
            if known.contains(&id) {
                Ok(())
            } else {
                Err(value_error(
                    format!(
                        "unknown rule `{id}`{}",
                        crate::policy::did_you_mean(id, &known)
                    ),
                    "`rolecall rules` lists every rule id".into(),
                ))
            }
        };
        let mut rules = BTreeMap::new();
        for (id, setting) in raw.rules {
            check_rule(&id)?;
            let setting = match setting.as_str() {
                "off" => RuleSetting::Off,
                other => RuleSetting::Type(FindingType::from_name(other).ok_or_else(|| {
                    value_error(
                        format!("rule `{id}` is set to `{other}`"),
                        "use \"off\", \"error\", \"security\", \"warning\" or \"suggestion\""
                            .into(),
                    )
                })?),
            };
            rules.insert(id, setting);
        }
        for account in &raw.trusted_accounts {
            if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                return Err(value_error(
                    format!(
                        "`trusted_accounts` holds `{account}`, which is not a 12-digit account id"
                    ),
                    "list account ids such as \"111122223333\"".into(),
                ));
            }
        }
        let glob_set = |patterns: &[&str], what: &str| -> Result<GlobSet, ConfigError> {
            let mut builder = GlobSetBuilder::new();
            for pattern in patterns {
                let glob = Glob::new(pattern).map_err(|e| {
                    value_error(
                        format!("{what} glob `{pattern}` is invalid: {e}"),
                        "see the globset syntax: `*`, `**`, `?`, `[ab]`, `{a,b}`".into(),
                    )
                })?;
                builder.add(glob);
            }
            builder
                .build()
                .map_err(|e| value_error(format!("{what} globs are invalid: {e}"), String::new()))
        };
        let ignore = if raw.ignore.is_empty() {
            None
        } else {
            let patterns: Vec<&str> = raw.ignore.iter().map(String::as_str).collect();
            Some(glob_set(&patterns, "`ignore`")?)
        };
        let mut suppressions = Vec::with_capacity(raw.suppress.len());
        for s in raw.suppress {
            if let Some(rule) = &s.rule {
                check_rule(rule)?;
            }
            if s.rule.is_none() && s.path.is_none() && s.sid.is_none() {
                return Err(value_error(
                    "a `[[suppress]]` entry names no `rule`, `path` or `sid` and would hide every finding".into(),
                    "give at least one of `rule`, `path`, `sid`".into(),
                ));
            }
            let paths = match &s.path {
                Some(p) => Some(glob_set(&[p.as_str()], "`suppress.path`")?),
                None => None,
            };
            suppressions.push(Suppression {
                rule: s.rule,
                paths,
                sid: s.sid,
            });
        }
        let sessions = if raw.sessions.is_empty() {
            Vec::new()
        } else {
            let file = SourceFile::new(path.display().to_string(), text);
            sessions::from_config(raw.sessions, &file).map_err(|message| {
                value_error(
                    message,
                    "a session is `role = \"arn:aws:iam::111122223333:role/Name\"` (or a pattern) with `duration_seconds = 3600`".into(),
                )
            })?
        };
        Ok(Self {
            path: Some(path.to_owned()),
            settings: RuleSettings {
                trusted_accounts: raw.trusted_accounts,
                org_id: raw.org_id,
                sessions,
            },
            rules,
            ignore,
            suppressions,
        })
    }

    /// The configured setting of a rule, if any.
    pub fn rule_setting(&self, id: &str) -> Option<RuleSetting> {
        self.rules.get(id).copied()
    }

    /// Whether a rule runs.
    pub fn is_enabled(&self, id: &str) -> bool {
        self.rule_setting(id) != Some(RuleSetting::Off)
    }

    /// Whether an input path is ignored.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.ignore
            .as_ref()
            .is_some_and(|set| self.path_candidates(path).iter().any(|p| set.is_match(p)))
    }

    /// Applies type overrides and drops suppressed findings.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| !self.is_suppressed(f))
            .map(|mut f| {
                if let Some(RuleSetting::Type(t)) = self.rule_setting(f.rule) {
                    f.finding_type = t;
                }
                f
            })
            .collect()
    }

    fn is_suppressed(&self, finding: &Finding) -> bool {
        self.suppressions.iter().any(|s| {
            s.rule.as_deref().is_none_or(|r| r == finding.rule)
                && s.sid
                    .as_deref()
                    .is_none_or(|sid| finding.sid.as_deref() == Some(sid))
                && s.paths.as_ref().is_none_or(|set| {
                    self.path_candidates(finding.file.name())
                        .iter()
                        .any(|p| set.is_match(p))
                })
        })
    }

    /// A path as given (without a leading `./`) and, when the configuration
    /// file's folder contains it, relative to that folder.
    fn path_candidates(&self, path: &str) -> Vec<PathBuf> {
        let given = Path::new(path.strip_prefix("./").unwrap_or(path)).to_path_buf();
        let mut out = vec![given.clone()];
        if let Some(base) = self.path.as_deref().and_then(Path::parent)
            && let (Ok(abs), Ok(base)) = (std::path::absolute(&given), std::path::absolute(base))
            && let Ok(rel) = abs.strip_prefix(&base)
        {
            out.push(rel.to_path_buf());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_read_with_their_location() {
        let text = "[[sessions]]\nrole = \"arn:aws:iam::*:role/XSOARIntegrationRole\"\nduration_seconds = 7200\nprincipal = \"arn:aws:iam::333344445555:role/xsoar-engine\"\nreason = \"XSOAR Role Session Duration\"\n";
        let config = Config::parse(text, Path::new("rolecall.toml")).unwrap();
        let sessions = &config.settings.sessions;
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].duration_seconds, 7200);
        assert!(sessions[0].principal_is_role());
        assert_eq!(sessions[0].file.slice(sessions[0].span), "7200");
        assert_eq!(sessions[0].path, "sessions[0].duration_seconds");
        for bad in [
            "[[sessions]]\nrole = \"XSOARIntegrationRole\"\nduration_seconds = 7200\n",
            "[[sessions]]\nrole = \"arn:aws:iam::*:role/R\"\nduration_seconds = 0\n",
            "[[sessions]]\nrole = \"arn:aws:iam::*:role/R\"\n",
            "[[sessions]]\nrole = \"arn:aws:iam::*:role/R\"\nduration_seconds = 900\nttl = 1\n",
        ] {
            assert!(
                Config::parse(bad, Path::new("rolecall.toml")).is_err(),
                "{bad}"
            );
        }
    }
}
