//! IAM answers written back as the JSON the AWS API describes (field names
//! as in the IAM API reference), so a snapshot reads like
//! `aws iam get-account-authorization-details` output. Policy documents stay
//! as AWS returns them (URL-encoded); dates are ISO 8601 in UTC; absent
//! fields are left out, empty lists kept.

use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use aws_sdk_iam::primitives::DateTime;
use aws_sdk_iam::types::{
    AttachedPermissionsBoundary, AttachedPolicy, GroupDetail, InstanceProfile, ManagedPolicyDetail,
    PolicyDetail, PolicyVersion, Role, RoleDetail, RoleLastUsed, Tag, UserDetail,
};
use serde_json::{Map, Value};

use super::credentials::iso8601;

/// A JSON object that leaves out absent fields.
#[derive(Default)]
struct Obj(Map<String, Value>);

impl Obj {
    fn str(mut self, key: &str, value: Option<&str>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.into(), Value::String(v.to_owned()));
        }
        self
    }

    fn int(mut self, key: &str, value: Option<i32>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.into(), Value::from(v));
        }
        self
    }

    fn bool(mut self, key: &str, value: bool) -> Self {
        self.0.insert(key.into(), Value::Bool(value));
        self
    }

    fn date(self, key: &str, value: Option<&DateTime>) -> Self {
        let text = value.map(iso8601);
        self.str(key, text.as_deref())
    }

    fn obj(mut self, key: &str, value: Option<Value>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.into(), v);
        }
        self
    }

    fn list<T>(mut self, key: &str, items: Option<&Vec<T>>, each: impl Fn(&T) -> Value) -> Self {
        if let Some(items) = items {
            self.0
                .insert(key.into(), Value::Array(items.iter().map(each).collect()));
        }
        self
    }

    fn strings(self, key: &str, items: Option<&Vec<String>>) -> Self {
        self.list(key, items, |s| Value::String(s.clone()))
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// The merged pages of GetAccountAuthorizationDetails as one answer.
pub(crate) fn authorization_details(pages: &[GetAccountAuthorizationDetailsOutput]) -> Value {
    fn all<T: Clone>(
        pages: &[GetAccountAuthorizationDetailsOutput],
        field: impl Fn(&GetAccountAuthorizationDetailsOutput) -> Option<&Vec<T>>,
    ) -> Vec<T> {
        pages.iter().filter_map(&field).flatten().cloned().collect()
    }
    let users = all(pages, |p| p.user_detail_list.as_ref());
    let groups = all(pages, |p| p.group_detail_list.as_ref());
    let roles = all(pages, |p| p.role_detail_list.as_ref());
    let policies = all(pages, |p| p.policies.as_ref());
    Obj::default()
        .list("UserDetailList", Some(&users), user_detail)
        .list("GroupDetailList", Some(&groups), group_detail)
        .list("RoleDetailList", Some(&roles), role_detail)
        .list("Policies", Some(&policies), managed_policy_detail)
        .bool("IsTruncated", false)
        .done()
}

/// The merged pages of ListRoles as one answer.
pub(crate) fn list_roles(roles: &[Role]) -> Value {
    Obj::default()
        .list("Roles", Some(&roles.to_vec()), role)
        .bool("IsTruncated", false)
        .done()
}

fn user_detail(u: &UserDetail) -> Value {
    Obj::default()
        .str("Path", u.path.as_deref())
        .str("UserName", u.user_name.as_deref())
        .str("UserId", u.user_id.as_deref())
        .str("Arn", u.arn.as_deref())
        .date("CreateDate", u.create_date.as_ref())
        .list("UserPolicyList", u.user_policy_list.as_ref(), policy_detail)
        .strings("GroupList", u.group_list.as_ref())
        .list(
            "AttachedManagedPolicies",
            u.attached_managed_policies.as_ref(),
            attached_policy,
        )
        .obj(
            "PermissionsBoundary",
            u.permissions_boundary.as_ref().map(boundary),
        )
        .list("Tags", u.tags.as_ref(), tag)
        .done()
}

fn group_detail(g: &GroupDetail) -> Value {
    Obj::default()
        .str("Path", g.path.as_deref())
        .str("GroupName", g.group_name.as_deref())
        .str("GroupId", g.group_id.as_deref())
        .str("Arn", g.arn.as_deref())
        .date("CreateDate", g.create_date.as_ref())
        .list(
            "GroupPolicyList",
            g.group_policy_list.as_ref(),
            policy_detail,
        )
        .list(
            "AttachedManagedPolicies",
            g.attached_managed_policies.as_ref(),
            attached_policy,
        )
        .done()
}

fn role_detail(r: &RoleDetail) -> Value {
    Obj::default()
        .str("Path", r.path.as_deref())
        .str("RoleName", r.role_name.as_deref())
        .str("RoleId", r.role_id.as_deref())
        .str("Arn", r.arn.as_deref())
        .date("CreateDate", r.create_date.as_ref())
        .str(
            "AssumeRolePolicyDocument",
            r.assume_role_policy_document.as_deref(),
        )
        .list(
            "InstanceProfileList",
            r.instance_profile_list.as_ref(),
            instance_profile,
        )
        .list("RolePolicyList", r.role_policy_list.as_ref(), policy_detail)
        .list(
            "AttachedManagedPolicies",
            r.attached_managed_policies.as_ref(),
            attached_policy,
        )
        .obj(
            "PermissionsBoundary",
            r.permissions_boundary.as_ref().map(boundary),
        )
        .list("Tags", r.tags.as_ref(), tag)
        .obj("RoleLastUsed", r.role_last_used.as_ref().map(last_used))
        .done()
}

fn role(r: &Role) -> Value {
    Obj::default()
        .str("Path", Some(&r.path))
        .str("RoleName", Some(&r.role_name))
        .str("RoleId", Some(&r.role_id))
        .str("Arn", Some(&r.arn))
        .date("CreateDate", Some(&r.create_date))
        .str(
            "AssumeRolePolicyDocument",
            r.assume_role_policy_document.as_deref(),
        )
        .str("Description", r.description.as_deref())
        .int("MaxSessionDuration", r.max_session_duration)
        .obj(
            "PermissionsBoundary",
            r.permissions_boundary.as_ref().map(boundary),
        )
        .list("Tags", r.tags.as_ref(), tag)
        .obj("RoleLastUsed", r.role_last_used.as_ref().map(last_used))
        .done()
}

fn instance_profile(p: &InstanceProfile) -> Value {
    Obj::default()
        .str("Path", Some(&p.path))
        .str("InstanceProfileName", Some(&p.instance_profile_name))
        .str("InstanceProfileId", Some(&p.instance_profile_id))
        .str("Arn", Some(&p.arn))
        .date("CreateDate", Some(&p.create_date))
        .list("Roles", Some(&p.roles), role)
        .list("Tags", p.tags.as_ref(), tag)
        .done()
}

fn managed_policy_detail(p: &ManagedPolicyDetail) -> Value {
    Obj::default()
        .str("PolicyName", p.policy_name.as_deref())
        .str("PolicyId", p.policy_id.as_deref())
        .str("Arn", p.arn.as_deref())
        .str("Path", p.path.as_deref())
        .str("DefaultVersionId", p.default_version_id.as_deref())
        .int("AttachmentCount", p.attachment_count)
        .int(
            "PermissionsBoundaryUsageCount",
            p.permissions_boundary_usage_count,
        )
        .bool("IsAttachable", p.is_attachable)
        .str("Description", p.description.as_deref())
        .date("CreateDate", p.create_date.as_ref())
        .date("UpdateDate", p.update_date.as_ref())
        .list(
            "PolicyVersionList",
            p.policy_version_list.as_ref(),
            policy_version,
        )
        .done()
}

fn policy_version(v: &PolicyVersion) -> Value {
    Obj::default()
        .str("Document", v.document.as_deref())
        .str("VersionId", v.version_id.as_deref())
        .bool("IsDefaultVersion", v.is_default_version)
        .date("CreateDate", v.create_date.as_ref())
        .done()
}

fn policy_detail(p: &PolicyDetail) -> Value {
    Obj::default()
        .str("PolicyName", p.policy_name.as_deref())
        .str("PolicyDocument", p.policy_document.as_deref())
        .done()
}

fn attached_policy(p: &AttachedPolicy) -> Value {
    Obj::default()
        .str("PolicyName", p.policy_name.as_deref())
        .str("PolicyArn", p.policy_arn.as_deref())
        .done()
}

fn boundary(b: &AttachedPermissionsBoundary) -> Value {
    Obj::default()
        .str(
            "PermissionsBoundaryType",
            b.permissions_boundary_type.as_ref().map(|t| t.as_str()),
        )
        .str(
            "PermissionsBoundaryArn",
            b.permissions_boundary_arn.as_deref(),
        )
        .done()
}

fn tag(t: &Tag) -> Value {
    Obj::default()
        .str("Key", Some(&t.key))
        .str("Value", Some(&t.value))
        .done()
}

fn last_used(l: &RoleLastUsed) -> Value {
    Obj::default()
        .date("LastUsedDate", l.last_used_date.as_ref())
        .str("Region", l.region.as_deref())
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_iam::types::PermissionsBoundaryAttachmentType;

    fn page(roles: Vec<RoleDetail>, truncated: bool) -> GetAccountAuthorizationDetailsOutput {
        GetAccountAuthorizationDetailsOutput::builder()
            .set_role_detail_list(Some(roles))
            .set_user_detail_list(Some(vec![]))
            .is_truncated(truncated)
            .build()
    }

    #[test]
    fn pages_merge_in_order_and_documents_stay_encoded() {
        let doc = "%7B%22Version%22%3A%222012-10-17%22%7D";
        let r1 = RoleDetail::builder()
            .role_name("a")
            .arn("arn:aws:iam::123456789012:role/a")
            .assume_role_policy_document(doc)
            .create_date(DateTime::from_secs(1_700_000_000))
            .permissions_boundary(
                AttachedPermissionsBoundary::builder()
                    .permissions_boundary_type(PermissionsBoundaryAttachmentType::Policy)
                    .permissions_boundary_arn("arn:aws:iam::123456789012:policy/b")
                    .build(),
            )
            .build();
        let r2 = RoleDetail::builder().role_name("b").build();
        let json = authorization_details(&[page(vec![r1], true), page(vec![r2], false)]);
        let roles = json["RoleDetailList"].as_array().unwrap();
        assert_eq!(roles.len(), 2);
        assert_eq!(roles[0]["RoleName"], "a");
        assert_eq!(roles[1]["RoleName"], "b");
        assert_eq!(roles[0]["AssumeRolePolicyDocument"], doc);
        assert_eq!(roles[0]["CreateDate"], "2023-11-14T22:13:20Z");
        assert_eq!(
            roles[0]["PermissionsBoundary"]["PermissionsBoundaryType"],
            "PermissionsBoundaryPolicy"
        );
        assert!(roles[1].get("AssumeRolePolicyDocument").is_none());
        assert_eq!(json["IsTruncated"], false);
        assert_eq!(json["UserDetailList"], serde_json::json!([]));
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "UserDetailList",
                "GroupDetailList",
                "RoleDetailList",
                "Policies",
                "IsTruncated"
            ]
        );
    }

    #[test]
    fn list_roles_keeps_max_session_duration() {
        let role = Role::builder()
            .path("/")
            .role_name("r")
            .role_id("AROAEXAMPLE")
            .arn("arn:aws:iam::123456789012:role/r")
            .create_date(DateTime::from_secs(0))
            .max_session_duration(7200)
            .build()
            .unwrap();
        let json = list_roles(&[role]);
        assert_eq!(json["Roles"][0]["MaxSessionDuration"], 7200);
        assert_eq!(json["Roles"][0]["CreateDate"], "1970-01-01T00:00:00Z");
    }
}
