"""The authenticated caller: subject, tenant, roles. Pure data and the tenancy rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from xin.auth.errors import Forbidden

ALL_TENANTS = "*"  # the tenant of a platform admin: may act for any tenant


class Role(StrEnum):
    CHAT = "chat"  # POST /chat
    INGEST = "ingest"  # POST /ingest
    METRICS = "metrics"  # GET /metrics when it is protected
    ADMIN = "admin"  # everything above plus /admin/*


AuthMethod = Literal["api_key", "jwt", "anonymous"]


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    """Known role names only; anything else (other groups, scopes) is ignored."""
    known = {role.value for role in Role}
    return frozenset(Role(v) for v in values if v in known)


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str  # "key:<id>", "jwt:<sub>" or "anonymous"
    tenant: str  # a tenant id, or ALL_TENANTS for a platform admin
    roles: frozenset[Role]
    method: AuthMethod

    @classmethod
    def anonymous(cls) -> Principal:
        """Open development mode: every role, every tenant."""
        return cls("anonymous", ALL_TENANTS, frozenset(Role), "anonymous")

    @property
    def is_anonymous(self) -> bool:
        return self.method == "anonymous"

    @property
    def cross_tenant(self) -> bool:
        return self.tenant == ALL_TENANTS and Role.ADMIN in self.roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles or Role.ADMIN in self.roles

    def require(self, *allowed: Role) -> None:
        if not any(self.has_role(role) for role in allowed):
            names = " or ".join(f"'{r.value}'" for r in allowed)
            raise Forbidden(f"This needs the {names} role.")

    def tenant_for(self, requested: str | None, default_tenant: str) -> str:
        """The tenant a request acts on.

        A tenant-scoped principal always acts on its own tenant; naming another one is
        refused (403), never silently replaced. A platform admin (tenant ``*``) acts on the
        requested tenant, or the default tenant when none is named.
        """
        if self.tenant == ALL_TENANTS:
            if not self.cross_tenant:
                raise Forbidden("Only an admin may act across tenants.")
            return requested or default_tenant
        if requested is None or requested == self.tenant:
            return self.tenant
        raise Forbidden("This credential belongs to another tenant.")
