//! `role-chaining-duration`: more than one hour requested of a role
//! assumed with a role's credentials (role chaining).

use super::helpers::setup::{list_names, requested_roles, role_labels, trusted_only_by_roles};
use super::session_duration_exceeds_max::MOST_ANY_ROLE_ALLOWS;
use crate::declare_rule;
use crate::inventory::Role;
use crate::lint::{FindingBuilder, InventoryContext, Rule, RuleMeta, Sink};

declare_rule! {
    /// Checks requested durations against the one-hour limit of role
    /// chaining when the caller is a role.
    RoleChainingDuration {
        id: "role-chaining-duration",
        finding_type: Error,
        category: Setup,
        summary: "more than 3600 seconds requested of a role assumed through role chaining",
    }
}

/// The longest session role chaining grants ("Role chaining limits your
/// AWS CLI or AWS API role session to a maximum of one hour").
const CHAINED_MAX: i64 = 3600;

impl Rule for RoleChainingDuration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        for (request, roles) in requested_roles(ctx.inventory, &ctx.settings.sessions) {
            let requested = request.duration_seconds;
            if requested <= CHAINED_MAX || requested > MOST_ANY_ROLE_ALLOWS {
                continue;
            }
            let chained: Vec<&Role> = roles
                .into_iter()
                // A duration beyond the role's own maximum is
                // `session-duration-exceeds-max`'s finding.
                .filter(|r| {
                    r.max_session_duration
                        .is_none_or(|max| requested <= i64::from(max))
                })
                .filter(|r| {
                    request.principal_is_role()
                        || (request.principal.is_none() && trusted_only_by_roles(r))
                })
                .collect();
            let chained = role_labels(&chained);
            if chained.is_empty() {
                continue;
            }
            let by = match &request.principal {
                Some(principal) => format!("by role `{principal}`"),
                None => format!(
                    "and only roles may assume {}",
                    if chained.len() == 1 { "it" } else { "them" }
                ),
            };
            let roles = match chained.as_slice() {
                [one] => format!("`{one}`"),
                many => list_names(many),
            };
            FindingBuilder::for_file(
                &Self::META,
                &request.file,
                format!(
                    "`DurationSeconds` {requested} is requested of {roles} {by}: a role session assuming a role is role chaining, which AWS limits to one hour whatever the role's `MaxSessionDuration` (`ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining`)"
                ),
            )
            .at(request.span, request.path.clone(), "requested here")
            .help(format!(
                "request at most {CHAINED_MAX} seconds; for longer sessions, assume the role with credentials that are not a role session (an IAM user's, or federation), or grant the first role what it needs directly"
            ))
            .emit(out);
        }
    }
}
