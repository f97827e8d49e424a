//! The static side of `rolecall probe`: the trust graph says which roles the
//! caller can assume directly, and its diagnosis (`why`) predicts AWS's
//! answer for each request, with what the inputs may be missing should AWS
//! answer otherwise.

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::assume::{AssumeRoleRequest, CallerIdentity};
use super::probe::{Hint, HintKind, Prediction, Predictor, Verdict};
use crate::eval::Principal;
use crate::graph::{
    BuildOptions, CheckStatus, Diagnoser, Diagnosis, EdgeCondition, EdgeKind, Graph, NodeKind,
    WhyRequest, build,
};
use crate::inventory::{Entity, Inventory, OrgPolicyType};

/// Predicts from an inventory: its who-can-assume graph and `why`.
pub struct StaticPredictor<'i> {
    diagnoser: Diagnoser<'i>,
    graph: Graph,
}

impl std::fmt::Debug for StaticPredictor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticPredictor").finish_non_exhaustive()
    }
}

/// The context keys a probe sets from the request it really sends; any
/// other key a condition tests is one rolecall could not see.
fn seen_keys(mfa: bool) -> &'static [&'static str] {
    if mfa {
        &[
            "sts:ExternalId",
            "sts:RoleSessionName",
            "aws:MultiFactorAuthPresent",
            "aws:MultiFactorAuthAge",
        ]
    } else {
        // Without `--mfa-serial` the caller's own credentials may still
        // carry MFA: the MFA keys stay unseen.
        &["sts:ExternalId", "sts:RoleSessionName"]
    }
}

impl<'i> StaticPredictor<'i> {
    /// Builds the graph of the inventory.
    pub fn new(inventory: &'i Inventory) -> Self {
        Self {
            diagnoser: Diagnoser::new(inventory),
            graph: build(inventory, &BuildOptions::default()),
        }
    }

    /// The graph node of the identity GetCallerIdentity returned: a user or
    /// role (a role session is its role), or a principal outside the
    /// inventory that the graph names.
    fn caller_node(&self, arn: &str) -> Option<NodeIndex> {
        let inventory = self.diagnoser.inventory();
        match inventory.get(arn) {
            Some(Entity::User(i)) => return self.graph.find(&inventory.users()[i].common.arn),
            Some(Entity::Role(i)) => return self.graph.find(&inventory.roles()[i].common.arn),
            _ => {}
        }
        match Principal::parse(arn, None).ok()? {
            Principal::RoleSession {
                account, role_name, ..
            } => inventory
                .roles()
                .iter()
                .find(|r| r.common.account_id == account && r.common.name == role_name)
                .and_then(|r| self.graph.find(&r.common.arn)),
            Principal::Root { account } => self.graph.find(&format!("arn:aws:iam::{account}:root")),
            _ => self.graph.find(arn),
        }
    }

    /// The conditions on the caller's `assume` edges to the role whose keys
    /// rolecall could not see, by key.
    fn unseen_conditions(
        &self,
        caller: &CallerIdentity,
        role: &str,
        mfa: bool,
    ) -> BTreeMap<String, Vec<&EdgeCondition>> {
        let mut unseen: BTreeMap<String, Vec<&EdgeCondition>> = BTreeMap::new();
        let (Some(from), Some(to)) = (self.caller_node(&caller.arn), self.graph.find(role)) else {
            return unseen;
        };
        let seen = seen_keys(mfa);
        for edge in self.graph.petgraph().edges_connecting(from, to) {
            if edge.weight().kind != EdgeKind::Assume {
                continue;
            }
            for c in &edge.weight().conditions {
                if !seen.iter().any(|k| k.eq_ignore_ascii_case(&c.key)) {
                    unseen.entry(c.key.clone()).or_default().push(c);
                }
            }
        }
        unseen
    }

