#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]
//! The who-can-assume graph of every `policies/` scenario, edge by edge.
//!
//! Each edge is written `FROM -KIND-> TO` with its flags (`chained`: a role
//! session assuming a role, capped at one hour; `external`: the source's
//! own policies are outside the inventory) and its conditions (`A` must
//! hold, `D` must not). The sets are exact: an edge too many or too few
//! fails the test.

use rolecall::graph::{BuildOptions, Graph, build};
use rolecall::inventory::{InputSpec, LoadOptions, load};

fn graph(path: &str) -> Graph {
    let outcome = load(&[InputSpec::Path(path.into())], &LoadOptions::default());
    assert!(!outcome.has_fatal(), "{path}: {:?}", outcome.problems);
    build(&outcome.inventory, &BuildOptions { threads: 2 })
}

fn edges(path: &str) -> Vec<String> {
    let g = graph(path);
    assert!(g.problems().is_empty(), "{path}: {:?}", g.problems());
    g.edges()
        .map(|(from, to, e)| {
            let mut s = format!("{} -{}-> {}", from.id, e.kind.name(), to.id);
            if e.chained {
                s.push_str(" chained");
            }
            if e.external {
                s.push_str(" external");
            }
            for c in &e.conditions {
                s.push_str(&format!(
                    " [{} {} {} {}]",
                    &c.effect[..1],
                    c.key,
                    c.operator,
                    c.values.join(",")
                ));
            }
            s
        })
        .collect()
}

fn assert_edges(path: &str, expected: &[&str]) {
    let actual = edges(path);
    assert_eq!(
        actual,
        expected.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        "{path}:\n{}",
        actual.join("\n")
    );
}

const XSOAR_SERVER: &str = "arn:aws:iam::111122223333:role/xsoar-server";
const SOAR_USER: &str = "arn:aws:iam::999999999999:user/test-user";

// XSOAR on EC2: EC2 assumes the server role through its instance profile;
// the server role chains into the three target roles, which trust it and
// which its managed policy's default version lists.
#[test]
fn xsoar_instance_profile() {
    let base = [
        "arn:aws:iam::111122223333:instance-profile/xsoar-server -instance-profile-> arn:aws:iam::111122223333:role/xsoar-server",
        "arn:aws:iam::111122223333:role/xsoar-server -assume-> arn:aws:iam::444455556666:role/Admin chained",
        "arn:aws:iam::111122223333:role/xsoar-server -assume-> arn:aws:iam::444455556666:role/Readonly chained",
        "arn:aws:iam::111122223333:role/xsoar-server -assume-> arn:aws:iam::444455556666:role/UpdateAPP chained",
        "ec2.amazonaws.com -assume-> arn:aws:iam::111122223333:role/xsoar-server",
    ];
    assert_edges("policies/xsoar-instance-profile/snapshot", &base);
    // Durations do not change who can assume what.
    assert_edges(
        "policies/xsoar-instance-profile/broken/duration-exceeds-max/snapshot",
        &base,
    );
    assert_edges(
        "policies/xsoar-instance-profile/broken/chained-duration-exceeds-hour/snapshot",
        &base,
    );
    // The default v3 lists only UpdateAPP and Admin: no edge to Readonly
    // (v1's `"*"` is not the default version, so it is not in force).
    assert_edges(
        "policies/xsoar-instance-profile/broken/assume-permission-missing/snapshot",
        &[base[0], base[1], base[3], base[4]],
    );
    // Readonly trusts only EC2.
    assert_edges(
        "policies/xsoar-instance-profile/broken/trust-missing-server-role/snapshot",
        &[
            base[0],
            base[1],
            base[3],
            base[4],
            "ec2.amazonaws.com -assume-> arn:aws:iam::444455556666:role/Readonly",
        ],
    );
    // Readonly trusts a role of 111111111111, outside the inventory: an
    // edge from that principal (its account decides its own policies), none
    // from the real server role.
    assert_edges(
        "policies/xsoar-instance-profile/broken/trust-wrong-account/snapshot",
        &[
            "arn:aws:iam::111111111111:role/xsoar-server -assume-> arn:aws:iam::444455556666:role/Readonly chained external",
            base[0],
            base[1],
            base[3],
            base[4],
        ],
    );
}

