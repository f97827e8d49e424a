//! Terraform plans and states as `terraform show -json` prints them
//! (https://developer.hashicorp.com/terraform/internals/json-format): the IAM
//! resources of the AWS provider and the resource policies of S3, KMS, SQS
//! and SNS. Values "known after apply" (`after_unknown`) become explicit
//! unknowns; references between resources are followed through the plan's
//! `configuration` when a value is unknown.

use std::collections::HashMap;
use std::sync::Arc;

use super::{FileLoad, LoadIssue};
use crate::inventory::Entity;
use crate::inventory::index::provider_from_arn;
use crate::inventory::model::*;
use crate::policy::PolicyKind;
use crate::value::{Value, ValueKind};

/// The plan/state JSON format major version rolecall reads.
const FORMAT_MAJOR: &str = "1";

/// One resource instance and its (planned) values.
struct Instance<'v> {
    address: String,
    resource_type: String,
    values: &'v Value,
    unknown: Option<&'v Value>,
    span: crate::source::Span,
}

impl Instance<'_> {
    /// An attribute: its value, an unknown when known only after apply, or
    /// `None` when absent or null.
    fn attr(&self, key: &str) -> Option<Value> {
        let after_unknown = self.unknown.and_then(|u| u.get(key));
        if matches!(after_unknown.map(|u| &u.kind), Some(ValueKind::Bool(true))) {
            return Some(Value {
                span: self.span,
                kind: ValueKind::Unknown(format!("`{}.{key}` (known after apply)", self.address)),
            });
        }
        let value = self.values.get(key)?;
        (!matches!(value.kind, ValueKind::Null)).then(|| value.clone())
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.attr(key)?.kind {
            ValueKind::String(s) | ValueKind::Number(s) => Some(s),
            _ => None,
        }
    }

    fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.address)
    }
}

/// The address without instance keys: `module.a[0].aws_iam_role.x["k"]` →
/// `module.a.aws_iam_role.x`.
fn base_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            if quoted {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    quoted = false;
                }
            } else if c == '"' {
                quoted = true;
            } else if c == ']' {
                depth -= 1;
            }
            continue;
        }
        if c == '[' {
            depth += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// The module part of a base address: `module.a.aws_iam_role.x` → `module.a.`.
fn module_prefix(base: &str) -> &str {
    let mut dots = base.rmatch_indices('.');
    match (dots.next(), dots.next()) {
        (Some(_), Some((i, _))) => &base[..=i],
        _ => "",
    }
}

pub(crate) fn load(load: &mut FileLoad<'_>, root: &Value) {
    if let Some(version) = root.get("format_version") {
        let text = version.as_str().unwrap_or_default();
        if text.split('.').next() != Some(FORMAT_MAJOR) {
            load.problem(
                Some(version.span),
                "format_version",
                LoadIssue::UnknownVersion(format!("plan format version `{text}`")),
            );
        }
    }
    let mut schema_versions = HashMap::new();
    let mut instances = Vec::new();
    let planned = root
        .get("planned_values")
        .or_else(|| root.get("values"))
        .and_then(|v| v.get("root_module"));
    if let Some(module) = planned {
        walk_module(module, &mut |resource| {
            if let (Some(address), Some(version)) = (
                resource.get("address").and_then(Value::as_str),
                resource.get("schema_version"),
            ) {
                schema_versions.insert(address.to_owned(), version);
            }
        });
    }
    if let Some(changes) = root.get("resource_changes").and_then(Value::as_array) {
        for change in changes {
            let Some(c) = change.get("change") else {
                continue;
            };
            let deleted = c
                .get("actions")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().all(|a| a.as_str() == Some("delete")));
            if deleted || change.get("mode").and_then(Value::as_str) != Some("managed") {
                continue;
            }
            if let Some(after) = c.get("after").filter(|a| a.as_object().is_some()) {
                instances.extend(instance(change, after, c.get("after_unknown")));
            }
        }
    } else if let Some(module) = planned {
        walk_module(module, &mut |resource| {
            if resource.get("mode").and_then(Value::as_str) == Some("managed")
                && let Some(values) = resource.get("values")
            {
                instances.extend(instance(resource, values, None));
            }
        });
    }
    for i in &instances {
        let Some(version) = schema_versions.get(&i.address) else {
            continue;
        };
        let known = matches!(&version.kind, ValueKind::Number(n) if n == "0");
        if TYPES.contains(&i.resource_type.as_str()) && !known {
            load.problem(
                Some(version.span),
                i.path("schema_version"),
                LoadIssue::UnknownVersion(format!(
                    "schema version `{}` of `{}` (an AWS provider newer than rolecall knows?)",
                    load.file.slice(version.span),
                    i.resource_type
                )),
            );
        }
    }
    let mut config = HashMap::new();
    if let Some(module) = root.get("configuration").and_then(|c| c.get("root_module")) {
        index_configuration(module, "", &mut config);
    }
    let mut plan = Plan {
        load,
        config,
        identities: HashMap::new(),
        by_base: HashMap::new(),
    };
    for i in &instances {
        plan.declare(i);
    }
    for i in &instances {
        plan.relate(i);
    }
}

