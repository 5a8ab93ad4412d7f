"""Roles and the tenancy rule every route applies."""

from __future__ import annotations

import pytest

from xin.auth import ALL_TENANTS, Forbidden, Principal, Role


def principal(tenant: str, *roles: Role) -> Principal:
    return Principal("key:x", tenant, frozenset(roles), "api_key")


def test_admin_implies_every_role_and_others_only_their_own() -> None:
    admin, chat = principal("acme", Role.ADMIN), principal("acme", Role.CHAT)
    assert all(admin.has_role(role) for role in Role)
    assert chat.has_role(Role.CHAT) and not chat.has_role(Role.INGEST)
    with pytest.raises(Forbidden, match="'admin'"):
        chat.require(Role.ADMIN)
    chat.require(Role.INGEST, Role.CHAT)  # any of several is enough


def test_a_tenant_scoped_principal_acts_only_on_its_tenant() -> None:
    acme = principal("acme", Role.ADMIN)
    assert acme.tenant_for(None, "default") == "acme"
    assert acme.tenant_for("acme", "default") == "acme"
    with pytest.raises(Forbidden):
        acme.tenant_for("globex", "default")


def test_only_an_admin_may_hold_the_all_tenants_wildcard() -> None:
    platform = principal(ALL_TENANTS, Role.ADMIN)
    assert platform.tenant_for(None, "default") == "default"
    assert platform.tenant_for("globex", "default") == "globex"
    with pytest.raises(Forbidden):
        principal(ALL_TENANTS, Role.CHAT).tenant_for("globex", "default")


def test_the_anonymous_development_principal_is_an_all_tenant_admin() -> None:
    anonymous = Principal.anonymous()
    assert anonymous.is_anonymous and anonymous.cross_tenant
    assert anonymous.tenant_for("acme", "default") == "acme"
