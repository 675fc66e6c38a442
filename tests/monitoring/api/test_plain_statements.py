"""The hand-written statements on the API's hot path answer exactly what the ORM would."""

import pytest

from monitoring.api.views import indicators_by_code
from monitoring.models import Indicator
from municipalities.models import Membership
from municipalities.permissions import roles_by_municipality
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory
from tests.factories_monitoring import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_indicators_by_code_are_the_orms_rows_with_the_same_values():
    home, other = MunicipalityFactory(), MunicipalityFactory()
    IndicatorFactory(code="A", theme="Bildung", name="Zweiter")
    IndicatorFactory(code="B", theme="Bildung", name="Erster", min_cases=5)
    IndicatorFactory(code="L", municipality=home, theme="Armut")
    IndicatorFactory(code="X", municipality=other)
    codes = ["A", "B", "L", "X", "unbekannt"]

    found = indicators_by_code(home.pk, codes)

    expected = list(
        Indicator.objects.usable_by(home.pk).filter(code__in=codes).order_by("theme", "name", "pk")
    )
    assert [i.pk for i in found] == [i.pk for i in expected]
    assert [i.code for i in found] == ["L", "B", "A"]
    for mine, orm in zip(found, expected, strict=True):
        assert (mine.code, mine.unit, mine.factor, mine.min_cases, mine.theme, mine.name) == (
            orm.code,
            orm.unit,
            orm.factor,
            orm.min_cases,
            orm.theme,
            orm.name,
        )


def test_roles_by_municipality_are_the_users_memberships():
    user = UserFactory()
    first, second = MunicipalityFactory(), MunicipalityFactory()
    MembershipFactory(user=user, municipality=first, role="coordinator")
    MembershipFactory(user=user, municipality=first, role="municipal_viewer")
    MembershipFactory(user=user, municipality=second, role="companion")
    MembershipFactory(municipality=second, role="coordinator")  # someone else's

    expected: dict = {}
    for municipality_id, role in Membership.objects.filter(user=user).values_list(
        "municipality_id", "role"
    ):
        expected.setdefault(municipality_id, set()).add(role)

    assert roles_by_municipality(user) == {k: frozenset(v) for k, v in expected.items()}
    assert roles_by_municipality(UserFactory()) == {}


def test_municipality_by_ags_reads_the_users_roles_along():
    from municipalities.permissions import internal_municipality_by_ags

    user = UserFactory()
    home, other = MunicipalityFactory(), MunicipalityFactory()
    MembershipFactory(user=user, municipality=home, role="municipal_viewer")
    MembershipFactory(user=user, municipality=other, role="coordinator")

    found = internal_municipality_by_ags(user, home.ags)

    assert (found.pk, found.ags, found.slug) == (home.pk, home.ags, home.slug)
    assert user._roles_by_municipality == {
        home.pk: frozenset({"municipal_viewer"}),
        other.pk: frozenset({"coordinator"}),
    }
    assert internal_municipality_by_ags(UserFactory(), "05999999") is None