/// Resource types read.
const TYPES: &[&str] = &[
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_policy",
    "aws_iam_instance_profile",
    "aws_iam_openid_connect_provider",
    "aws_iam_saml_provider",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_group_membership",
    "aws_iam_user_group_membership",
    "aws_iam_access_key",
    "aws_s3_bucket_policy",
    "aws_kms_key",
    "aws_sqs_queue_policy",
    "aws_sns_topic_policy",
];

fn instance<'v>(
    resource: &'v Value,
    values: &'v Value,
    unknown: Option<&'v Value>,
) -> Option<Instance<'v>> {
    let resource_type = resource.get("type")?.as_str()?;
    if !TYPES.contains(&resource_type) {
        return None;
    }
    Some(Instance {
        address: resource.get("address")?.as_str()?.to_owned(),
        resource_type: resource_type.to_owned(),
        values,
        unknown,
        span: resource.span,
    })
}

fn walk_module<'v>(module: &'v Value, visit: &mut dyn FnMut(&'v Value)) {
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        visit(resource);
    }
    for child in module
        .get("child_modules")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        walk_module(child, visit);
    }
}

fn index_configuration<'v>(module: &'v Value, prefix: &str, out: &mut HashMap<String, &'v Value>) {
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        if let Some(address) = resource.get("address").and_then(Value::as_str) {
            out.insert(format!("{prefix}{address}"), resource);
        }
    }
    for call in module
        .get("module_calls")
        .and_then(Value::as_object)
        .unwrap_or_default()
    {
        if let Some(child) = call.value.get("module") {
            index_configuration(child, &format!("{prefix}module.{}.", call.key), out);
        }
    }
}

/// What an IAM instance is called and its ARN.
#[derive(Clone)]
struct Identity {
    name: String,
    arn: String,
}

struct Plan<'l, 'o, 'v> {
    load: &'l mut FileLoad<'o>,
    config: HashMap<String, &'v Value>,
    identities: HashMap<String, Identity>,
    by_base: HashMap<String, Vec<String>>,
}

