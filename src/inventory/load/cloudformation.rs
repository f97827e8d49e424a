//! CloudFormation templates (JSON, or YAML with short-form tags): IAM
//! resources and the resource policies of common services, with every
//! policy's spans in the template itself.
//!
//! Property names follow the CloudFormation resource reference
//! (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_IAM.html).

use std::sync::Arc;

use super::intrinsics::{Identity, Resolver};
use super::{FileLoad, LoadIssue};
use crate::inventory::index::provider_from_arn;
use crate::inventory::model::*;
use crate::policy::{Origin, PolicyDocument, PolicyKind, build_policy};
use crate::source::Span;
use crate::value::{Member, Value, ValueKind};

pub(crate) fn load(load: &mut FileLoad<'_>, root: &Value) {
    if let Some(transform) = root.get("Transform") {
        let names: Vec<String> = match &transform.kind {
            ValueKind::String(s) => vec![s.clone()],
            ValueKind::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        for name in names {
            load.problem(
                Some(transform.span),
                "Transform",
                LoadIssue::UnsupportedTransform(name),
            );
        }
    }
    let Some(resources) = root.get("Resources").and_then(Value::as_object) else {
        load.problem(
            Some(root.span),
            "Resources",
            LoadIssue::Shape("the template has no `Resources` object".into()),
        );
        return;
    };
    let resolver = Resolver::new(root, load.options);
    let mut template = Template {
        load,
        resolver: &resolver,
    };
    let live: Vec<&Member> = resources
        .iter()
        .filter(|m| !resolver.condition_false(&m.value))
        .collect();
    // Principals and managed policies first, so that policies and
    // attachments declared anywhere find them.
    for member in &live {
        template.declare(&member.key, &member.value);
    }
    for member in &live {
        template.relate(&member.key, &member.value);
    }
    for problem in resolver.take_problems() {
        template
            .load
            .problem(Some(problem.span), problem.path, problem.issue);
    }
}

struct Template<'l, 'o, 'r, 't> {
    load: &'l mut FileLoad<'o>,
    resolver: &'r Resolver<'t>,
}

fn text_of(value: &Value) -> Option<String> {
    match &value.kind {
        ValueKind::String(s) | ValueKind::Number(s) => Some(s.clone()),
        _ => None,
    }
}

impl Template<'_, '_, '_, '_> {
    fn resource_type<'v>(&self, resource: &'v Value) -> Option<&'v str> {
        resource.get("Type").and_then(Value::as_str)
    }

    fn prop(&self, id: &str, key: &str) -> Option<Value> {
        self.resolver.property(id, key)
    }

    fn prop_text(&self, id: &str, key: &str) -> Option<String> {
        self.prop(id, key).as_ref().and_then(text_of)
    }

    fn declared(&self, resource: &Value) -> Option<Declared> {
        Some(Declared {
            file: self.load.file.clone(),
            span: resource.span,
        })
    }

    /// A policy document property, resolved, with spans in the template.
    fn document(
        &mut self,
        name: String,
        kind: PolicyKind,
        id: &str,
        key: &str,
    ) -> Option<Arc<PolicyDocument>> {
        let value = self.prop(id, key)?;
        let path = format!("Resources/{id}/Properties/{key}");
        self.document_value(name, kind, &value, &path)
    }

    fn document_value(
        &mut self,
        name: String,
        kind: PolicyKind,
        value: &Value,
        path: &str,
    ) -> Option<Arc<PolicyDocument>> {
        match &value.kind {
            // A policy written as a JSON string in the template.
            ValueKind::String(_) | ValueKind::Unknown(_) => {
                self.load.document(name, kind, value, path)
            }
            _ => Some(Arc::new(PolicyDocument {
                name,
                kind: Some(kind),
                origin: Origin::direct(self.load.file.clone()),
                parsed: build_policy(value),
            })),
        }
    }

    /// Inline `Policies: [{PolicyName, PolicyDocument}]` of a principal.
    fn inline_policies(&mut self, id: &str, label: &str) -> Vec<InlinePolicy> {
        let Some(list) = self.prop(id, "Policies") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, entry) in list.as_array().unwrap_or_default().iter().enumerate() {
            let path = format!("Resources/{id}/Properties/Policies/{i}");
            let name = entry
                .get("PolicyName")
                .and_then(text_of)
                .unwrap_or_else(|| format!("#{i}"));
            let Some(doc) = entry.get("PolicyDocument") else {
                self.load.problem(
                    Some(entry.span),
                    path,
                    LoadIssue::Shape("an inline policy without `PolicyDocument`".into()),
                );
                continue;
            };
            let document = self.document_value(
                format!("{label} inline policy {name}"),
                PolicyKind::Identity,
                doc,
                &format!("{path}/PolicyDocument"),
            );
            if let Some(document) = document {
                out.push(InlinePolicy { name, document });
            }
        }
        out
    }

    /// `ManagedPolicyArns`: known ARNs, and unknown ones by description.
    fn attachments(&self, id: &str) -> Vec<AttachedPolicy> {
        self.prop(id, "ManagedPolicyArns")
            .as_ref()
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| match &v.kind {
                ValueKind::String(s) | ValueKind::Unknown(s) => {
                    Some(AttachedPolicy::new(s.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    fn boundary(&self, id: &str) -> Option<String> {
        self.prop(id, "PermissionsBoundary")
            .and_then(|v| match v.kind {
                ValueKind::String(s) | ValueKind::Unknown(s) => Some(s),
                _ => None,
            })
    }

    fn tags(&self, id: &str) -> Vec<Tag> {
        self.prop(id, "Tags")
            .as_ref()
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|t| {
                Some(Tag {
                    key: t.get("Key").and_then(text_of)?,
                    value: t.get("Value").and_then(text_of).unwrap_or_default(),
                })
            })
            .collect()
    }

    fn common(
        &mut self,
        id: &str,
        identity: &Identity,
        kind: &str,
        resource: &Value,
    ) -> PrincipalCommon {
        let label = format!("{kind}/{}", identity.name);
        PrincipalCommon {
            arn: identity.arn.clone(),
            account_id: self.resolver.account().to_owned(),
            name: identity.name.clone(),
            path: identity.path.clone(),
            id: None,
            generated_name: identity.generated,
            inline_policies: self.inline_policies(id, &label),
            attached_policies: self.attachments(id),
            declared: self.declared(resource),
        }
    }

    fn declare(&mut self, id: &str, resource: &Value) {
        let Some(resource_type) = self.resource_type(resource) else {
            self.load.problem(
                Some(resource.span),
                format!("Resources/{id}"),
                LoadIssue::Shape("a resource without `Type`".into()),
            );
            return;
        };
        let resolver = self.resolver;
        match resource_type {
            "AWS::IAM::Role" => {
                let Some(identity) = resolver.identity(id) else {
                    return;
                };
                let common = self.common(id, &identity, "role", resource);
                let trust_policy = self.document(
                    format!("role/{} trust policy", identity.name),
                    PolicyKind::Trust,
                    id,
                    "AssumeRolePolicyDocument",
                );
                if trust_policy.is_none() && self.prop(id, "AssumeRolePolicyDocument").is_none() {
                    self.load.problem(
                        Some(resource.span),
                        format!("Resources/{id}/Properties"),
                        LoadIssue::Shape("a role without `AssumeRolePolicyDocument`".into()),
                    );
                }
                let max_session_duration = match self.prop(id, "MaxSessionDuration") {
                    None => Some(DEFAULT_MAX_SESSION_DURATION),
                    Some(v) => text_of(&v).and_then(|s| s.parse().ok()),
                };
                let role = Role {
                    common,
                    trust_policy,
                    permissions_boundary: self.boundary(id),
                    max_session_duration,
                    tags: self.tags(id),
                    instance_profiles: Vec::new(),
                };
                let pushed = self.load.inventory.push_role(role);
                self.push(id, pushed);
            }
            "AWS::IAM::User" => {
                let Some(identity) = resolver.identity(id) else {
                    return;
                };
                let common = self.common(id, &identity, "user", resource);
                let groups = self
                    .prop(id, "Groups")
                    .as_ref()
                    .and_then(Value::as_array)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(group_name)
                    .collect();
                let user = User {
                    common,
                    groups,
                    permissions_boundary: self.boundary(id),
                    access_keys: Some(Vec::new()),
                    mfa_devices: Vec::new(),
                    mfa_active: None,
                    tags: self.tags(id),
                };
                let pushed = self.load.inventory.push_user(user);
                self.push(id, pushed);
            }
            "AWS::IAM::Group" => {
                let Some(identity) = resolver.identity(id) else {
                    return;
                };
                let common = self.common(id, &identity, "group", resource);
                let pushed = self.load.inventory.push_group(Group { common });
                self.push(id, pushed);
            }
            "AWS::IAM::ManagedPolicy" => {
                let Some(identity) = resolver.identity(id) else {
                    return;
                };
                let document = self.document(
                    identity.arn.clone(),
                    PolicyKind::Identity,
                    id,
                    "PolicyDocument",
                );
                self.load.inventory.push_managed_policy(ManagedPolicy {
                    arn: identity.arn.clone(),
                    account_id: resolver.account().to_owned(),
                    name: identity.name.clone(),
                    path: identity.path.clone(),
                    default_version: None,
                    document,
                    declared: self.declared(resource),
                    usage: PolicyUsage::default(),
                });
            }
            "AWS::IAM::InstanceProfile" => {
                let Some(identity) = resolver.identity(id) else {
                    return;
                };
                let roles = self
                    .prop(id, "Roles")
                    .as_ref()
                    .and_then(Value::as_array)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| self.role_arn(r))
                    .collect();
                self.load.inventory.push_instance_profile(InstanceProfile {
                    arn: identity.arn.clone(),
                    account_id: resolver.account().to_owned(),
                    name: identity.name.clone(),
                    path: identity.path.clone(),
                    roles,
                    declared: self.declared(resource),
                });
            }
            "AWS::IAM::OIDCProvider" | "AWS::IAM::SAMLProvider" => {
                let (word, name) = if resource_type == "AWS::IAM::OIDCProvider" {
                    let url = self.prop_text(id, "Url");
                    (
                        "oidc-provider",
                        url.map(|u| u.trim_start_matches("https://").to_owned()),
                    )
                } else {
                    ("saml-provider", self.prop_text(id, "Name"))
                };
                let name = name.unwrap_or_else(|| id.to_owned());
                let arn = format!(
                    "arn:{}:iam::{}:{word}/{name}",
                    resolver.partition(),
                    resolver.account()
                );
                if let Some(provider) = provider_from_arn(&arn) {
                    self.load.inventory.push_provider(IdentityProvider {
                        inferred: false,
                        declared: self.declared(resource),
                        ..provider
                    });
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, id: &str, result: Result<(), crate::inventory::index::Duplicate>) {
        if let Err(d) = result {
            self.load
                .problem(None, format!("Resources/{id}"), LoadIssue::Duplicate(d.arn));
        }
    }

    /// The ARN of a role named by a resolved value: a template role's name
    /// or generated-name ARN, or a role outside the template by name.
    fn role_arn(&self, value: &Value) -> Option<String> {
        self.principal_arn(value, "role")
    }

    fn principal_arn(&self, value: &Value, word: &str) -> Option<String> {
        let inventory = &self.load.inventory;
        match &value.kind {
            ValueKind::Unknown(arn) if inventory.get(arn).is_some() => Some(arn.clone()),
            ValueKind::String(name) if name.starts_with("arn:") => Some(name.clone()),
            ValueKind::String(name) => {
                let found = match word {
                    "role" => inventory
                        .roles
                        .iter()
                        .map(|r| &r.common)
                        .find(|c| &c.name == name),
                    "user" => inventory
                        .users
                        .iter()
                        .map(|u| &u.common)
                        .find(|c| &c.name == name),
                    _ => inventory
                        .groups
                        .iter()
                        .map(|g| &g.common)
                        .find(|c| &c.name == name),
                };
                Some(found.map_or_else(
                    || {
                        format!(
                            "arn:{}:iam::{}:{word}/{name}",
                            self.resolver.partition(),
                            self.resolver.account()
                        )
                    },
                    |c| c.arn.clone(),
                ))
            }
            _ => None,
        }
    }

    /// The principals a policy resource names under `key` (`Roles`, `Users`,
    /// `Groups`, or a single `RoleName`/`UserName`/`GroupName`).
    fn targets(&self, id: &str, key: &str, word: &str) -> Vec<String> {
        let Some(value) = self.prop(id, key) else {
            return Vec::new();
        };
        let values = match value.as_array() {
            Some(items) => items.to_vec(),
            None => vec![value],
        };
        values
            .iter()
            .filter_map(|v| self.principal_arn(v, word))
            .collect()
    }

    fn relate(&mut self, id: &str, resource: &Value) {
        let Some(resource_type) = self.resource_type(resource) else {
            return;
        };
        match resource_type {
            "AWS::IAM::Policy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => self.inline_policy_resource(id, resource_type),
            "AWS::IAM::ManagedPolicy" => {
                let Some(identity) = self.resolver.identity(id) else {
                    return;
                };
                let mut targets = self.targets(id, "Roles", "role");
                targets.extend(self.targets(id, "Users", "user"));
                targets.extend(self.targets(id, "Groups", "group"));
                for target in targets {
                    if let Some(common) = self.load.inventory.principal_mut(&target) {
                        common
                            .attached_policies
                            .push(AttachedPolicy::new(identity.arn.as_str()));
                    }
                }
            }
            "AWS::IAM::AccessKey" => {
                let status = self.prop_text(id, "Status");
                for user in self.targets(id, "UserName", "user") {
                    if let Some(crate::inventory::Entity::User(i)) = self.load.inventory.get(&user)
                    {
                        let keys = self.load.inventory.users[i]
                            .access_keys
                            .get_or_insert_with(Vec::new);
                        keys.push(AccessKey {
                            id: None,
                            status: status.clone(),
                        });
                    }
                }
            }
            "AWS::IAM::UserToGroupAddition" => {
                let Some(group) = self.prop(id, "GroupName").as_ref().and_then(group_name) else {
                    return;
                };
                for user in self.targets(id, "Users", "user") {
                    if let Some(crate::inventory::Entity::User(i)) = self.load.inventory.get(&user)
                    {
                        let groups = &mut self.load.inventory.users[i].groups;
                        if !groups.contains(&group) {
                            groups.push(group.clone());
                        }
                    }
                }
            }
            "AWS::S3::BucketPolicy" => {
                let bucket = self.prop(id, "Bucket").map(|b| match b.kind {
                    ValueKind::String(name) if !name.starts_with("arn:") => {
                        format!("arn:{}:s3:::{name}", self.resolver.partition())
                    }
                    ValueKind::String(s) | ValueKind::Unknown(s) => s,
                    _ => format!("bucket of `{id}`"),
                });
                self.resource_policy(id, resource_type, bucket, "PolicyDocument");
            }
            "AWS::SNS::TopicPolicy" => {
                let topics = self.listed(id, "Topics");
                self.resource_policy(id, resource_type, topics, "PolicyDocument");
            }
            "AWS::SQS::QueuePolicy" => {
                let queues = self.listed(id, "Queues");
                self.resource_policy(id, resource_type, queues, "PolicyDocument");
            }
            "AWS::KMS::Key" => self.resource_policy(
                id,
                resource_type,
                Some(format!("KMS key `{id}`")),
                "KeyPolicy",
            ),
            "AWS::Lambda::Permission" => self.lambda_permission(id, resource),
            _ => {}
        }
    }

    fn listed(&self, id: &str, key: &str) -> Option<String> {
        let value = self.prop(id, key)?;
        let items: Vec<String> = value
            .as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(|v| match &v.kind {
                ValueKind::String(s) | ValueKind::Unknown(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        Some(items.join(", "))
    }

    fn resource_policy(
        &mut self,
        id: &str,
        resource_type: &str,
        resource: Option<String>,
        key: &str,
    ) {
        let name = format!("{resource_type} {id}");
        let Some(document) = self.document(name, PolicyKind::Resource, id, key) else {
            return;
        };
        self.load.inventory.push_resource_policy(ResourcePolicy {
            resource: resource.unwrap_or_else(|| format!("`{id}`")),
            resource_type: resource_type.to_owned(),
            account_id: Some(self.resolver.account().to_owned()),
            document,
        });
    }

    fn inline_policy_resource(&mut self, id: &str, resource_type: &str) {
        let name = self
            .prop_text(id, "PolicyName")
            .unwrap_or_else(|| id.to_owned());
        let mut targets = Vec::new();
        if resource_type == "AWS::IAM::Policy" {
            targets.extend(self.targets(id, "Roles", "role"));
            targets.extend(self.targets(id, "Users", "user"));
            targets.extend(self.targets(id, "Groups", "group"));
        } else {
            let (key, word) = match resource_type {
                "AWS::IAM::RolePolicy" => ("RoleName", "role"),
                "AWS::IAM::UserPolicy" => ("UserName", "user"),
                _ => ("GroupName", "group"),
            };
            targets.extend(self.targets(id, key, word));
        }
        let Some(document) = self.document(
            format!("{resource_type} {id} ({name})"),
            PolicyKind::Identity,
            id,
            "PolicyDocument",
        ) else {
            return;
        };
        // A policy for principals outside the template is still checked.
        self.load
            .inventory
            .push_inline_policy(&targets, &name, document);
    }

    /// `AWS::Lambda::Permission` as the one-statement resource policy it adds
    /// to the function (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html).
    fn lambda_permission(&mut self, id: &str, resource: &Value) {
        let Some(props) = resource.get("Properties").and_then(Value::as_object) else {
            return;
        };
        let key_span = |key: &str| props.iter().find(|m| m.key == key).map(|m| m.key_span);
        let member = |key: &str, value: Value, span: Option<Span>| Member {
            key: key.to_owned(),
            key_span: span.unwrap_or(value.span),
            value,
        };
        let resolved = |key: &str| self.prop(id, key);
        let mut statement = vec![
            member("Sid", synthetic_string(id, resource.span), None),
            member("Effect", synthetic_string("Allow", resource.span), None),
        ];
        if let Some(principal) = resolved("Principal") {
            let principal_type = match &principal.kind {
                ValueKind::String(p)
                    if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") =>
                {
                    "Service"
                }
                _ => "AWS",
            };
            let span = principal.span;
            let map = Value {
                span,
                kind: ValueKind::Object(vec![member(principal_type, principal, Some(span))]),
            };
            statement.push(member("Principal", map, key_span("Principal")));
        }
        if let Some(action) = resolved("Action") {
            statement.push(member("Action", action, key_span("Action")));
        }
        if let Some(function) = resolved("FunctionName") {
            let function = match &function.kind {
                ValueKind::String(name) if !name.starts_with("arn:") => {
                    match self.resolver.region() {
                        Some(region) => synthetic_string(
                            &format!(
                                "arn:{}:lambda:{region}:{}:function:{name}",
                                self.resolver.partition(),
                                self.resolver.account()
                            ),
                            function.span,
                        ),
                        None => Value {
                            span: function.span,
                            kind: ValueKind::Unknown(format!("function `{name}`")),
                        },
                    }
                }
                _ => function,
            };
            statement.push(member("Resource", function, key_span("FunctionName")));
        }
        let mut operators = Vec::new();
        for (key, operator, condition_key) in [
            ("SourceArn", "ArnLike", "AWS:SourceArn"),
            ("SourceAccount", "StringEquals", "AWS:SourceAccount"),
            ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        ] {
            if let Some(value) = resolved(key) {
                let span = value.span;
                let entry = Value {
                    span,
                    kind: ValueKind::Object(vec![member(condition_key, value, key_span(key))]),
                };
                operators.push(member(operator, entry, key_span(key)));
            }
        }
        if !operators.is_empty() {
            let span = operators[0].value.span;
            statement.push(member(
                "Condition",
                Value {
                    span,
                    kind: ValueKind::Object(operators),
                },
                None,
            ));
        }
        let document = Value {
            span: resource.span,
            kind: ValueKind::Object(vec![
                member(
                    "Version",
                    synthetic_string("2012-10-17", resource.span),
                    None,
                ),
                member(
                    "Statement",
                    Value {
                        span: resource.span,
                        kind: ValueKind::Array(vec![Value {
                            span: resource.span,
                            kind: ValueKind::Object(statement),
                        }]),
                    },
                    None,
                ),
            ]),
        };
        let function = resolved("FunctionName")
            .and_then(|v| match v.kind {
                ValueKind::String(s) | ValueKind::Unknown(s) => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| format!("function of `{id}`"));
        self.load.inventory.push_resource_policy(ResourcePolicy {
            resource: function,
            resource_type: "AWS::Lambda::Permission".into(),
            account_id: Some(self.resolver.account().to_owned()),
            document: Arc::new(PolicyDocument {
                name: format!("AWS::Lambda::Permission {id}"),
                kind: Some(PolicyKind::Resource),
                origin: Origin::direct(self.load.file.clone()),
                parsed: build_policy(&document),
            }),
        });
    }
}

fn synthetic_string(text: &str, span: Span) -> Value {
    Value {
        span,
        kind: ValueKind::String(text.to_owned()),
    }
}

/// A group named by a resolved value (a name, or a template group's
/// generated-name ARN).
fn group_name(value: &Value) -> Option<String> {
    match &value.kind {
        ValueKind::String(s) => Some(s.clone()),
        ValueKind::Unknown(arn) if arn.contains(":group/") => {
            arn.rsplit('/').next().map(str::to_owned)
        }
        _ => None,
    }
}
