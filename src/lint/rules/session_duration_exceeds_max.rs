//! `session-duration-exceeds-max`: a session duration requested in
//! `rolecall.toml` or an expectations file exceeds the role's
//! `MaxSessionDuration`.

use super::helpers::setup::{join_list, list_names, requested_roles, role_labels};
use crate::declare_rule;
use crate::lint::{FindingBuilder, InventoryContext, Rule, RuleMeta, Sink};

declare_rule! {
    /// Compares each requested `DurationSeconds` with the
    /// `MaxSessionDuration` of the roles it is requested of.
    SessionDurationExceedsMax {
        id: "session-duration-exceeds-max",
        finding_type: Error,
        category: Setup,
        summary: "a requested session duration exceeds the role's `MaxSessionDuration`",
    }
}

/// The longest session any role can grant: `MaxSessionDuration` ranges
/// from 3600 to 43200 seconds (`CreateRole`, `UpdateRole`).
pub const MOST_ANY_ROLE_ALLOWS: i64 = 43_200;

impl Rule for SessionDurationExceedsMax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        for (request, roles) in requested_roles(ctx.inventory, &ctx.settings.sessions) {
            let requested = request.duration_seconds;
            let labels = role_labels(&roles);
            let over: Vec<(&str, u32)> = roles
                .iter()
                .zip(&labels)
                .filter_map(|(r, label)| {
                    let max = r.max_session_duration?;
                    (requested > i64::from(max)).then_some((*label, max))
                })
                .collect();
            let (message, limit) = if requested > MOST_ANY_ROLE_ALLOWS {
                (
                    format!(
                        "`DurationSeconds` {requested} is requested of {}, but no role can grant more than {MOST_ANY_ROLE_ALLOWS} seconds (12 hours): AWS answers `ValidationError`",
                        role_list(&labels)
                    ),
                    MOST_ANY_ROLE_ALLOWS,
                )
            } else if let Some(lowest) = over.iter().map(|(_, max)| *max).min() {
                let described: Vec<String> = over
                    .iter()
                    .map(|(name, max)| format!("`{name}` ({max} s)"))
                    .collect();
                (
                    format!(
                        "`DurationSeconds` {requested} exceeds the `MaxSessionDuration` of {}: AWS answers `ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role`",
                        join_list(&described)
                    ),
                    i64::from(lowest),
                )
            } else {
                continue;
            };
            let raise = match over.first() {
                Some((label, _)) if requested <= MOST_ANY_ROLE_ALLOWS => format!(
                    ", or raise the role's maximum (`aws iam update-role --role-name {} --max-session-duration {requested}`; `MaxSessionDuration` in CloudFormation, `max_session_duration` in Terraform)",
                    label.rsplit('/').next().unwrap_or(label)
                ),
                _ => String::new(),
            };
            FindingBuilder::for_file(&Self::META, &request.file, message)
                .at(request.span, request.path.clone(), "requested here")
                .help(format!("request at most {limit} seconds{raise}"))
                .emit(out);
        }
    }
}

/// Role names for a message.
fn role_list(names: &[&str]) -> String {
    match names {
        [one] => format!("role `{one}`"),
        many => format!("roles {}", list_names(many)),
    }
}
