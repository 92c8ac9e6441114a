"""Scope policy of the audit log (审计日志): only the auditor role holds "audit.view".

Separated duties (三员分立, 等保2.0): the system admin and the security admin do not see the log.
An auditor sees entries whose region lies in their subtrees; entries with no region (sign-ins,
accounts) only when they audit at the root of the tree (the district). No auditor sees the entries of their
own actions: those are for another auditor to read."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jishiyu.audit.models import AuditEntry
from jishiyu.core import grants
from jishiyu.core.scope import Actor, ScopePolicy, path_in_scope, subtree_q

VIEW = "audit.view"


def is_root_path(path: str) -> bool:
    """ "/1/" is a root node of the region tree (a district); "/1/7/" is not."""
    return path.count("/") == 2


class AuditPolicy(ScopePolicy[AuditEntry]):
    model = AuditEntry
    region_path = "region_path"

    def queryset(
        self, actor: Actor | None, permission: str, qs: QuerySet[AuditEntry] | None = None
    ) -> QuerySet[AuditEntry]:
        """Entries in the actor's subtrees, plus those without a region for a root-level auditor."""
        qs = self.base_queryset() if qs is None else qs
        if actor is None or not actor.is_authenticated:
            return qs.none()
        paths = actor.region_paths_for(permission)
        q = subtree_q(self.region_path, paths)
        if any(is_root_path(p) for p in paths):
            q |= Q(region_path="")
        return qs.filter(q).exclude(actor_id=actor.pk)

    def allows(self, actor: Actor | None, permission: str, obj: AuditEntry) -> bool:
        if actor is None or not actor.is_authenticated:
            return False
        if obj.actor_id == actor.pk:
            return False
        paths = actor.region_paths_for(permission)
        if not obj.region_path:
            return any(is_root_path(p) for p in paths)
        return path_in_scope(obj.region_path, paths)


audit_policy = AuditPolicy()


# Who holds the audit app's permission (jishiyu.core.grants): the auditor alone.
grants.declare("audit", {"auditor": {"audit.view"}})