// XSOAR with an access key: the user assumes the same-account IAM role
// and the cross-account EC2 integration role.
#[test]
fn xsoar_user_access_key() {
    let user = "arn:aws:iam::777788889999:user/xsoar.remediation";
    let ec2_role = "arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role";
    let iam_role = "arn:aws:iam::777788889999:role/xsoar-IAM.integration-Role";
    let to_ec2 = format!("{user} -assume-> {ec2_role}");
    let to_iam = format!("{user} -assume-> {iam_role}");
    assert_edges(
        "policies/xsoar-user-access-key/snapshot",
        &[&to_ec2, &to_iam],
    );
    assert_edges(
        "policies/xsoar-user-access-key/broken/duration-exceeds-max/snapshot",
        &[&to_ec2, &to_iam],
    );
    // The user policy lists only the same-account role: cross-account needs it.
    assert_edges(
        "policies/xsoar-user-access-key/broken/assume-permission-missing/snapshot",
        &[&to_iam],
    );
    // The EC2 integration role still trusts EC2 (not the user).
    assert_edges(
        "policies/xsoar-user-access-key/broken/trust-missing-user/snapshot",
        &[&to_iam, &format!("ec2.amazonaws.com -assume-> {ec2_role}")],
    );
    // A mistyped account id: a user outside the inventory.
    assert_edges(
        "policies/xsoar-user-access-key/broken/trust-wrong-account/snapshot",
        &[
            &to_iam,
            &format!(
                "arn:aws:iam::777788898999:user/xsoar.remediation -assume-> {ec2_role} external"
            ),
        ],
    );
}

// One engine role assuming the same role name in three accounts, in an
// organization with SCPs and an RCP that denies principals outside the
// organization.
#[test]
fn xsoar_same_role_accounts() {
    let engine = "arn:aws:iam::333344445555:role/xsoar-engine";
    let profile = format!(
        "arn:aws:iam::333344445555:instance-profile/xsoar-engine -instance-profile-> {engine}"
    );
    let ec2 = format!("ec2.amazonaws.com -assume-> {engine}");
    let target = |account: &str| {
        format!("{engine} -assume-> arn:aws:iam::{account}:role/XSOARIntegrationRole chained")
    };
    let (dev, staging, prod) = (
        target("555566667777"),
        target("666677778888"),
        target("888899990000"),
    );
    assert_edges(
        "policies/xsoar-same-role-accounts/snapshot",
        &[&profile, &dev, &staging, &prod, &ec2],
    );
    assert_edges(
        "policies/xsoar-same-role-accounts/broken/duration-exceeds-max/snapshot",
        &[&profile, &dev, &staging, &prod, &ec2],
    );
    // The engine's inline policy predates app-prod.
    assert_edges(
        "policies/xsoar-same-role-accounts/broken/assume-permission-missing/snapshot",
        &[&profile, &dev, &staging, &ec2],
    );
    // app-prod trusts only its own account root, where nobody has a grant.
    assert_edges(
        "policies/xsoar-same-role-accounts/broken/trust-missing-engine-role/snapshot",
        &[&profile, &dev, &staging, &ec2],
    );
    // app-prod was not fetched: its role is unknown, so no edge to it.
    assert_edges(
        "policies/xsoar-same-role-accounts/broken/partial-fetch/snapshot",
        &[&profile, &dev, &staging, &ec2],
    );
    // The region lock's Deny (its NotAction forgets sts:*) is conditional
    // on the region: the edges stay, with the exception as data.
    let region = " [D aws:RequestedRegion StringNotEquals eu-west-1]";
    assert_edges(
        "policies/xsoar-same-role-accounts/broken/scp-region-lock-blocks-sts/snapshot",
        &[
            &profile,
            &format!("{dev}{region}"),
            &format!("{staging}{region}"),
            &format!("{prod}{region}"),
            &ec2,
        ],
    );
    // Staging trusts a mistyped engine account, outside the inventory and
    // so, as far as the inventory knows, outside the organization: the
    // staging account's RCP denies it unless its organization id matches.
    assert_edges(
        "policies/xsoar-same-role-accounts/broken/trust-wrong-account/snapshot",
        &[
            &profile,
            &dev,
            &prod,
            "arn:aws:iam::333344445556:role/xsoar-engine -assume-> arn:aws:iam::666677778888:role/XSOARIntegrationRole chained external [D aws:PrincipalOrgID StringNotEqualsIfExists o-a1b2c3d4e5]",
            &ec2,
        ],
    );
}

