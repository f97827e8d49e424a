//! `aws iam get-account-authorization-details` output: one page, several
//! pages or several accounts per file; policy documents as the API returns
//! them (URL-encoded strings) or as the AWS CLI prints them (objects).

use super::{FileLoad, LoadIssue};
use crate::inventory::index::RoleFacts;
use crate::inventory::index::account_of;
use crate::inventory::model::*;
use crate::policy::PolicyKind;
use crate::value::{Value, ValueKind};

const LISTS: [&str; 4] = [
    "UserDetailList",
    "GroupDetailList",
    "RoleDetailList",
    "Policies",
];

/// Whether `value` looks like one authorization-details page.
pub(crate) fn is_auth_details(value: &Value) -> bool {
    value.as_object().is_some()
        && (LISTS[..3].iter().any(|k| value.get(k).is_some())
            || value
                .get("Policies")
                .and_then(Value::as_array)
                .is_some_and(|p| p.iter().any(|p| p.get("PolicyVersionList").is_some())))
}

/// Whether `value` maps account ids to pages:
/// `{"111122223333": {…page…}, …}`.
pub(crate) fn is_multi_account(value: &Value) -> bool {
    value.as_object().is_some_and(|members| {
        !members.is_empty()
            && members
                .iter()
                .all(|m| is_account_id(&m.key) && is_auth_details(&m.value))
    })
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The account id in a snapshot file name `<account-id>.authorization-details.json`.
fn account_in_file_name(name: &str) -> Option<&str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let id = base.strip_suffix(".authorization-details.json")?;
    is_account_id(id).then_some(id)
}

pub(crate) fn load(load: &mut FileLoad<'_>, root: &Value) {
    let named = account_in_file_name(load.name()).map(str::to_owned);
    if let Some(pages) = root.as_array() {
        for (i, page) in pages.iter().enumerate() {
            load_page(load, page, named.as_deref(), &format!("{i}/"));
        }
    } else if is_multi_account(root) {
        for member in root.as_object().unwrap_or_default() {
            load_page(
                load,
                &member.value,
                Some(&member.key),
                &format!("{}/", member.key),
            );
        }
    } else {
        load_page(load, root, named.as_deref(), "");
    }
}

fn load_page(load: &mut FileLoad<'_>, page: &Value, named: Option<&str>, prefix: &str) {
    let found = page_account(page);
    if let (Some(named), Some(found)) = (named, found)
        && named != found
    {
        load.problem(
            Some(page.span),
            prefix.trim_end_matches('/'),
            LoadIssue::AccountMismatch {
                named: named.to_owned(),
                found: found.to_owned(),
            },
        );
    }
    if let Some(account) = found.or(named) {
        let truncated = page.get("IsTruncated");
        let is_truncated = matches!(truncated.map(|t| &t.kind), Some(ValueKind::Bool(true)));
        let span = truncated.map_or(page.span, |t| t.span);
        load.page(account, named, is_truncated, span);
    }
    for key in LISTS {
        let Some(list) = page.get(key) else { continue };
        let Some(elements) = list.as_array() else {
            load.problem(
                Some(list.span),
                format!("{prefix}{key}"),
                LoadIssue::Shape(format!(
                    "`{key}` must be an array, found {}",
                    list.type_name()
                )),
            );
            continue;
        };
        for (i, element) in elements.iter().enumerate() {
            let path = format!("{prefix}{key}/{i}");
            match key {
                "UserDetailList" => user(load, element, &path),
                "GroupDetailList" => group(load, element, &path),
                "RoleDetailList" => role(load, element, &path),
                _ => managed_policy(load, element, &path),
            }
        }
    }
}

/// The account of a page: the account of its first principal or customer
/// managed policy.
fn page_account(page: &Value) -> Option<&str> {
    LISTS.iter().find_map(|key| {
        page.get(key)?.as_array()?.iter().find_map(|e| {
            let arn = e.get("Arn")?.as_str()?;
            let account = arn.split(':').nth(4)?;
            is_account_id(account).then_some(account)
        })
    })
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The fields every principal has; `None` (and a problem) without `Arn` and name.
fn common(
    load: &mut FileLoad<'_>,
    element: &Value,
    path: &str,
    name_key: &str,
    inline_key: &str,
) -> Option<PrincipalCommon> {
    let (Some(arn), Some(name)) = (text(element, "Arn"), text(element, name_key)) else {
        load.problem(
            Some(element.span),
            path,
            LoadIssue::Shape(format!("an entry without `Arn` or `{name_key}` is skipped")),
        );
        return None;
    };
    let label = format!("{}/{name}", kind_word(name_key));
    let mut inline_policies = Vec::new();
    if let Some(list) = element.get(inline_key).and_then(Value::as_array) {
        for (i, p) in list.iter().enumerate() {
            let Some(policy_name) = text(p, "PolicyName") else {
                continue;
            };
            let Some(doc_value) = p.get("PolicyDocument") else {
                continue;
            };
            let doc_name = format!("{label} inline policy {policy_name}");
            let element_path = format!("{path}/{inline_key}/{i}/PolicyDocument");
            if let Some(document) =
                load.document(doc_name, PolicyKind::Identity, doc_value, &element_path)
            {
                inline_policies.push(InlinePolicy {
                    name: policy_name,
                    document,
                });
            }
        }
    }
    let attached_policies = element
        .get("AttachedManagedPolicies")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.get("PolicyArn")?.as_str())
        .map(AttachedPolicy::new)
        .collect();
    Some(PrincipalCommon {
        account_id: account_of(&arn).to_owned(),
        arn,
        name,
        path: text(element, "Path").unwrap_or_else(|| "/".into()),
        id: text(element, id_key(name_key)),
        generated_name: false,
        inline_policies,
        attached_policies,
        declared: Some(Declared {
            file: load.file.clone(),
            span: element.span,
        }),
    })
}

