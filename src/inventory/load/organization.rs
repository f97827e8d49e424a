//! A snapshot's `organization.json` (roots, OUs, accounts, SCPs and RCPs)
//! and `manifest.json` (what was fetched), in the shapes of
//! `policies/README.md`:
//!
//! ```json
//! {
//!   "id": "o-…", "management_account_id": "111122223333",
//!   "roots": [{"id": "r-ab12", "name": "Root"}],
//!   "organizational_units": [{"id": "ou-ab12-…", "name": "Prod", "parent_id": "r-ab12"}],
//!   "accounts": [{"id": "111122223333", "name": "prod", "ou_path": ["r-ab12", "ou-ab12-…"]}],
//!   "policies": [{"id": "p-…", "name": "…", "type": "SERVICE_CONTROL_POLICY",
//!                 "targets": ["r-ab12"], "content": {…}}]
//! }
//! ```
//!
//! The AWS Organizations API's own spelling is read too: `Organization`
//! (`DescribeOrganization`), `Roots`, `OrganizationalUnits` and `Accounts`
//! with `ParentId`, and `Policies` as `DescribePolicy` returns them
//! (`PolicySummary` + `Content`, a JSON string) with `Targets` as ids or
//! `ListTargetsForPolicy` entries.

use super::{FileLoad, LoadIssue};
use crate::inventory::model::*;
use crate::policy::PolicyKind;
use crate::value::Value;

/// The first of the keys present (each field has an API and a snapshot spelling).
fn field<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().find_map(|k| value.get(k))
}

fn text(value: &Value, keys: &[&str]) -> Option<String> {
    field(value, keys)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn list<'v>(value: &'v Value, keys: &[&str]) -> &'v [Value] {
    field(value, keys)
        .and_then(Value::as_array)
        .unwrap_or_default()
}

const ID: &[&str] = &["id", "Id"];
const NAME: &[&str] = &["name", "Name"];
const ROOTS: &[&str] = &["roots", "Roots"];
const UNITS: &[&str] = &["organizational_units", "OrganizationalUnits"];
const ACCOUNTS: &[&str] = &["accounts", "Accounts"];
const POLICIES: &[&str] = &["policies", "Policies"];
const PARENT: &[&str] = &["parent_id", "ParentId"];

/// Whether `root` is an `organization.json`.
pub(crate) fn is_organization(root: &Value) -> bool {
    field(
        root,
        &[
            "organizational_units",
            "OrganizationalUnits",
            "roots",
            "Roots",
        ],
    )
    .is_some()
        || root.get("Organization").is_some()
        || (field(root, POLICIES).is_some() && field(root, ACCOUNTS).is_some())
}

pub(crate) fn load(load: &mut FileLoad<'_>, root: &Value) {
    let mut org = Organization {
        id: text(root, &["id"]).or_else(|| root.get("Organization").and_then(|o| text(o, &["Id"]))),
        management_account: text(root, &["management_account_id"]).or_else(|| {
            root.get("Organization")
                .and_then(|o| text(o, &["MasterAccountId", "ManagementAccountId"]))
        }),
        ..Organization::default()
    };
    for r in list(root, ROOTS) {
        if let Some(id) = text(r, ID) {
            org.units.push(OrgUnit {
                name: text(r, NAME).unwrap_or_else(|| id.clone()),
                id,
                parent: None,
            });
        }
    }
    for (i, ou) in list(root, UNITS).iter().enumerate() {
        match text(ou, ID) {
            Some(id) => org.units.push(OrgUnit {
                name: text(ou, NAME).unwrap_or_else(|| id.clone()),
                id,
                parent: text(ou, PARENT),
            }),
            None => load.problem(
                Some(ou.span),
                format!("organizational_units/{i}"),
                LoadIssue::Shape("an organizational unit without `id` is skipped".into()),
            ),
        }
    }
    for (i, account) in list(root, ACCOUNTS).iter().enumerate() {
        let Some(id) = text(account, ID) else {
            load.problem(
                Some(account.span),
                format!("accounts/{i}"),
                LoadIssue::Shape("an account without `id` is skipped".into()),
            );
            continue;
        };
        let ou_path = account
            .get("ou_path")
            .and_then(Value::as_array)
            .map(|path| {
                path.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            });
        org.accounts.push(OrgAccount {
            id,
            name: text(account, NAME),
            parent: text(account, PARENT),
            ou_path,
        });
    }
    for (i, policy) in list(root, POLICIES).iter().enumerate() {
        let path = format!("policies/{i}");
        let summary = policy.get("PolicySummary").unwrap_or(policy);
        let (Some(id), Some(kind)) = (text(summary, ID), text(summary, &["type", "Type"])) else {
            load.problem(
                Some(policy.span),
                path,
                LoadIssue::Shape("a policy without `id` or `type` is skipped".into()),
            );
            continue;
        };
        let (policy_type, doc_kind) = match kind.as_str() {
            "SERVICE_CONTROL_POLICY" => (OrgPolicyType::ServiceControl, PolicyKind::ServiceControl),
            "RESOURCE_CONTROL_POLICY" => {
                (OrgPolicyType::ResourceControl, PolicyKind::ResourceControl)
            }
            // Tag, backup and AI opt-out policies do not decide access.
            _ => continue,
        };
        let name = text(summary, NAME).unwrap_or_else(|| id.clone());
        let Some(content) = field(policy, &["content", "Content"]) else {
            load.problem(
                Some(policy.span),
                path,
                LoadIssue::Shape(format!("policy `{id}` has no `content`")),
            );
            continue;
        };
        let Some(document) = load.document(
            format!("{kind} {name}"),
            doc_kind,
            content,
            &format!("{path}/content"),
        ) else {
            continue;
        };
        let targets = list(policy, &["targets", "Targets"])
            .iter()
            .filter_map(|t| {
                t.as_str()
                    .map(str::to_owned)
                    .or_else(|| text(t, &["TargetId"]))
            })
            .collect();
        org.policies.push(OrgPolicy {
            id,
            name,
            policy_type,
            document,
            targets,
        });
    }
    load.inventory.set_organization(org);
}

/// `manifest.json`: which accounts were fetched (`accounts`: ids, or objects
/// with `id`, `status` and, for a failed fetch, `error`). Each complete
/// account needs its authorization details; a failed one is reported.
pub(crate) fn load_manifest(load: &mut FileLoad<'_>, root: &Value) {
    let mut accounts = Vec::new();
    for (i, entry) in list(root, ACCOUNTS).iter().enumerate() {
        let Some(id) = entry
            .as_str()
            .map(str::to_owned)
            .or_else(|| text(entry, &["id", "Id", "AccountId"]))
        else {
            continue;
        };
        if text(entry, &["status"]).as_deref() == Some("failed") {
            let error = text(entry, &["error"]).unwrap_or_else(|| "no error given".into());
            load.problem(
                Some(entry.span),
                format!("accounts/{i}"),
                LoadIssue::FailedAccount { account: id, error },
            );
            continue;
        }
        accounts.push(id);
    }
    load.manifest = Some(super::Manifest {
        file: load.name().to_owned(),
        accounts,
        about: super::SnapshotManifest {
            file: load.name().to_owned(),
            created: text(root, &["created"]),
            fetched_by: text(root, &["fetched_by"]),
            tool: text(root, &["tool"]),
        },
    });
}