// Splunk SOAR: the access-key user and the EC2 role assume TestRole in two
// customer accounts, each time only with the external id (PMapper drops
// such edges; here they carry the condition).
#[test]
fn splunk_sts() {
    let soar = "arn:aws:iam::999999999999:role/splunk-soar";
    let a = "arn:aws:iam::157568069999:role/TestRole";
    let b = "arn:aws:iam::888888888888:role/TestRole";
    let profile = format!(
        "arn:aws:iam::999999999999:instance-profile/splunk-soar -instance-profile-> {soar}"
    );
    let ec2 = format!("ec2.amazonaws.com -assume-> {soar}");
    let id = |v: &str| format!(" [A sts:ExternalId StringEquals {v}]");
    let edge = |from: &str, to: &str, v: &str| {
        let chained = if from == soar { " chained" } else { "" };
        format!("{from} -assume-> {to}{chained}{}", id(v))
    };
    let all = [
        profile.clone(),
        edge(soar, a, "999"),
        edge(soar, b, "999"),
        edge(SOAR_USER, a, "999"),
        edge(SOAR_USER, b, "999"),
        ec2.clone(),
    ];
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    assert_edges("policies/splunk-sts/snapshot", &all);
    assert_edges(
        "policies/splunk-sts/broken/duration-exceeds-max/snapshot",
        &all,
    );
    // customer-b expects another external id: still an edge, with that id.
    assert_edges(
        "policies/splunk-sts/broken/external-id-mismatch/snapshot",
        &[
            &profile,
            &edge(soar, a, "999"),
            &edge(soar, b, "splunk-soar-888888888888"),
            &edge(SOAR_USER, a, "999"),
            &edge(SOAR_USER, b, "splunk-soar-888888888888"),
            &ec2,
        ],
    );
    assert_edges(
        "policies/splunk-sts/broken/trust-missing-user/snapshot",
        &[all[0], all[1], all[2], all[3], all[5]],
    );
    // customer-a names principals of 888888888888, which the inventory
    // covers and where they do not exist: no edge, from anyone.
    assert_edges(
        "policies/splunk-sts/broken/trust-wrong-account/snapshot",
        &[all[0], all[2], all[4], all[5]],
    );
    assert_edges(
        "policies/splunk-sts/broken/assume-permission-missing/snapshot",
        &[all[0], all[1], all[3], all[5]],
    );
}

// The STS tutorial holds plain policy documents only: no principals, no edges.
#[test]
fn sts_tutorial_has_no_principals() {
    assert_edges("policies/sts-tutorial", &[]);
}

// The CloudFormation templates: one account each (the placeholder), values
// unknown until deployment leave their statements out, reported.
#[test]
fn cloudformation_templates() {
    let g = graph("policies/xsoar-instance-profile/cloudformation");
    let list: Vec<String> = g
        .edges()
        .map(|(f, t, e)| format!("{} -{}-> {}", f.id, e.kind.name(), t.id))
        .collect();
    assert_eq!(
        list,
        [
            "arn:aws:iam::000000000000:instance-profile/xsoar-server -instance-profile-> arn:aws:iam::000000000000:role/xsoar-server",
            "arn:aws:iam::000000000000:role/xsoar-server -assume-> arn:aws:iam::000000000000:role/Admin",
            "arn:aws:iam::000000000000:role/xsoar-server -assume-> arn:aws:iam::000000000000:role/Readonly",
            "arn:aws:iam::000000000000:role/xsoar-server -assume-> arn:aws:iam::000000000000:role/UpdateAPP",
            "ec2.amazonaws.com -assume-> arn:aws:iam::000000000000:role/xsoar-server",
        ]
    );
    let g = graph("policies/splunk-sts/cloudformation");
    assert!(
        g.problems()
            .iter()
            .any(|p| p.subject.ends_with("role/TestRole trust policy")
                && p.message.contains("unknown until deployment")),
        "{:?}",
        g.problems()
    );
}

// Everything reaches the server role's targets through EC2 and the
// instance profile, chained: who-can-assume lists the path.
#[test]
fn who_can_assume_follows_chains() {
    let g = graph("policies/xsoar-instance-profile/snapshot");
    let admin = g.find("arn:aws:iam::444455556666:role/Admin").unwrap();
    let reach = rolecall::graph::who_can_assume(&g, admin);
    let found: Vec<(String, usize)> = reach
        .iter()
        .map(|r| (g.node(r.node).unwrap().id.clone(), r.path.len()))
        .collect();
    assert_eq!(
        found,
        [
            (XSOAR_SERVER.to_owned(), 1),
            (
                "arn:aws:iam::111122223333:instance-profile/xsoar-server".to_owned(),
                2
            ),
            ("ec2.amazonaws.com".to_owned(), 2),
        ]
    );
    let paths = rolecall::graph::paths(&g, g.find("ec2.amazonaws.com").unwrap(), admin, 4);
    assert_eq!(paths.shortest.as_ref().map(Vec::len), Some(2));
    assert_eq!(paths.all.len(), 1);
}
