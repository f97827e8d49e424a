//! Admin-equivalent principals: those holding an identity policy that
//! allows every action on every resource, tested as the `admin-access`
//! rule tests a statement ([`document_grants_everything`]), and not held
//! back by a permissions boundary that grants less.

use std::collections::HashMap;

use crate::inventory::{AttachedPolicy, Inventory, PrincipalCommon};
use crate::lint::DocumentContext;
use crate::lint::RuleSettings;
use crate::lint::rules::helpers::document_grants_everything;
use crate::policy::{PolicyDocument, PolicyKind};

/// The AWS managed policy that grants everything; often attached without
/// the inventory holding its document.
const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// Why a principal is admin-equivalent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminGrant {
    /// The policy granting everything: a managed policy ARN or an inline
    /// policy's name.
    pub policy: String,
}

/// Answers, once per managed policy, whether a document grants everything.
struct Judge<'i> {
    inventory: &'i Inventory,
    settings: RuleSettings,
    managed: HashMap<&'i str, bool>,
}

impl<'i> Judge<'i> {
    fn document(&self, doc: &PolicyDocument) -> bool {
        document_grants_everything(&DocumentContext::new(
            doc,
            PolicyKind::Identity,
            &self.settings,
        ))
    }

    /// Whether the managed policy `arn` grants everything; `None` when the
    /// inventory does not hold it (and it is not `AdministratorAccess`).
    fn managed(&mut self, arn: &'i str) -> Option<bool> {
        if arn == ADMINISTRATOR_ACCESS {
            return Some(true);
        }
        if let Some(known) = self.managed.get(arn) {
            return Some(*known);
        }
        let policy = self.inventory.managed_policy(arn)?;
        let grants = policy.document.as_deref().is_some_and(|d| self.document(d));
        self.managed.insert(arn, grants);
        Some(grants)
    }

    /// The policy of `common` that grants everything, if any.
    fn grant(&mut self, common: &'i PrincipalCommon) -> Option<AdminGrant> {
        if let Some(inline) = common
            .inline_policies
            .iter()
            .find(|p| self.document(&p.document))
        {
            return Some(AdminGrant {
                policy: format!("inline policy {}", inline.name),
            });
        }
        self.attached(&common.attached_policies)
    }

    fn attached(&mut self, attached: &'i [AttachedPolicy]) -> Option<AdminGrant> {
        attached
            .iter()
            .find(|a| self.managed(&a.arn) == Some(true))
            .map(|a| AdminGrant {
                policy: a.arn.to_string(),
            })
    }

    /// Whether a permissions boundary lets everything through: none set,
    /// or one known to grant everything.
    fn boundary_allows(&mut self, boundary: Option<&'i String>) -> bool {
        boundary.is_none_or(|arn| self.managed(arn) == Some(true))
    }
}

/// Every admin-equivalent user and role, by ARN, with the policy that
/// makes it so (a user's groups' policies count).
pub fn admins(inventory: &Inventory) -> Vec<(String, AdminGrant)> {
    let mut judge = Judge {
        inventory,
        settings: RuleSettings::default(),
        managed: HashMap::new(),
    };
    let mut out = Vec::new();
    for role in inventory.roles() {
        if !judge.boundary_allows(role.permissions_boundary.as_ref()) {
            continue;
        }
        if let Some(grant) = judge.grant(&role.common) {
            out.push((role.common.arn.clone(), grant));
        }
    }
    for user in inventory.users() {
        if !judge.boundary_allows(user.permissions_boundary.as_ref()) {
            continue;
        }
        let grant = judge.grant(&user.common).or_else(|| {
            inventory.user_groups(user).find_map(|g| {
                judge.grant(&g.common).map(|grant| AdminGrant {
                    policy: format!("{} (group {})", grant.policy, g.common.name),
                })
            })
        });
        if let Some(grant) = grant {
            out.push((user.common.arn.clone(), grant));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{InputSpec, LoadOptions, load};

    fn inventory(json: &str) -> Inventory {
        load(
            &[InputSpec::Text {
                name: "auth.json".into(),
                text: json.into(),
            }],
            &LoadOptions::default(),
        )
        .inventory
    }

    #[test]
    fn admins_are_found_through_inline_managed_and_group_policies() {
        let everything = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let some = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let json = format!(
            r#"{{"UserDetailList":[
                {{"UserName":"ops","Arn":"arn:aws:iam::111122223333:user/ops","GroupList":["admins"],"UserPolicyList":[],"AttachedManagedPolicies":[]}},
                {{"UserName":"dev","Arn":"arn:aws:iam::111122223333:user/dev","GroupList":[],"UserPolicyList":[{{"PolicyName":"read","PolicyDocument":{some}}}],"AttachedManagedPolicies":[]}}],
              "GroupDetailList":[{{"GroupName":"admins","Arn":"arn:aws:iam::111122223333:group/admins","GroupPolicyList":[],"AttachedManagedPolicies":[{{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}]}}],
              "RoleDetailList":[
                {{"RoleName":"Admin","Arn":"arn:aws:iam::111122223333:role/Admin","AssumeRolePolicyDocument":{trust},"RolePolicyList":[{{"PolicyName":"all","PolicyDocument":{everything}}}],"AttachedManagedPolicies":[]}},
                {{"RoleName":"Bounded","Arn":"arn:aws:iam::111122223333:role/Bounded","AssumeRolePolicyDocument":{trust},"RolePolicyList":[{{"PolicyName":"all","PolicyDocument":{everything}}}],"AttachedManagedPolicies":[],"PermissionsBoundary":{{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"arn:aws:iam::111122223333:policy/limit"}}}}],
              "Policies":[]}}"#
        );
        let inv = inventory(&json);
        assert_eq!(inv.roles().len(), 2, "fixture loads");
        let found = admins(&inv);
        let arns: Vec<&str> = found.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            arns,
            [
                "arn:aws:iam::111122223333:role/Admin",
                "arn:aws:iam::111122223333:user/ops"
            ]
        );
        assert_eq!(found[0].1.policy, "inline policy all");
        assert_eq!(
            found[1].1.policy,
            "arn:aws:iam::aws:policy/AdministratorAccess (group admins)"
        );
    }
}