    /// What the inputs may be missing, should AWS answer otherwise than
    /// `diagnosis` predicts.
    fn blind_spots(
        &self,
        caller: &CallerIdentity,
        request: &AssumeRoleRequest,
        mfa: bool,
        diagnosis: &Diagnosis,
    ) -> Vec<Hint> {
        let mut hints = Vec::new();
        if diagnosis.allowed {
            hints.extend(self.organization_gaps(caller, request));
        } else {
            hints.push(Hint::new(
                HintKind::StaleSnapshot,
                "the snapshot may be stale: a policy that allows it may have been added since it was fetched",
            ));
        }
        for (key, conditions) in self.unseen_conditions(caller, request.role.as_str(), mfa) {
            let statements: Vec<String> = conditions
                .iter()
                .map(|c| {
                    format!(
                        "`{}` {} in statement {} of `{}`",
                        c.operator,
                        if c.effect == "Deny" {
                            "(deny)"
                        } else {
                            "(allow)"
                        },
                        c.statement,
                        c.policy
                    )
                })
                .collect();
            hints.push(Hint::new(
                HintKind::UnseenContext,
                format!(
                    "a condition on `{key}` depends on request context rolecall could not see: {}",
                    statements.join("; ")
                ),
            ));
        }
        hints.extend(
            diagnosis
                .notes
                .iter()
                .map(|n| Hint::new(HintKind::IncompleteSnapshot, n.clone())),
        );
        if diagnosis.allowed {
            hints.push(Hint::new(
                HintKind::StaleSnapshot,
                "the snapshot may be stale: a trust or identity policy may have changed since it was fetched",
            ));
        }
        hints
    }

    /// SCPs of the caller's account and RCPs of the role's account that the
    /// inventory does not hold.
    fn organization_gaps(&self, caller: &CallerIdentity, request: &AssumeRoleRequest) -> Vec<Hint> {
        let inventory = self.diagnoser.inventory();
        let management = inventory
            .organization()
            .and_then(|o| o.management_account.as_deref());
        let missing = |account: &str, kind: OrgPolicyType| {
            Some(account) != management
                && !account.is_empty()
                && inventory.org_policy_levels(account, kind).is_empty()
        };
        let mut hints = Vec::new();
        if missing(&caller.account, OrgPolicyType::ServiceControl) {
            hints.push(Hint::new(
                HintKind::OrganizationNotFetched,
                format!(
                    "no SCPs of account `{}` were loaded (fetch the organization: organization.json): an SCP may deny `sts:AssumeRole`",
                    caller.account
                ),
            ));
        }
        if missing(request.role.account(), OrgPolicyType::ResourceControl) {
            hints.push(Hint::new(
                HintKind::OrganizationNotFetched,
                format!(
                    "no RCPs of account `{}` were loaded (fetch the organization: organization.json): an RCP may deny access to the role",
                    request.role.account()
                ),
            ));
        }
        hints
    }
}

