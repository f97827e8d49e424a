//! `rolecall fetch`: writes a snapshot directory (see `policies/README.md`):
//! per account `<id>.authorization-details.json`, `<id>.list-roles.json` and
//! `<id>.credential-report.csv`, an optional `organization.json`, and
//! `manifest.json`. Accounts are fetched concurrently; one account failing
//! is recorded in the manifest while the others complete. Every file is
//! written to a temporary name and renamed, so an interrupted fetch never
//! leaves a truncated file under a final name; the manifest is written last.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_iam::primitives::DateTime;
use aws_sdk_iam::types::ReportStateType;
use serde::Serialize;
use tokio::task::JoinSet;

use super::assume::{self, AssumeRoleRequest};
use super::client::Clients;
use super::credentials::iso8601;
use super::error::LiveError;
use super::iam_json;
use super::organization::{self, Organization};
use super::paginate::all_pages;
use super::validate::{self, InvalidInput, RoleArn};

/// The manifest format version.
pub const MANIFEST_VERSION: u32 = 1;

/// What to fetch and where to write it.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The snapshot directory (created when missing).
    pub out: PathBuf,
    /// Other accounts to fetch, through `role_name` in each.
    pub accounts: Vec<String>,
    /// The role assumed in every other account.
    pub role_name: Option<String>,
    /// The external id passed when assuming `role_name`.
    pub external_id: Option<String>,
    /// Accounts fetched at the same time.
    pub concurrency: usize,
    /// Whether to read the organisation (SCPs, RCPs, OU tree).
    pub organization: bool,
}

impl FetchOptions {
    /// Checks the account ids, role name and external id before any call.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        for account in &self.accounts {
            validate::check_account("account id", account, account)?;
        }
        if let Some(id) = &self.external_id {
            validate::external_id(id)?;
        }
        if let Some(name) = &self.role_name {
            RoleArn::in_account("aws", "123456789012", name)?;
        }
        Ok(())
    }
}

