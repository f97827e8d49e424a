//! Queries: who can reach a role, and the paths from one node to another.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{Edge, Graph, NodeKind};

/// A node that can reach the role, with the shortest way there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The node.
    pub node: NodeIndex,
    /// The edges from the node to the role, in order.
    pub path: Vec<EdgeIndex>,
}

/// The preferred edge between two nodes: `assume` before `pass-role`
/// before `instance-profile`, fewer conditions first.
fn better(a: &Edge, b: &Edge) -> bool {
    (a.kind, a.conditions.len()) < (b.kind, b.conditions.len())
}

/// Every node that can reach `role` by assuming it, chaining, passing it to
/// a service or through an instance profile, with one shortest path each
/// (breadth first, nearest first, then by id).
pub fn who_can_assume(graph: &Graph, role: NodeIndex) -> Vec<Reach> {
    nearest_first(graph, role, Direction::Incoming)
}

/// [`who_can_assume`] for every role of the graph, on `threads` workers
/// (`0`: every core), in node order.
pub fn who_can_assume_all(graph: &Graph, threads: usize) -> Vec<(NodeIndex, Vec<Reach>)> {
    let roles: Vec<NodeIndex> = graph
        .petgraph()
        .node_indices()
        .filter(|i| graph.petgraph()[*i].kind == NodeKind::Role)
        .collect();
    let threads = super::BuildOptions { threads }.threads();
    super::build::parallel(
        &roles,
        threads,
        |_| 1,
        |chunk| {
            chunk
                .iter()
                .map(|r| (*r, who_can_assume(graph, *r)))
                .collect::<Vec<_>>()
        },
    )
    .into_iter()
    .flatten()
    .collect()
}

/// Every role `from` can reach by assuming it, chaining, passing it to a
/// service or through an instance profile, with one shortest path each
/// (breadth first, nearest first, then by id): what a principal can become.
/// Each [`Reach`] names the role reached and the edges from `from` to it.
pub fn reachable_from(graph: &Graph, from: NodeIndex) -> Vec<Reach> {
    nearest_first(graph, from, Direction::Outgoing)
}

/// Breadth first from `start` along edges of `direction` (`Incoming`: who
/// reaches `start`; `Outgoing`: what `start` reaches): every node found,
/// nearest first then by id, each with its shortest path (the preferred
/// edge at each hop) written in the edges' own direction.
fn nearest_first(graph: &Graph, start: NodeIndex, direction: Direction) -> Vec<Reach> {
    let g = graph.petgraph();
    // The end of an edge on `start`'s side.
    let near_end = |edge: EdgeIndex| {
        g.edge_endpoints(edge)
            .map(|(source, target)| match direction {
                Direction::Incoming => target,
                Direction::Outgoing => source,
            })
    };
    // For each reached node: the edge it was reached by.
    let mut via: HashMap<NodeIndex, EdgeIndex> = HashMap::new();
    let mut order = Vec::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        let mut found: Vec<(NodeIndex, EdgeIndex)> = Vec::new();
        for e in g.edges_directed(node, direction) {
            let other = match direction {
                Direction::Incoming => e.source(),
                Direction::Outgoing => e.target(),
            };
            if other == start || via.contains_key(&other) {
                continue;
            }
            match found.iter_mut().find(|(n, _)| *n == other) {
                Some(slot) if better(e.weight(), &g[slot.1]) => slot.1 = e.id(),
                Some(_) => {}
                None => found.push((other, e.id())),
            }
        }
        found.sort_by(|a, b| g[a.0].id.cmp(&g[b.0].id));
        for (other, edge) in found {
            via.insert(other, edge);
            order.push(other);
            queue.push_back(other);
        }
    }
    order
        .into_iter()
        .map(|node| {
            let mut path = Vec::new();
            let mut at = node;
            while let Some(&edge) = via.get(&at) {
                path.push(edge);
                match near_end(edge) {
                    Some(near) if near != start => at = near,
                    _ => break,
                }
            }
            if direction == Direction::Outgoing {
                path.reverse();
            }
            Reach { node, path }
        })
        .collect()
}

/// The paths between two nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// One shortest path (fewest hops), if any.
    pub shortest: Option<Vec<EdgeIndex>>,
    /// Every simple path of at most the given hops, shortest first (one
    /// edge per hop: the preferred one between the two nodes).
    pub all: Vec<Vec<EdgeIndex>>,
    /// Set when `all` stopped at the limit.
    pub truncated: bool,
}

/// The most simple paths [`paths`] lists.
pub const PATH_LIMIT: usize = 1000;