fn kind_word(name_key: &str) -> &'static str {
    match name_key {
        "UserName" => "user",
        "GroupName" => "group",
        _ => "role",
    }
}

fn id_key(name_key: &str) -> &'static str {
    match name_key {
        "UserName" => "UserId",
        "GroupName" => "GroupId",
        _ => "RoleId",
    }
}

/// Reports an entity repeated within one file.
fn duplicate(load: &mut FileLoad<'_>, path: &str, arn: String) {
    load.problem(None, path, LoadIssue::Duplicate(arn));
}

fn boundary(element: &Value) -> Option<String> {
    text(
        element.get("PermissionsBoundary")?,
        "PermissionsBoundaryArn",
    )
}

fn tags(element: &Value) -> Vec<Tag> {
    element
        .get("Tags")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| {
            Some(Tag {
                key: text(t, "Key")?,
                value: text(t, "Value").unwrap_or_default(),
            })
        })
        .collect()
}

fn user(load: &mut FileLoad<'_>, element: &Value, path: &str) {
    let Some(common) = common(load, element, path, "UserName", "UserPolicyList") else {
        return;
    };
    let groups = element
        .get("GroupList")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|g| g.as_str().map(str::to_owned))
        .collect();
    // Not part of the API's output, read when present: `ListAccessKeys`'
    // `AccessKeyMetadata` and `ListMFADevices`' `MFADevices` added to a user.
    // Snapshots give the same facts in a credential report instead.
    let access_keys = element
        .get("AccessKeyMetadata")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .map(|k| AccessKey {
                    id: text(k, "AccessKeyId"),
                    status: text(k, "Status"),
                })
                .collect()
        });
    let mfa_devices = element
        .get("MFADevices")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|d| text(d, "SerialNumber"))
        .collect();
    let user = User {
        common,
        groups,
        permissions_boundary: boundary(element),
        access_keys,
        mfa_devices,
        mfa_active: None,
        tags: tags(element),
    };
    if let Err(d) = load.inventory.push_user(user) {
        duplicate(load, path, d.arn);
    }
}

fn group(load: &mut FileLoad<'_>, element: &Value, path: &str) {
    if let Some(common) = common(load, element, path, "GroupName", "GroupPolicyList")
        && let Err(d) = load.inventory.push_group(Group { common })
    {
        duplicate(load, path, d.arn);
    }
}

fn role(load: &mut FileLoad<'_>, element: &Value, path: &str) {
    let Some(common) = common(load, element, path, "RoleName", "RolePolicyList") else {
        return;
    };
    let trust_policy = element.get("AssumeRolePolicyDocument").and_then(|doc| {
        load.document(
            format!("role/{} trust policy", common.name),
            PolicyKind::Trust,
            doc,
            &format!("{path}/AssumeRolePolicyDocument"),
        )
    });
    let mut instance_profiles = Vec::new();
    for profile in element
        .get("InstanceProfileList")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        let (Some(arn), Some(name)) = (text(profile, "Arn"), text(profile, "InstanceProfileName"))
        else {
            continue;
        };
        let mut roles: Vec<String> = profile
            .get("Roles")
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| text(r, "Arn"))
            .collect();
        if !roles.contains(&common.arn) {
            roles.push(common.arn.clone());
        }
        instance_profiles.push(arn.clone());
        load.inventory.push_instance_profile(InstanceProfile {
            account_id: account_of(&arn).to_owned(),
            arn,
            name,
            path: text(profile, "Path").unwrap_or_else(|| "/".into()),
            roles,
            declared: Some(Declared {
                file: load.file.clone(),
                span: profile.span,
            }),
        });
    }
    // `MaxSessionDuration` is not in the API's output (a snapshot's
    // `list-roles` file gives it); read when a dump adds it.
    let max_session_duration = element.get("MaxSessionDuration").and_then(number);
    let role = Role {
        common,
        trust_policy,
        permissions_boundary: boundary(element),
        max_session_duration,
        tags: tags(element),
        instance_profiles,
    };
    if let Err(d) = load.inventory.push_role(role) {
        duplicate(load, path, d.arn);
    }
}