/// Told how the fetch goes (a progress bar on a terminal).
pub trait FetchProgress: Send + Sync {
    /// `accounts` accounts are about to be fetched.
    fn begin(&self, accounts: usize);
    /// One account is done; `error` when it failed.
    fn account_done(&self, account: &str, error: Option<&str>);
    /// Everything is written.
    fn end(&self);
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl FetchProgress for NoProgress {
    fn begin(&self, _: usize) {}
    fn account_done(&self, _: &str, _: Option<&str>) {}
    fn end(&self) {}
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`].
    pub version: u32,
    /// When the fetch started (ISO 8601, UTC).
    pub created: String,
    /// The caller's ARN.
    pub fetched_by: String,
    /// `rolecall <version>`.
    pub tool: String,
    /// One entry per account, the caller's first.
    pub accounts: Vec<AccountEntry>,
    /// `organization.json`, when written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Why something optional was not written (no organisation, no access).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Manifest {
    /// The accounts that failed.
    pub fn failed(&self) -> impl Iterator<Item = &AccountEntry> {
        self.accounts
            .iter()
            .filter(|a| a.status == AccountStatus::Failed)
    }
}

/// One account of the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct AccountEntry {
    /// The account id.
    pub id: String,
    /// The account name, from the organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether its files were written.
    pub status: AccountStatus,
    /// Its files, when complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<AccountFiles>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why an optional file is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Complete or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    /// Every required file was written.
    Complete,
    /// Nothing was written; see `error`.
    Failed,
}

/// The files of one account, relative to the snapshot directory.
#[derive(Debug, Clone, Serialize)]
pub struct AccountFiles {
    /// `<id>.authorization-details.json`.
    pub authorization_details: String,
    /// `<id>.list-roles.json`.
    pub list_roles: String,
    /// `<id>.credential-report.csv`, when the report could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_report: Option<String>,
}

/// A fetch that could not start or could not write its manifest.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FetchError {
    /// The options are invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    /// The caller's identity could not be read.
    #[error(transparent)]
    Live(#[from] LiveError),
    /// The snapshot directory could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    #[diagnostic(code(rolecall::live::write))]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Fetches every account and writes the snapshot; the manifest records the
/// accounts that failed.
pub async fn fetch(
    clients: &Clients,
    options: &FetchOptions,
    progress: Arc<dyn FetchProgress>,
) -> Result<Manifest, FetchError> {
    options.validate()?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let created = iso8601(&DateTime::from_secs(i64::try_from(now).unwrap_or(i64::MAX)));
    let caller = assume::caller_identity(clients).await?;
    let others: Vec<String> = options
        .accounts
        .iter()
        .filter(|a| **a != caller.account)
        .fold(Vec::new(), |mut seen, a| {
            if !seen.contains(a) {
                seen.push(a.clone());
            }
            seen
        });
    let role_name = match (&options.role_name, others.is_empty()) {
        (Some(name), _) => Some(name.clone()),
        (None, true) => None,
        (None, false) => {
            return Err(InvalidInput {
                parameter: "role name",
                value: String::new(),
                reason: "`--role-name` is needed to reach other accounts".into(),
            }
            .into());
        }
    };
    std::fs::create_dir_all(&options.out).map_err(|source| FetchError::Write {
        path: options.out.clone(),
        source,
    })?;

    let mut notes = Vec::new();
    let mut organization_file = None;
    let mut names = std::collections::BTreeMap::new();
    if options.organization {
        match organization::fetch_organization(clients).await {
            Ok(Some(Organization {
                json,
                account_names,
            })) => {
                write_json(&options.out, ORGANIZATION_FILE, &json)?;
                organization_file = Some(ORGANIZATION_FILE.to_owned());
                names = account_names;
            }
            Ok(None) => notes.push(format!(
                "{ORGANIZATION_FILE} not written: the caller's account is in no organization"
            )),
            Err(e) => notes.push(format!("{ORGANIZATION_FILE} not written: {e}")),
        }
    }

    let mut jobs: Vec<(String, Option<RoleArn>)> = vec![(caller.account.clone(), None)];
    for account in &others {
        let name = role_name.as_deref().unwrap_or_default();
        jobs.push((
            account.clone(),
            Some(RoleArn::in_account(caller.partition(), account, name)?),
        ));
    }
    progress.begin(jobs.len());
    let results = run_accounts(clients, options, jobs, progress.clone()).await;

    let mut accounts = Vec::new();
    for (id, result) in results {
        let name = names.get(&id).cloned();
        accounts.push(match result {
            Ok((files, notes)) => AccountEntry {
                id,
                name,
                status: AccountStatus::Complete,
                files: Some(files),
                error: None,
                notes,
            },
            Err(error) => {
                remove_stale(&options.out, &id);
                AccountEntry {
                    id,
                    name,
                    status: AccountStatus::Failed,
                    files: None,
                    error: Some(error),
                    notes: Vec::new(),
                }
            }
        });
    }
    let manifest = Manifest {
        version: MANIFEST_VERSION,
        created,
        fetched_by: caller.arn.clone(),
        tool: format!("rolecall {}", env!("CARGO_PKG_VERSION")),
        accounts,
        organization: organization_file,
        notes,
    };
    let json = serde_json::to_value(&manifest).map_err(|e| FetchError::Write {
        path: options.out.join(MANIFEST_FILE),
        source: e.into(),
    })?;
    write_json(&options.out, MANIFEST_FILE, &json)?;
    progress.end();
    Ok(manifest)
}

const MANIFEST_FILE: &str = "manifest.json";
const ORGANIZATION_FILE: &str = "organization.json";

fn auth_details_file(account: &str) -> String {
    format!("{account}.authorization-details.json")
}

fn list_roles_file(account: &str) -> String {
    format!("{account}.list-roles.json")
}

fn credential_report_file(account: &str) -> String {
    format!("{account}.credential-report.csv")
}

type AccountResult = Result<(AccountFiles, Vec<String>), String>;

/// Runs the accounts, at most `options.concurrency` at a time; results in
/// job order.
async fn run_accounts(
    clients: &Clients,
    options: &FetchOptions,
    jobs: Vec<(String, Option<RoleArn>)>,
    progress: Arc<dyn FetchProgress>,
) -> Vec<(String, AccountResult)> {
    let limit = options.concurrency.max(1);
    let mut results: Vec<Option<AccountResult>> = vec![None; jobs.len()];
    let ids: Vec<String> = jobs.iter().map(|(id, _)| id.clone()).collect();
    let mut running = JoinSet::new();
    let session_name = assume::default_session_name();
    for (index, (account, role)) in jobs.into_iter().enumerate() {
        while running.len() >= limit {
            collect(&mut running, &mut results).await;
        }
        let clients = clients.clone();
        let out = options.out.clone();
        let external_id = options.external_id.clone();
        let session_name = session_name.clone();
        let progress = progress.clone();
        running.spawn(async move {
            let result = async {
                let clients = match role {
                    None => clients,
                    Some(role) => {
                        let request = AssumeRoleRequest {
                            role,
                            session_name,
                            duration_seconds: None,
                            external_id,
                        };
                        let assumed = assume::assume_role(&clients, &request).await?;
                        clients.with_credentials(&assumed.credentials)
                    }
                };
                fetch_account(&clients, &out, &account).await
            }
            .await
            .map_err(|e| e.to_string());
            progress.account_done(&account, result.as_ref().err().map(String::as_str));
            (index, result)
        });
    }
    while !running.is_empty() {
        collect(&mut running, &mut results).await;
    }
    ids.into_iter()
        .zip(results)
        .map(|(id, result)| {
            (
                id,
                result.unwrap_or_else(|| Err("the fetch of this account stopped".into())),
            )
        })
        .collect()
}

async fn collect(
    running: &mut JoinSet<(usize, AccountResult)>,
    results: &mut [Option<AccountResult>],
) {
    if let Some(Ok((index, result))) = running.join_next().await
        && let Some(slot) = results.get_mut(index)
    {
        *slot = Some(result);
    }
}

/// An account failure: a call or a write.
#[derive(Debug, thiserror::Error)]
enum AccountError {
    #[error(transparent)]
    Live(#[from] LiveError),
    #[error(transparent)]
    Write(#[from] FetchError),
}

/// Fetches one account with `clients` (already that account's identity) and
/// writes its files.
async fn fetch_account(
    clients: &Clients,
    dir: &Path,
    account: &str,
) -> Result<(AccountFiles, Vec<String>), AccountError> {
    let iam = clients.iam();
    let site = clients.site();
    const DETAILS: &str = "iam:GetAccountAuthorizationDetails";
    let pages = all_pages(DETAILS, |marker| async {
        let page = iam
            .get_account_authorization_details()
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| site.error(DETAILS, e))?;
        let next = page.is_truncated.then(|| page.marker.clone()).flatten();
        Ok((vec![page], next))
    })
    .await?;
    const LIST_ROLES: &str = "iam:ListRoles";
    let roles = all_pages(LIST_ROLES, |marker| async {
        let page = iam
            .list_roles()
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| site.error(LIST_ROLES, e))?;
        let next = page.is_truncated.then(|| page.marker.clone()).flatten();
        Ok((page.roles, next))
    })
    .await?;
    let mut notes = Vec::new();
    let report = match credential_report(clients).await {
        Ok(report) => Some(report),
        // An answer (AccessDenied, report not ready): the account is still
        // complete without the report; a failure to ask fails the account.
        Err(e)
            if e.is_answer()
                || matches!(e, LiveError::Other { .. } | LiveError::Unsupported { .. }) =>
        {
            notes.push(format!(
                "{} not written: {e}",
                credential_report_file(account)
            ));
            None
        }
        Err(e) => return Err(e.into()),
    };

    let details_name = auth_details_file(account);
    write_json(dir, &details_name, &iam_json::authorization_details(&pages))?;
    let roles_name = list_roles_file(account);
    write_json(dir, &roles_name, &iam_json::list_roles(&roles))?;
    let report_name = match report {
        Some(bytes) => {
            let name = credential_report_file(account);
            write_atomic(dir, &name, &bytes)?;
            Some(name)
        }
        None => {
            remove_if_present(&dir.join(credential_report_file(account)));
            None
        }
    };
    Ok((
        AccountFiles {
            authorization_details: details_name,
            list_roles: roles_name,
            credential_report: report_name,
        },
        notes,
    ))
}

/// Attempts at generating the credential report before giving up.
const REPORT_POLLS: u32 = 30;

/// Generates the credential report and reads it (decoded CSV).
async fn credential_report(clients: &Clients) -> Result<Vec<u8>, LiveError> {
    const GENERATE: &str = "iam:GenerateCredentialReport";
    const GET: &str = "iam:GetCredentialReport";
    let iam = clients.iam();
    let site = clients.site();
    let mut delay = Duration::from_millis(500);
    for _ in 0..REPORT_POLLS {
        let out = iam
            .generate_credential_report()
            .send()
            .await
            .map_err(|e| site.error(GENERATE, e))?;
        if out.state == Some(ReportStateType::Complete) {
            let report = iam
                .get_credential_report()
                .send()
                .await
                .map_err(|e| site.error(GET, e))?;
            return report
                .content
                .map(|blob| blob.into_inner())
                .ok_or_else(|| LiveError::Other {
                    operation: GET,
                    detail: "the answer has no report".into(),
                });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
    Err(LiveError::Other {
        operation: GENERATE,
        detail: format!("the report was not ready after {REPORT_POLLS} attempts"),
    })
}

/// Writes pretty JSON and a final newline, atomically.
fn write_json(dir: &Path, name: &str, value: &serde_json::Value) -> Result<(), FetchError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| FetchError::Write {
        path: dir.join(name),
        source: e.into(),
    })?;
    bytes.push(b'\n');
    write_atomic(dir, name, &bytes)
}

/// Writes `dir/name` through a temporary file in the same directory and a
/// rename, so the final name only ever holds a whole file.
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), FetchError> {
    use std::io::Write;
    let path = dir.join(name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, &path)
    })();
    result.map_err(|source| {
        remove_if_present(&temp);
        FetchError::Write { path, source }
    })
}

/// Removes an account's files left by an earlier fetch, so that the
/// directory agrees with the manifest that says the account failed.
fn remove_stale(dir: &Path, account: &str) {
    for name in [
        auth_details_file(account),
        list_roles_file(account),
        credential_report_file(account),
    ] {
        remove_if_present(&dir.join(name));
    }
}

fn remove_if_present(path: &Path) {
    // Nothing to do when it is already gone; any other failure leaves a
    // file the manifest does not list, which loaders report.
    let _ = std::fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.json", b"{}\n").unwrap();
        write_atomic(dir.path(), "a.json", b"{\"x\":1}\n").unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.json"]);
        assert_eq!(
            std::fs::read(dir.path().join("a.json")).unwrap(),
            b"{\"x\":1}\n"
        );
    }

    #[test]
    fn atomic_write_into_a_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let err = write_atomic(&missing, "a.json", b"{}").unwrap_err();
        assert!(err.to_string().starts_with("cannot write"), "{err}");
    }

    #[test]
    fn manifest_shape() {
        let manifest = Manifest {
            version: MANIFEST_VERSION,
            created: "2026-11-01T12:00:00Z".into(),
            fetched_by: "arn:aws:iam::111122223333:user/a".into(),
            tool: "rolecall 0.1.0".into(),
            accounts: vec![
                AccountEntry {
                    id: "111122223333".into(),
                    name: None,
                    status: AccountStatus::Complete,
                    files: Some(AccountFiles {
                        authorization_details: auth_details_file("111122223333"),
                        list_roles: list_roles_file("111122223333"),
                        credential_report: None,
                    }),
                    error: None,
                    notes: vec![],
                },
                AccountEntry {
                    id: "888899990000".into(),
                    name: Some("app-prod".into()),
                    status: AccountStatus::Failed,
                    files: None,
                    error: Some("sts:AssumeRole: AccessDenied: no".into()),
                    notes: vec![],
                },
            ],
            organization: None,
            notes: vec![],
        };
        let json = serde_json::to_value(&manifest).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "version": 1,
                "created": "2026-11-01T12:00:00Z",
                "fetched_by": "arn:aws:iam::111122223333:user/a",
                "tool": "rolecall 0.1.0",
                "accounts": [
                    {"id": "111122223333", "status": "complete", "files": {
                        "authorization_details": "111122223333.authorization-details.json",
                        "list_roles": "111122223333.list-roles.json"}},
                    {"id": "888899990000", "name": "app-prod", "status": "failed",
                     "error": "sts:AssumeRole: AccessDenied: no"}
                ]
            })
        );
        assert_eq!(manifest.failed().count(), 1);
    }

    #[test]
    fn options_are_checked() {
        let mut options = FetchOptions {
            out: PathBuf::from("x"),
            accounts: vec!["123".into()],
            role_name: Some("Audit".into()),
            external_id: None,
            concurrency: 4,
            organization: true,
        };
        assert!(options.validate().is_err());
        options.accounts = vec!["123456789012".into()];
        assert!(options.validate().is_ok());
        options.role_name = Some("bad name".into());
        assert!(options.validate().is_err());
    }
}