/// The shortest path and every simple path of at most `max_hops` edges from
/// `from` to `to`.
pub fn paths(graph: &Graph, from: NodeIndex, to: NodeIndex, max_hops: usize) -> Paths {
    let g = graph.petgraph();
    let best_edge = |a: NodeIndex, b: NodeIndex| -> Option<EdgeIndex> {
        g.edges_connecting(a, b)
            .min_by(|x, y| {
                (x.weight().kind, x.weight().conditions.len())
                    .cmp(&(y.weight().kind, y.weight().conditions.len()))
            })
            .map(|e| e.id())
    };
    let to_edges = |nodes: &[NodeIndex]| -> Option<Vec<EdgeIndex>> {
        nodes.windows(2).map(|w| best_edge(w[0], w[1])).collect()
    };
    if from == to || max_hops == 0 {
        return Paths::default();
    }
    // Breadth first for the shortest.
    let mut previous: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut reached = false;
    while let Some(node) = queue.pop_front() {
        if node == to {
            reached = true;
            break;
        }
        let mut neighbours: Vec<NodeIndex> = g.neighbors(node).collect();
        neighbours.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
        neighbours.dedup();
        for n in neighbours {
            if n != from && !previous.contains_key(&n) {
                previous.insert(n, node);
                queue.push_back(n);
            }
        }
    }
    let shortest = reached
        .then(|| {
            let mut nodes = vec![to];
            let mut at = to;
            while let Some(&p) = previous.get(&at) {
                nodes.push(p);
                at = p;
            }
            nodes.reverse();
            to_edges(&nodes)
        })
        .flatten();
    let mut all: Vec<Vec<EdgeIndex>> = Vec::new();
    let mut truncated = false;
    if reached {
        // Parallel edges (an assume and a pass-role between the same nodes)
        // give the same node path more than once.
        let mut seen: HashSet<Vec<NodeIndex>> = HashSet::new();
        for nodes in petgraph::algo::all_simple_paths::<Vec<NodeIndex>, _, std::hash::RandomState>(
            g,
            from,
            to,
            0,
            Some(max_hops.saturating_sub(1)),
        ) {
            if all.len() == PATH_LIMIT {
                truncated = true;
                break;
            }
            if seen.insert(nodes.clone()) {
                all.extend(to_edges(&nodes));
            }
        }
    }
    all.sort_by(|a, b| {
        a.len().cmp(&b.len()).then_with(|| {
            let ids = |p: &Vec<EdgeIndex>| -> Vec<&str> {
                p.iter()
                    .filter_map(|e| g.edge_endpoints(*e))
                    .map(|(_, t)| g[t].id.as_str())
                    .collect()
            };
            ids(a).cmp(&ids(b))
        })
    });
    Paths {
        shortest,
        all,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::eval::PolicyType;
    use crate::graph::{BuildOptions, build};
    use crate::graph::{EdgeCondition, EdgeKind, Node};
    use crate::inventory::{InputSpec, LoadOptions, load};

    fn edge(kind: EdgeKind, conditions: usize) -> Edge {
        Edge {
            kind,
            action: None,
            service: None,
            conditions: (0..conditions)
                .map(|_| EdgeCondition {
                    effect: "Allow",
                    policy_type: PolicyType::Resource,
                    policy: "p".into(),
                    statement: "#0".into(),
                    alternative: None,
                    operator: "StringEquals".into(),
                    key: "sts:ExternalId".into(),
                    values: vec!["x".into()],
                })
                .collect(),
            chained: false,
            external: false,
            max_session_seconds: None,
        }
    }

    /// a → b → d, a → c → d, b → c, with a conditional and a pass-role edge
    /// alongside the plain a → b.
    fn diamond() -> (Graph, [NodeIndex; 4]) {
        let mut g = Graph::default();
        let ids = ["a", "b", "c", "d"].map(|id| {
            let i = g.graph.add_node(Node {
                id: id.into(),
                kind: NodeKind::Role,
                account: None,
            });
            g.index.insert(id.into(), i);
            i
        });
        let [a, b, c, d] = ids;
        g.graph.add_edge(a, b, edge(EdgeKind::PassRole, 0));
        g.graph.add_edge(a, b, edge(EdgeKind::Assume, 1));
        g.graph.add_edge(a, b, edge(EdgeKind::Assume, 0));
        g.graph.add_edge(b, d, edge(EdgeKind::Assume, 0));
        g.graph.add_edge(a, c, edge(EdgeKind::Assume, 0));
        g.graph.add_edge(c, d, edge(EdgeKind::Assume, 0));
        g.graph.add_edge(b, c, edge(EdgeKind::Assume, 0));
        (g, ids)
    }

    #[test]
    fn who_can_assume_takes_nearest_first_and_the_plainest_edge() {
        let (g, [a, b, c, d]) = diamond();
        let reach = who_can_assume(&g, d);
        let nodes: Vec<NodeIndex> = reach.iter().map(|r| r.node).collect();
        assert_eq!(nodes, [b, c, a]);
        let to_a = &reach[2].path;
        assert_eq!(to_a.len(), 2);
        let (_, _, first) = g.edge(to_a[0]).unwrap();
        assert_eq!((first.kind, first.conditions.len()), (EdgeKind::Assume, 0));
        assert!(who_can_assume(&g, a).is_empty());
        assert_eq!(who_can_assume(&g, c).len(), 2);
    }

    #[test]
    fn paths_lists_every_simple_path_within_the_hops() {
        let (g, [a, _, _, d]) = diamond();
        let p = paths(&g, a, d, 5);
        assert_eq!(p.shortest.as_ref().map(Vec::len), Some(2));
        // a-b-d, a-c-d, a-b-c-d.
        let lengths: Vec<usize> = p.all.iter().map(Vec::len).collect();
        assert_eq!(lengths, [2, 2, 3]);
        assert!(!p.truncated);
        assert_eq!(paths(&g, a, d, 2).all.len(), 2);
        assert_eq!(paths(&g, d, a, 5), Paths::default());
        assert_eq!(paths(&g, a, a, 5), Paths::default());
    }

    #[test]
    fn who_can_assume_all_covers_every_role() {
        let (g, _) = diamond();
        let all = who_can_assume_all(&g, 2);
        let counts: Vec<usize> = all.iter().map(|(_, r)| r.len()).collect();
        assert_eq!(counts, [0, 1, 2, 3]);
    }

    #[test]
    fn reachable_from_goes_forward_nearest_first() {
        let (g, [a, b, c, d]) = diamond();
        let reach = reachable_from(&g, a);
        let nodes: Vec<NodeIndex> = reach.iter().map(|r| r.node).collect();
        assert_eq!(nodes, [b, c, d]);
        let (_, _, first) = g.edge(reach[0].path[0]).unwrap();
        assert_eq!((first.kind, first.conditions.len()), (EdgeKind::Assume, 0));
        assert_eq!(reach[2].path.len(), 2);
        assert!(reachable_from(&g, d).is_empty());
    }

    const A: &str = "111111111111";

    fn doc(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn role(name: &str, trusted: &str, may_assume: Option<&str>) -> Value {
        json!({
            "Path": "/", "RoleName": name, "RoleId": format!("AROA{name}"),
            "Arn": format!("arn:aws:iam::{A}:role/{name}"),
            "AssumeRolePolicyDocument": doc(json!([{"Effect": "Allow",
                "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}])),
            "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
            "RolePolicyList": may_assume.map(|r| vec![json!({"PolicyName": "p",
                "PolicyDocument": doc(json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": r}]))})])
                .unwrap_or_default(),
        })
    }

    // A user that may assume `first`, which may assume `second`, which
    // `third` trusts (role chaining, "Methods to assume a role",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html),
    // reaches all three, each through the one before.
    #[test]
    fn reachable_from_follows_chaining() {
        let user = format!("arn:aws:iam::{A}:user/u");
        let first = format!("arn:aws:iam::{A}:role/first");
        let second = format!("arn:aws:iam::{A}:role/second");
        let third = format!("arn:aws:iam::{A}:role/third");
        let dump = json!({
            "UserDetailList": [{"Path": "/", "UserName": "u", "UserId": "AIDAu", "Arn": user,
                "UserPolicyList": [], "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}],
            "GroupDetailList": [],
            "RoleDetailList": [role("first", &user, Some(&second)), role("second", &first, None),
                role("third", &second, None)],
            "Policies": [],
        });
        let outcome = load(
            &[InputSpec::Text {
                name: "a.json".into(),
                text: dump.to_string(),
            }],
            &LoadOptions::default(),
        );
        let g = build(&outcome.inventory, &BuildOptions { threads: 1 });
        let from = g.find(&user).unwrap();
        let reached: Vec<(String, usize)> = reachable_from(&g, from)
            .iter()
            .map(|r| (g.node(r.node).unwrap().id.clone(), r.path.len()))
            .collect();
        // `third` trusts `second` by ARN in the same account, which is
        // enough without an identity grant.
        assert_eq!(
            reached,
            [(first, 1), (second.clone(), 2), (third.clone(), 3)]
        );
        let path = &reachable_from(&g, from)[1].path;
        let (start, _, _) = g.edge(path[0]).unwrap();
        let (_, end, edge) = g.edge(path[1]).unwrap();
        assert_eq!(
            (start.id.as_str(), end.id.as_str()),
            (user.as_str(), second.as_str())
        );
        assert!(edge.chained);
        // Nothing trusts `third`'s sessions.
        assert!(reachable_from(&g, g.find(&third).unwrap()).is_empty());
    }
}
