//! A snapshot's `organization.json` (roots, OUs, accounts, SCPs and RCPs)
//! and `manifest.json` (what was fetched).
//!
//! `organization.json` gathers what the AWS Organizations API returns:
//!
//! ```json
//! {
//!   "Organization": {"Id": "o-…", "MasterAccountId": "111122223333"},
//!   "Roots": [{"Id": "r-ab12", "Name": "Root"}],
//!   "OrganizationalUnits": [{"Id": "ou-ab12-…", "Name": "Prod", "ParentId": "r-ab12"}],
//!   "Accounts": [{"Id": "111122223333", "Name": "prod", "ParentId": "ou-ab12-…"}],
//!   "Policies": [{"PolicySummary": {"Id": "p-…", "Name": "…", "Type": "SERVICE_CONTROL_POLICY"},
//!                 "Content": "{…}", "Targets": ["r-ab12"]}]
//! }
//! ```
//!
//! `Organization` is `DescribeOrganization`'s, `Roots` `ListRoots`', accounts
//! and OUs those of `ListAccounts`/`ListOrganizationalUnitsForParent` with the
//! parent added, policies `DescribePolicy`'s with their targets (ids, or
//! `ListTargetsForPolicy` entries). A policy may also be flat
//! (`Id`, `Name`, `Type`, `Content`, `Targets`), and `Content` a JSON object.

use super::{FileLoad, LoadIssue};
use crate::inventory::model::*;
use crate::policy::PolicyKind;
use crate::value::Value;

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value.get(key).and_then(Value::as_array).unwrap_or_default()
}

pub(crate) fn load(load: &mut FileLoad<'_>, root: &Value) {
    let mut org = Organization::default();
    if let Some(o) = root.get("Organization") {
        org.id = text(o, "Id");
        org.management_account =
            text(o, "MasterAccountId").or_else(|| text(o, "ManagementAccountId"));
    }
    for r in list(root, "Roots") {
        if let Some(id) = text(r, "Id") {
            org.units.push(OrgUnit {
                name: text(r, "Name").unwrap_or_else(|| id.clone()),
                id,
                parent: None,
            });
        }
    }
    for (i, ou) in list(root, "OrganizationalUnits").iter().enumerate() {
        match text(ou, "Id") {
            Some(id) => org.units.push(OrgUnit {
                name: text(ou, "Name").unwrap_or_else(|| id.clone()),
                id,
                parent: text(ou, "ParentId"),
            }),
            None => load.problem(
                Some(ou.span),
                format!("OrganizationalUnits/{i}"),
                LoadIssue::Shape("an organizational unit without `Id` is skipped".into()),
            ),
        }
    }
    for (i, account) in list(root, "Accounts").iter().enumerate() {
        match text(account, "Id") {
            Some(id) => org.accounts.push(OrgAccount {
                id,
                name: text(account, "Name"),
                parent: text(account, "ParentId"),
            }),
            None => load.problem(
                Some(account.span),
                format!("Accounts/{i}"),
                LoadIssue::Shape("an account without `Id` is skipped".into()),
            ),
        }
    }
    for (i, policy) in list(root, "Policies").iter().enumerate() {
        let path = format!("Policies/{i}");
        let summary = policy.get("PolicySummary").unwrap_or(policy);
        let (Some(id), Some(kind)) = (text(summary, "Id"), text(summary, "Type")) else {
            load.problem(
                Some(policy.span),
                path,
                LoadIssue::Shape("a policy without `Id` or `Type` is skipped".into()),
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
        let name = text(summary, "Name").unwrap_or_else(|| id.clone());
        let Some(content) = policy.get("Content") else {
            load.problem(
                Some(policy.span),
                path,
                LoadIssue::Shape(format!("policy `{id}` has no `Content`")),
            );
            continue;
        };
        let Some(document) = load.document(
            format!("{kind} {name}"),
            doc_kind,
            content,
            &format!("{path}/Content"),
        ) else {
            continue;
        };
        let targets = list(policy, "Targets")
            .iter()
            .filter_map(|t| {
                t.as_str()
                    .map(str::to_owned)
                    .or_else(|| text(t, "TargetId"))
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

/// `manifest.json`: `{"generated_at", "tool", "principal", "accounts": [ids]}`
/// (keys also accepted capitalised; accounts as ids or `{"Id"}` objects).
/// Only the account list matters here: each listed account needs its file.
pub(crate) fn load_manifest(load: &mut FileLoad<'_>, root: &Value) {
    let accounts = root
        .get("accounts")
        .or_else(|| root.get("Accounts"))
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| {
            a.as_str()
                .map(str::to_owned)
                .or_else(|| text(a, "Id"))
                .or_else(|| text(a, "AccountId"))
                .or_else(|| text(a, "id"))
        })
        .collect();
    load.manifest = Some(super::Manifest {
        file: load.name().to_owned(),
        accounts,
    });
}