impl Plan<'_, '_, '_> {
    fn identity(&mut self, i: &Instance<'_>, word: &str) -> Identity {
        let path = i.text("path").unwrap_or_else(|| "/".into());
        let name = i.text("name").unwrap_or_else(|| i.address.clone());
        let arn = i.text("arn").unwrap_or_else(|| {
            format!(
                "arn:{}:iam::{}:{word}{path}{name}",
                self.load.options.partition,
                self.load.options.account()
            )
        });
        let identity = Identity { name, arn };
        self.identities.insert(i.address.clone(), identity.clone());
        self.by_base
            .entry(base_address(&i.address))
            .or_default()
            .push(i.address.clone());
        identity
    }

    fn account(&self, arn: &str) -> String {
        crate::inventory::index::account_of(arn).to_owned()
    }

    fn common(&mut self, i: &Instance<'_>, identity: &Identity) -> PrincipalCommon {
        PrincipalCommon {
            account_id: self.account(&identity.arn),
            arn: identity.arn.clone(),
            name: identity.name.clone(),
            path: i.text("path").unwrap_or_else(|| "/".into()),
            id: i.text("unique_id"),
            generated_name: i.text("name").is_none(),
            inline_policies: Vec::new(),
            attached_policies: Vec::new(),
            declared: Some(Declared {
                file: self.load.file.clone(),
                span: i.span,
            }),
        }
    }

    fn document(
        &mut self,
        i: &Instance<'_>,
        key: &str,
        name: String,
        kind: PolicyKind,
    ) -> Option<Arc<crate::policy::PolicyDocument>> {
        let value = i.attr(key)?;
        self.load.document(name, kind, &value, &i.path(key))
    }

    fn tags(i: &Instance<'_>) -> Vec<Tag> {
        i.values
            .get("tags")
            .and_then(Value::as_object)
            .unwrap_or_default()
            .iter()
            .map(|m| Tag {
                key: m.key.clone(),
                value: m.value.as_str().unwrap_or_default().to_owned(),
            })
            .collect()
    }

    fn declare(&mut self, i: &Instance<'_>) {
        match i.resource_type.as_str() {
            "aws_iam_role" => {
                let identity = self.identity(i, "role");
                let mut common = self.common(i, &identity);
                for (n, block) in i
                    .values
                    .get("inline_policy")
                    .and_then(Value::as_array)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    let unknown = i
                        .unknown
                        .and_then(|u| u.get("inline_policy")?.as_array()?.get(n)?.get("policy"))
                        .is_some_and(|u| matches!(u.kind, ValueKind::Bool(true)));
                    let policy = match block.get("policy") {
                        _ if unknown => Value {
                            span: block.span,
                            kind: ValueKind::Unknown(format!(
                                "`{}.inline_policy[{n}].policy` (known after apply)",
                                i.address
                            )),
                        },
                        Some(policy) => policy.clone(),
                        None => continue,
                    };
                    let policy = &policy;
                    let name = block
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    if let Some(document) = self.load.document(
                        format!("role/{} inline policy {name}", identity.name),
                        PolicyKind::Identity,
                        policy,
                        &format!("{}.inline_policy[{n}].policy", i.address),
                    ) {
                        common.inline_policies.push(InlinePolicy { name, document });
                    }
                }
                if let Some(arns) = i.attr("managed_policy_arns") {
                    common.attached_policies.extend(
                        arns.as_array()
                            .unwrap_or_default()
                            .iter()
                            .filter_map(Value::as_str)
                            .map(AttachedPolicy::new),
                    );
                }
                let trust_policy = self.document(
                    i,
                    "assume_role_policy",
                    format!("role/{} trust policy", identity.name),
                    PolicyKind::Trust,
                );
                let role = Role {
                    common,
                    trust_policy,
                    permissions_boundary: i.text("permissions_boundary"),
                    max_session_duration: match i.attr("max_session_duration") {
                        None => Some(DEFAULT_MAX_SESSION_DURATION),
                        Some(_) => i.text("max_session_duration").and_then(|d| d.parse().ok()),
                    },
                    tags: Self::tags(i),
                    instance_profiles: Vec::new(),
                };
                let pushed = self.load.inventory.push_role(role);
                self.duplicate(i, pushed);
            }
            "aws_iam_user" => {
                let identity = self.identity(i, "user");
                let common = self.common(i, &identity);
                let user = User {
                    common,
                    groups: Vec::new(),
                    permissions_boundary: i.text("permissions_boundary"),
                    access_keys: Some(Vec::new()),
                    mfa_devices: Vec::new(),
                    mfa_active: None,
                    tags: Self::tags(i),
                };
                let pushed = self.load.inventory.push_user(user);
                self.duplicate(i, pushed);
            }
            "aws_iam_group" => {
                let identity = self.identity(i, "group");
                let common = self.common(i, &identity);
                let pushed = self.load.inventory.push_group(Group { common });
                self.duplicate(i, pushed);
            }
            "aws_iam_policy" => {
                let identity = self.identity(i, "policy");
                let document =
                    self.document(i, "policy", identity.arn.clone(), PolicyKind::Identity);
                self.load.inventory.push_managed_policy(ManagedPolicy {
                    account_id: self.account(&identity.arn),
                    arn: identity.arn,
                    name: identity.name,
                    path: i.text("path").unwrap_or_else(|| "/".into()),
                    default_version: None,
                    document,
                    declared: Some(Declared {
                        file: self.load.file.clone(),
                        span: i.span,
                    }),
                    usage: PolicyUsage::default(),
                });
            }
            "aws_iam_instance_profile" => {
                let identity = self.identity(i, "instance-profile");
                self.load.inventory.push_instance_profile(InstanceProfile {
                    account_id: self.account(&identity.arn),
                    arn: identity.arn,
                    name: identity.name,
                    path: i.text("path").unwrap_or_else(|| "/".into()),
                    roles: Vec::new(),
                    declared: Some(Declared {
                        file: self.load.file.clone(),
                        span: i.span,
                    }),
                });
            }
            "aws_iam_openid_connect_provider" | "aws_iam_saml_provider" => {
                let arn = i.text("arn").or_else(|| {
                    let (word, name) = if i.resource_type == "aws_iam_saml_provider" {
                        ("saml-provider", i.text("name")?)
                    } else {
                        (
                            "oidc-provider",
                            i.text("url")?.trim_start_matches("https://").to_owned(),
                        )
                    };
                    Some(format!(
                        "arn:{}:iam::{}:{word}/{name}",
                        self.load.options.partition,
                        self.load.options.account()
                    ))
                });
                if let Some(provider) = arn.as_deref().and_then(provider_from_arn) {
                    self.load.inventory.push_provider(IdentityProvider {
                        inferred: false,
                        declared: Some(Declared {
                            file: self.load.file.clone(),
                            span: i.span,
                        }),
                        ..provider
                    });
                }
            }
            _ => {}
        }
    }

    fn duplicate(
        &mut self,
        i: &Instance<'_>,
        pushed: Result<(), crate::inventory::index::Duplicate>,
    ) {
        if let Err(d) = pushed {
            self.load
                .problem(Some(i.span), i.address.clone(), LoadIssue::Duplicate(d.arn));
        }
    }

    /// The instances an unknown attribute refers to, through the
    /// configuration's expression references (`aws_iam_role.x.name`).
    fn referenced(&self, i: &Instance<'_>, key: &str) -> Vec<String> {
        let base = base_address(&i.address);
        let prefix = module_prefix(&base);
        let Some(expression) = self
            .config
            .get(&base)
            .and_then(|c| c.get("expressions")?.get(key))
        else {
            return Vec::new();
        };
        let mut expressions = vec![expression];
        if let Some(items) = expression.as_array() {
            expressions = items.iter().collect();
        }
        let mut out = Vec::new();
        for expression in expressions {
            let references = expression
                .get("references")
                .and_then(Value::as_array)
                .unwrap_or_default();
            // References list the attribute first, then the resource.
            if let Some(target) = references.iter().filter_map(Value::as_str).find_map(|r| {
                let parts: Vec<&str> = r.split('.').collect();
                (parts.len() >= 2 && parts[0].starts_with("aws_"))
                    .then(|| format!("{prefix}{}.{}", parts[0], base_address(parts[1])))
            }) && let Some(addresses) = self.by_base.get(&target)
                && addresses.len() == 1
            {
                out.extend(addresses.iter().cloned());
            }
        }
        out
    }

    /// The ARNs of the principals named by attribute `key` (a name, a list
    /// of names, or a reference unknown until apply).
    fn principals(&self, i: &Instance<'_>, key: &str, word: &str) -> Vec<String> {
        let names: Vec<Value> = match i.attr(key) {
            Some(v) if v.as_array().is_some() => v.as_array().unwrap_or_default().to_vec(),
            Some(v) => vec![v],
            None => Vec::new(),
        };
        let mut out = Vec::new();
        let unknown = names
            .iter()
            .any(|n| matches!(n.kind, ValueKind::Unknown(_)));
        for name in &names {
            if let ValueKind::String(name) = &name.kind {
                out.push(self.arn_by_name(name, word));
            }
        }
        if unknown {
            out.extend(
                self.referenced(i, key)
                    .iter()
                    .filter_map(|a| self.identities.get(a).map(|id| id.arn.clone())),
            );
        }
        out
    }

    fn arn_by_name(&self, name: &str, word: &str) -> String {
        if name.starts_with("arn:") {
            return name.to_owned();
        }
        let inventory = &self.load.inventory;
        let found = match word {
            "role" => inventory
                .roles
                .iter()
                .map(|r| &r.common)
                .find(|c| c.name == name),
            "user" => inventory
                .users
                .iter()
                .map(|u| &u.common)
                .find(|c| c.name == name),
            _ => inventory
                .groups
                .iter()
                .map(|g| &g.common)
                .find(|c| c.name == name),
        };
        found.map_or_else(
            || {
                format!(
                    "arn:{}:iam::{}:{word}/{name}",
                    self.load.options.partition,
                    self.load.options.account()
                )
            },
            |c| c.arn.clone(),
        )
    }

    /// The policy ARN of an attachment, following a reference when unknown.
    fn policy_arn(&self, i: &Instance<'_>) -> Option<String> {
        match i.attr("policy_arn")?.kind {
            ValueKind::String(arn) => Some(arn),
            ValueKind::Unknown(what) => Some(
                self.referenced(i, "policy_arn")
                    .first()
                    .and_then(|a| self.identities.get(a))
                    .map_or(what, |id| id.arn.clone()),
            ),
            _ => None,
        }
    }

    fn relate(&mut self, i: &Instance<'_>) {
        let kind = i.resource_type.as_str();
        match kind {
            "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
                let (key, word) = match kind {
                    "aws_iam_role_policy" => ("role", "role"),
                    "aws_iam_user_policy" => ("user", "user"),
                    _ => ("group", "group"),
                };
                let name = i.text("name").unwrap_or_else(|| i.address.clone());
                let Some(document) = self.document(
                    i,
                    "policy",
                    format!("{} ({name})", i.address),
                    PolicyKind::Identity,
                ) else {
                    return;
                };
                let targets = self.principals(i, key, word);
                self.load
                    .inventory
                    .push_inline_policy(&targets, &name, document);
            }
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment"
            | "aws_iam_policy_attachment" => {
                let Some(policy_arn) = self.policy_arn(i) else {
                    return;
                };
                let mut targets = Vec::new();
                if kind == "aws_iam_policy_attachment" {
                    targets.extend(self.principals(i, "roles", "role"));
                    targets.extend(self.principals(i, "users", "user"));
                    targets.extend(self.principals(i, "groups", "group"));
                } else {
                    let word = kind
                        .trim_start_matches("aws_iam_")
                        .split('_')
                        .next()
                        .unwrap_or("role");
                    targets.extend(self.principals(i, word, word));
                }
                for target in targets {
                    if let Some(common) = self.load.inventory.principal_mut(&target) {
                        common
                            .attached_policies
                            .push(AttachedPolicy::new(policy_arn.as_str()));
                    }
                }
            }
            "aws_iam_instance_profile" => {
                let Some(profile) = self.identities.get(&i.address).map(|id| id.arn.clone()) else {
                    return;
                };
                let roles = self.principals(i, "role", "role");
                if let Some(Entity::InstanceProfile(n)) = self.load.inventory.get(&profile) {
                    self.load.inventory.instance_profiles[n].roles.extend(roles);
                }
            }
            "aws_iam_group_membership" => {
                let groups = self.principals(i, "group", "group");
                let users = self.principals(i, "users", "user");
                self.add_memberships(&users, &groups);
            }
            "aws_iam_user_group_membership" => {
                let users = self.principals(i, "user", "user");
                let groups = self.principals(i, "groups", "group");
                self.add_memberships(&users, &groups);
            }
            "aws_iam_access_key" => {
                let status = i.text("status");
                for user in self.principals(i, "user", "user") {
                    if let Some(Entity::User(n)) = self.load.inventory.get(&user) {
                        let keys = self.load.inventory.users[n]
                            .access_keys
                            .get_or_insert_with(Vec::new);
                        keys.push(AccessKey {
                            id: i.text("id"),
                            status: status.clone(),
                        });
                    }
                }
            }
            "aws_s3_bucket_policy"
            | "aws_kms_key"
            | "aws_sqs_queue_policy"
            | "aws_sns_topic_policy" => {
                let resource = match kind {
                    "aws_s3_bucket_policy" => i
                        .text("bucket")
                        .map(|b| format!("arn:{}:s3:::{b}", self.load.options.partition)),
                    "aws_kms_key" => i.text("arn"),
                    "aws_sqs_queue_policy" => i.text("queue_url"),
                    _ => i.text("arn"),
                }
                .unwrap_or_else(|| format!("`{}`", i.address));
                if kind == "aws_kms_key" && i.attr("policy").is_none() {
                    return;
                }
                let Some(document) =
                    self.document(i, "policy", i.address.clone(), PolicyKind::Resource)
                else {
                    return;
                };
                self.load.inventory.push_resource_policy(ResourcePolicy {
                    resource,
                    resource_type: kind.to_owned(),
                    account_id: Some(self.load.options.account().to_owned()),
                    document,
                });
            }
            _ => {}
        }
    }

    fn add_memberships(&mut self, users: &[String], groups: &[String]) {
        let group_names: Vec<String> = groups
            .iter()
            .filter_map(|g| g.rsplit('/').next().map(str::to_owned))
            .collect();
        for user in users {
            if let Some(Entity::User(n)) = self.load.inventory.get(user) {
                let list = &mut self.load.inventory.users[n].groups;
                for g in &group_names {
                    if !list.contains(g) {
                        list.push(g.clone());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_lose_instance_keys() {
        assert_eq!(
            base_address(r#"module.a[0].aws_iam_role.x["k]"]"#),
            "module.a.aws_iam_role.x"
        );
        assert_eq!(module_prefix("module.a.aws_iam_role.x"), "module.a.");
        assert_eq!(module_prefix("aws_iam_role.x"), "");
    }
}
