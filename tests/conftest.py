"""Personas (DESIGN.md §7): every view and endpoint is tested for allow and deny with these."""

from dataclasses import dataclass

import pytest

from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    StateRoleFactory,
    UserFactory,
    enable_totp,
)


@dataclass
class Personas:
    municipality_a: object
    municipality_b: object
    coordinator_a: object
    coordinator_b: object
    viewer_a: object
    companion_a: object
    reviewer: object
    approver: object
    state_admin: object
    researcher: object
    outsider: object


@pytest.fixture
def personas(db) -> Personas:
    municipality_a = MunicipalityFactory(short_name="Kommune A", name="Kommune A, Stadt")
    municipality_b = MunicipalityFactory(short_name="Kommune B", name="Kommune B, Stadt")

    def member(municipality, role, email):
        return MembershipFactory(
            municipality=municipality, role=role, user=UserFactory(email=email)
        ).user

    def state(role, email):
        user = StateRoleFactory(role=role, user=UserFactory(email=email)).user
        if role != "researcher":
            enable_totp(user)  # state-office roles cannot work without it
        return user

    return Personas(
        municipality_a=municipality_a,
        municipality_b=municipality_b,
        coordinator_a=member(municipality_a, "coordinator", "koordination.a@example.org"),
        coordinator_b=member(municipality_b, "coordinator", "koordination.b@example.org"),
        viewer_a=member(municipality_a, "municipal_viewer", "lesen.a@example.org"),
        companion_a=member(municipality_a, "companion", "begleitung.a@example.org"),
        reviewer=state("state_reviewer", "pruefung@example.org"),
        approver=state("state_approver", "bewilligung@example.org"),
        state_admin=state("state_admin", "verwaltung@example.org"),
        researcher=state("researcher", "evaluation@example.org"),
        outsider=UserFactory(email="aussen@example.org"),
    )