fn managed_policy(load: &mut FileLoad<'_>, element: &Value, path: &str) {
    let (Some(arn), Some(name)) = (text(element, "Arn"), text(element, "PolicyName")) else {
        load.problem(
            Some(element.span),
            path,
            LoadIssue::Shape("a policy without `Arn` or `PolicyName` is skipped".into()),
        );
        return;
    };
    let default_version = text(element, "DefaultVersionId");
    let versions = element
        .get("PolicyVersionList")
        .and_then(Value::as_array)
        .unwrap_or_default();
    let default = versions.iter().enumerate().find(|(_, v)| {
        matches!(
            v.get("IsDefaultVersion").map(|d| &d.kind),
            Some(ValueKind::Bool(true))
        ) || (default_version.is_some() && text(v, "VersionId") == default_version)
    });
    let document = match default {
        Some((i, version)) => version.get("Document").and_then(|doc| {
            load.document(
                arn.clone(),
                PolicyKind::Identity,
                doc,
                &format!("{path}/PolicyVersionList/{i}/Document"),
            )
        }),
        None => {
            load.problem(
                Some(element.span),
                path,
                LoadIssue::Shape(format!("policy `{arn}` lists no default version")),
            );
            None
        }
    };
    load.inventory.push_managed_policy(ManagedPolicy {
        account_id: arn.split(':').nth(4).unwrap_or_default().to_owned(),
        arn,
        name,
        path: text(element, "Path").unwrap_or_else(|| "/".into()),
        default_version,
        document,
        declared: Some(Declared {
            file: load.file.clone(),
            span: element.span,
        }),
        usage: PolicyUsage::default(),
    });
}

fn number(value: &Value) -> Option<u32> {
    match &value.kind {
        ValueKind::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// Whether `value` is `aws iam list-roles` output.
pub(crate) fn is_list_roles(value: &Value) -> bool {
    value
        .get("Roles")
        .and_then(Value::as_array)
        .is_some_and(|roles| roles.iter().all(|r| r.get("RoleName").is_some()))
}

/// `aws iam list-roles` output: the only source of each role's
/// `MaxSessionDuration` in a snapshot
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html).
/// The facts are applied to the roles of the authorization details when
/// loading finishes.
pub(crate) fn load_list_roles(load: &mut FileLoad<'_>, root: &Value) {
    for role in root
        .get("Roles")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        let (Some(arn), Some(duration)) = (
            text(role, "Arn"),
            role.get("MaxSessionDuration").and_then(number),
        ) else {
            continue;
        };
        load.inventory.role_facts.push(RoleFacts {
            arn,
            max_session_duration: duration,
        });
    }
}

/// The fields of `list-roles` output that matter, read without building the
/// spanned tree (nothing in the file is reported by position, and its
/// trust policies repeat the authorization details'): a snapshot's
/// `<account-id>.list-roles.json` takes this path.
#[derive(serde::Deserialize)]
struct ListRoles {
    #[serde(rename = "Roles")]
    roles: Vec<ListedRole>,
}

#[derive(serde::Deserialize)]
struct ListedRole {
    #[serde(rename = "Arn")]
    arn: String,
    #[serde(rename = "MaxSessionDuration")]
    max_session_duration: Option<u32>,
}

/// Reads a file named `*.list-roles.json` quickly; `false` when it is not
/// list-roles output after all (it is then read like any other file).
pub(crate) fn load_list_roles_fast(load: &mut FileLoad<'_>) -> bool {
    let base = load.name().rsplit(['/', '\\']).next().unwrap_or_default();
    if !base.ends_with(".list-roles.json") {
        return false;
    }
    let Ok(listed) = serde_json::from_str::<ListRoles>(load.file.text()) else {
        return false;
    };
    for role in listed.roles {
        if let Some(duration) = role.max_session_duration {
            load.inventory.role_facts.push(RoleFacts {
                arn: role.arn,
                max_session_duration: duration,
            });
        }
    }
    true
}

/// Decodes RFC 3986 percent-encoding (`%7B%22Version%22…`), as the IAM API
/// returns policy documents; `+` stays `+`. `None` when the bytes decoded
/// are not UTF-8. Malformed escapes are kept as written.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_follows_rfc_3986() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D").as_deref(),
            Some(r#"{"Version":"2012-10-17"}"#)
        );
        assert_eq!(percent_decode("a+b%20c").as_deref(), Some("a+b c"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(percent_decode("%C3%A9").as_deref(), Some("\u{e9}"));
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn file_names_name_accounts() {
        assert_eq!(
            account_in_file_name("snap/111122223333.authorization-details.json"),
            Some("111122223333")
        );
        assert_eq!(account_in_file_name("x.authorization-details.json"), None);
        assert_eq!(account_in_file_name("111122223333.json"), None);
    }
}