impl Predictor for StaticPredictor<'_> {
    fn predict(
        &self,
        caller: &CallerIdentity,
        request: &AssumeRoleRequest,
        mfa: bool,
    ) -> Prediction {
        let why = WhyRequest {
            principal: caller.arn.clone(),
            role: request.role.as_str().to_owned(),
            external_id: request.external_id.clone(),
            duration_seconds: request.duration_seconds.and_then(|d| u32::try_from(d).ok()),
            mfa,
            source_ip: None,
            session_name: Some(request.session_name.clone()),
            context: Vec::new(),
        };
        match self.diagnoser.why(&why) {
            Ok(diagnosis) => Prediction {
                verdict: if diagnosis.allowed {
                    Verdict::Allowed
                } else {
                    Verdict::Denied
                },
                blind_spots: self.blind_spots(caller, request, mfa, &diagnosis),
                // For a refusal, the first check that fails says it best.
                reason: diagnosis
                    .checks
                    .iter()
                    .find(|c| c.status == CheckStatus::Fail)
                    .map_or(diagnosis.reason, |c| c.summary.clone()),
                expected_error: diagnosis.aws_error,
            },
            Err(e) => Prediction::unknown(format!("no prediction: {e}")),
        }
    }

    fn reachable(&self, caller: &CallerIdentity) -> (Vec<String>, Vec<String>) {
        let Some(from) = self.caller_node(&caller.arn) else {
            return (
                Vec::new(),
                vec![format!(
                    "`{}` is not in the inputs, so no role is known to be reachable: name the roles with `--role`",
                    caller.arn
                )],
            );
        };
        let g = self.graph.petgraph();
        let mut roles: Vec<String> = g
            .edges_directed(from, Direction::Outgoing)
            .filter(|e| e.weight().kind == EdgeKind::Assume)
            .filter(|e| g[e.target()].kind == NodeKind::Role)
            .map(|e| g[e.target()].id.clone())
            .collect();
        roles.sort();
        roles.dedup();
        let notes = if roles.is_empty() {
            vec![format!(
                "the inputs show no role that `{}` can assume directly",
                caller.arn
            )]
        } else {
            Vec::new()
        };
        (roles, notes)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::graph::testing::dump_inventory;

    const A: &str = "111111111111";

    fn inventory() -> Inventory {
        let doc = |statements: Value| json!({"Version": "2012-10-17", "Statement": statements});
        let role = |name: &str, trust: Value| {
            json!({
                "Path": "/", "RoleName": name, "RoleId": format!("AROA{name}"),
                "Arn": format!("arn:aws:iam::{A}:role/{name}"),
                "AssumeRolePolicyDocument": doc(trust),
                "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [], "RolePolicyList": [],
                "MaxSessionDuration": 3600,
            })
        };
        let alice = format!("arn:aws:iam::{A}:user/alice");
        let dump = json!({
            "UserDetailList": [{
                "Path": "/", "UserName": "alice", "UserId": "AIDAalice", "Arn": alice,
                "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(json!([
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]))}],
                "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
            }],
            "GroupDetailList": [],
            "RoleDetailList": [
                role("Open", json!([{"Effect": "Allow", "Principal": {"AWS": alice}, "Action": "sts:AssumeRole"}])),
                role("FromOffice", json!([{"Sid": "Office", "Effect": "Allow", "Principal": {"AWS": alice}, "Action": "sts:AssumeRole",
                    "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}])),
                role("Elsewhere", json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}])),
            ],
            "Policies": [],
        });
        dump_inventory(A, &dump)
    }

    fn caller(arn: &str) -> CallerIdentity {
        CallerIdentity {
            account: A.into(),
            arn: arn.into(),
            user_id: "AIDAalice".into(),
        }
    }

    fn request(name: &str) -> AssumeRoleRequest {
        AssumeRoleRequest::new(
            &format!("arn:aws:iam::{A}:role/{name}"),
            Some("probe"),
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn reachable_roles_are_those_with_an_assume_edge() {
        let inv = inventory();
        let p = StaticPredictor::new(&inv);
        let (roles, notes) = p.reachable(&caller(&format!("arn:aws:iam::{A}:user/alice")));
        assert_eq!(
            roles,
            [
                format!("arn:aws:iam::{A}:role/FromOffice"),
                format!("arn:aws:iam::{A}:role/Open")
            ]
        );
        assert!(notes.is_empty());
        let (roles, notes) = p.reachable(&caller("arn:aws:sts::123456789012:user/moto"));
        assert!(roles.is_empty());
        assert!(notes[0].contains("is not in the inputs"), "{notes:?}");
        // A session of a role resolves to the role, which reaches nothing.
        let (roles, notes) = p.reachable(&caller(&format!(
            "arn:aws:sts::{A}:assumed-role/Open/session"
        )));
        assert!(roles.is_empty());
        assert!(notes[0].contains("no role that"), "{notes:?}");
    }

    // A trust policy naming the user directly allows it in the same account
    // ("Policy evaluation logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
    // a condition on `aws:SourceIp` cannot hold without the caller's address
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip).
    #[test]
    fn predictions_and_what_they_may_miss() {
        let inv = inventory();
        let p = StaticPredictor::new(&inv);
        let alice = caller(&format!("arn:aws:iam::{A}:user/alice"));

        let open = p.predict(&alice, &request("Open"), false);
        assert_eq!(open.verdict, Verdict::Allowed, "{open:?}");
        let kinds: Vec<HintKind> = open.blind_spots.iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            [
                HintKind::OrganizationNotFetched,
                HintKind::OrganizationNotFetched,
                HintKind::StaleSnapshot
            ]
        );
        assert!(open.blind_spots[0].message.contains("no SCPs of account"));

        let office = p.predict(&alice, &request("FromOffice"), false);
        assert_eq!(office.verdict, Verdict::Denied, "{office:?}");
        assert!(office.expected_error.is_some());
        assert!(
            office
                .reason
                .contains("condition `IpAddress` on `aws:SourceIp` does not hold"),
            "{office:?}"
        );
        let unseen = office
            .blind_spots
            .iter()
            .find(|h| h.kind == HintKind::UnseenContext)
            .unwrap();
        assert!(
            unseen.message.contains("`aws:SourceIp`") && unseen.message.contains("Office"),
            "{unseen:?}"
        );

        let elsewhere = p.predict(&alice, &request("Elsewhere"), false);
        assert_eq!(elsewhere.verdict, Verdict::Denied);
        assert!(
            elsewhere
                .blind_spots
                .iter()
                .all(|h| h.kind != HintKind::UnseenContext),
            "{elsewhere:?}"
        );

        let missing = p.predict(&alice, &request("Missing"), false);
        assert_eq!(missing.verdict, Verdict::Unknown);
        assert!(
            missing.reason.contains("not in the inventory"),
            "{missing:?}"
        );
    }
}
