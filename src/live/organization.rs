//! `organization.json`: the organisation's tree (roots, OUs, accounts with
//! their OU path) and its SCPs and RCPs with their targets, read through the
//! Organizations API — the only place SCPs and RCPs exist.

use std::collections::{BTreeMap, VecDeque};

use aws_sdk_organizations::types::PolicyType;
use serde_json::{Value, json};

use super::client::Clients;
use super::error::LiveError;
use super::paginate::all_pages;

/// The organisation as `organization.json` holds it, and the account names.
#[derive(Debug, Clone)]
pub struct Organization {
    /// The document written to `organization.json`.
    pub json: Value,
    /// Account id → account name.
    pub account_names: BTreeMap<String, String>,
}

/// Reads the organisation of the caller's account; `None` when the account
/// is in no organisation.
pub async fn fetch_organization(clients: &Clients) -> Result<Option<Organization>, LiveError> {
    let org = clients.organizations();
    let site = clients.site();
    let described = match org.describe_organization().send().await {
        Ok(out) => out,
        Err(e) => {
            let err = site.error("organizations:DescribeOrganization", e);
            if err.code() == Some("AWSOrganizationsNotInUseException") {
                return Ok(None);
            }
            return Err(err);
        }
    };
    let organization = described.organization();

    const LIST_ROOTS: &str = "organizations:ListRoots";
    let roots: Vec<(String, String)> = all_pages(LIST_ROOTS, |token| async {
        let out = org
            .list_roots()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| site.error(LIST_ROOTS, e))?;
        let roots = out
            .roots()
            .iter()
            .map(|r| {
                (
                    r.id().unwrap_or_default().to_owned(),
                    r.name().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        Ok((roots, out.next_token().map(str::to_owned)))
    })
    .await?;

    // Walk the tree from each root: container id → path from the root.
    let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for (id, _) in &roots {
        paths.insert(id.clone(), vec![id.clone()]);
        queue.push_back(id.clone());
    }
    let mut units = Vec::new();
    let mut accounts = Vec::new();
    let mut account_names = BTreeMap::new();
    while let Some(parent) = queue.pop_front() {
        let parent_path = paths.get(&parent).cloned().unwrap_or_default();
        const LIST_OUS: &str = "organizations:ListOrganizationalUnitsForParent";
        let children = all_pages(LIST_OUS, |token| async {
            let out = org
                .list_organizational_units_for_parent()
                .parent_id(&parent)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| site.error(LIST_OUS, e))?;
            let next = out.next_token().map(str::to_owned);
            Ok((out.organizational_units.unwrap_or_default(), next))
        })
        .await?;
        for unit in children {
            let id = unit.id().unwrap_or_default().to_owned();
            if paths.contains_key(&id) {
                continue;
            }
            let mut path = parent_path.clone();
            path.push(id.clone());
            paths.insert(id.clone(), path);
            units.push(
                json!({"id": id, "name": unit.name().unwrap_or_default(), "parent_id": parent}),
            );
            queue.push_back(id);
        }
        const LIST_ACCOUNTS: &str = "organizations:ListAccountsForParent";
        let members = all_pages(LIST_ACCOUNTS, |token| async {
            let out = org
                .list_accounts_for_parent()
                .parent_id(&parent)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| site.error(LIST_ACCOUNTS, e))?;
            let next = out.next_token().map(str::to_owned);
            Ok((out.accounts.unwrap_or_default(), next))
        })
        .await?;
        for account in members {
            let id = account.id().unwrap_or_default().to_owned();
            let name = account.name().unwrap_or_default().to_owned();
            accounts.push(json!({"id": id, "name": name, "ou_path": parent_path}));
            account_names.insert(id, name);
        }
    }

    let mut policies = Vec::new();
    for kind in [
        PolicyType::ServiceControlPolicy,
        PolicyType::ResourceControlPolicy,
    ] {
        policies.extend(fetch_policies(clients, kind).await?);
    }

    let mut doc = serde_json::Map::new();
    if let Some(o) = organization {
        if let Some(id) = o.id() {
            doc.insert("id".into(), json!(id));
        }
        if let Some(id) = o.master_account_id() {
            doc.insert("management_account_id".into(), json!(id));
        }
    }
    doc.insert(
        "roots".into(),
        Value::Array(
            roots
                .iter()
                .map(|(id, name)| json!({"id": id, "name": name}))
                .collect(),
        ),
    );
    doc.insert("organizational_units".into(), Value::Array(units));
    doc.insert("accounts".into(), Value::Array(accounts));
    doc.insert("policies".into(), Value::Array(policies));
    Ok(Some(Organization {
        json: Value::Object(doc),
        account_names,
    }))
}

/// Every policy of one type with its content and targets.
async fn fetch_policies(clients: &Clients, kind: PolicyType) -> Result<Vec<Value>, LiveError> {
    let org = clients.organizations();
    let site = clients.site();
    const LIST_POLICIES: &str = "organizations:ListPolicies";
    let summaries = all_pages(LIST_POLICIES, |token| async {
        let out = org
            .list_policies()
            .filter(kind.clone())
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| site.error(LIST_POLICIES, e))?;
        let next = out.next_token().map(str::to_owned);
        Ok((out.policies.unwrap_or_default(), next))
    })
    .await?;
    let mut policies = Vec::new();
    for summary in summaries {
        let Some(id) = summary.id() else { continue };
        let described = org
            .describe_policy()
            .policy_id(id)
            .send()
            .await
            .map_err(|e| site.error("organizations:DescribePolicy", e))?;
        let content = described
            .policy()
            .and_then(|p| p.content())
            .unwrap_or_default();
        // The document as a JSON object, as organization.json documents it;
        // kept as text if AWS ever returns something that is not JSON.
        let content: Value =
            serde_json::from_str(content).unwrap_or_else(|_| Value::String(content.to_owned()));
        const LIST_TARGETS: &str = "organizations:ListTargetsForPolicy";
        let targets: Vec<String> = all_pages(LIST_TARGETS, |token| async {
            let out = org
                .list_targets_for_policy()
                .policy_id(id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| site.error(LIST_TARGETS, e))?;
            let targets = out
                .targets()
                .iter()
                .filter_map(|t| t.target_id().map(str::to_owned))
                .collect();
            Ok((targets, out.next_token().map(str::to_owned)))
        })
        .await?;
        policies.push(json!({
            "id": id,
            "name": summary.name().unwrap_or_default(),
            "type": kind.as_str(),
            "aws_managed": summary.aws_managed(),
            "targets": targets,
            "content": content,
        }));
    }
    Ok(policies)
}
