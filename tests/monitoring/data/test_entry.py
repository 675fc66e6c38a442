from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import (
    DataApprovalEvent,
    Observation,
    ObservationStatus,
    QualityFlag,
    QualityFlagKind,
)
from tests.factories import MembershipFactory
from tests.factories_monitoring import DataApprovalFactory, IndicatorFactory


def record(data, user, **overrides):
    arguments = {
        "actor": user,
        "indicator": data["indicator"],
        "sozialraum": data["north"],
        "period": 2023,
        "numerator": Decimal(10),
        "denominator": Decimal(100),
        "status": ObservationStatus.REPORTED,
    }
    arguments.update(overrides)
    return services.record_observation(**arguments)


def test_new_value_is_stored_and_a_stale_edit_refused(personas, data):
    first = record(data, personas.coordinator_a)
    version = first.updated_at
    colleague = MembershipFactory(municipality=personas.municipality_a, role="coordinator").user
    second = record(data, colleague, numerator=Decimal(12), expected_updated_at=version)
    assert second.pk == first.pk
    assert second.numerator == 12
    # The coordinator still holds the first version: refused, nothing changed.
    with pytest.raises(services.StaleEditError, match="nachdem Sie das Formular geöffnet"):
        record(data, personas.coordinator_a, numerator=Decimal(99), expected_updated_at=version)
    assert Observation.objects.get(pk=first.pk).numerator == 12
    # Creating over an existing value without its version is stale too.
    with pytest.raises(services.StaleEditError):
        record(data, personas.coordinator_a, numerator=Decimal(99))


def test_numerator_above_denominator_is_refused_where_it_must_not(personas, data):
    with pytest.raises(services.MonitoringError, match=r"Zähler \(120\) ist größer als der Nenner"):
        record(data, personas.coordinator_a, numerator=Decimal(120))
    assert not Observation.objects.filter(period=2023).exists()
    density = IndicatorFactory(numerator_within_denominator=False, factor=1000)
    stored = record(data, personas.coordinator_a, indicator=density, numerator=Decimal(120))
    assert stored.numerator == 120


def test_locked_year_is_refused_with_its_year(personas, data):
    DataApprovalFactory(municipality=personas.municipality_a, period=2023)
    with pytest.raises(services.PeriodLockedError, match="Das Jahr 2023 ist freigegeben"):
        record(data, personas.coordinator_a)
    assert services.locked_periods(personas.municipality_a.pk) == {2023}
    assert services.locked_periods(personas.municipality_b.pk) == set()
    DataApprovalFactory(municipality=personas.municipality_a, period=2021)
    with pytest.raises(services.PeriodLockedError, match="Die Jahre 2021, 2023 sind"):
        services.assert_periods_open(personas.municipality_a, [2020, 2021, 2023])
    services.assert_periods_open(personas.municipality_a, [2020, 2022])


def test_secret_and_missing_values_have_no_counts(personas, data):
    stored = record(data, personas.coordinator_a, status=ObservationStatus.SECRET)
    assert (stored.numerator, stored.denominator) == (None, None)
    with pytest.raises(services.MonitoringError, match="braucht es Zähler und Nenner"):
        record(data, personas.coordinator_a, period=2024, numerator=None)


def test_local_indicator_of_another_municipality_is_refused(personas, data):
    foreign = IndicatorFactory(municipality=personas.municipality_b)
    with pytest.raises(services.MonitoringError, match="anderen Kommune"):
        record(data, personas.coordinator_a, indicator=foreign)


def test_entry_page_saves_and_keeps_input_on_error(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:entry", args=[personas.municipality_a.slug])
    payload = {
        "indicator": data["indicator"].pk,
        "sozialraum": data["south"].pk,
        "period": 2023,
        "status": "reported",
        "numerator": "150",
        "denominator": "100",
    }
    response = client.post(url, payload)
    content = response.content.decode()
    assert response.status_code == 200
    assert "ist größer als der Nenner" in content
    assert 'value="150"' in content
    payload["numerator"] = "15"
    response = client.post(url, payload, follow=True)
    assert "Der Wert ist gespeichert" in response.content.decode()
    assert Observation.objects.get(sozialraum=data["south"], period=2023).numerator == 15


def test_entry_page_edits_with_the_version_and_refuses_a_stale_one(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:entry", args=[personas.municipality_a.slug])
    observation = data["observation"]
    form_page = client.get(
        url,
        {
            "indikator": observation.indicator_id,
            "sozialraum": observation.sozialraum_id,
            "jahr": 2022,
        },
    )
    form = form_page.context["form"]
    version = form.initial["expected_updated_at"]
    payload = {
        "indicator": observation.indicator_id,
        "sozialraum": observation.sozialraum_id,
        "period": 2022,
        "status": "reported",
        "numerator": "40",
        "denominator": "400",
        "expected_updated_at": version,
    }
    assert "gespeichert" in client.post(url, payload, follow=True).content.decode()
    payload["numerator"] = "41"  # the same form sent again: stale now
    content = client.post(url, payload).content.decode()
    assert "nachdem Sie das Formular geöffnet haben" in content
    observation.refresh_from_db()
    assert observation.numerator == 40


def test_approval_locks_releases_and_reopens_with_reason(client, personas, data):
    client.force_login(personas.coordinator_a)
    slug = personas.municipality_a.slug
    confirm = reverse("monitoring:approval_confirm", args=[slug, 2022])
    page = client.get(confirm).content.decode()
    assert "2 Werte des Jahres 2022" in page
    assert "1 Prüfhinweis offen" in page
    # Without the confirmation nothing happens.
    client.post(confirm, {})
    assert services.locked_periods(personas.municipality_a.pk) == set()
    client.post(confirm, {"confirm": "on"})
    assert services.locked_periods(personas.municipality_a.pk) == {2022}
    with pytest.raises(services.PeriodLockedError):
        record(data, personas.coordinator_a, period=2022, sozialraum=data["district"])
    client.post(reverse("monitoring:approval_release", args=[slug, 2022]), {"released": "1"})
    assert personas.municipality_a.data_approvals.get().released_to_state_office
    reopen = reverse("monitoring:approval_reopen", args=[slug, 2022])
    response = client.post(reopen, {"reason": "kurz"}, follow=True)
    assert "begründen" in response.content.decode()
    assert services.locked_periods(personas.municipality_a.pk) == {2022}
    client.post(reopen, {"reason": "Nachmeldung des Gesundheitsamts"})
    assert services.locked_periods(personas.municipality_a.pk) == set()
    actions = list(DataApprovalEvent.objects.order_by("pk").values_list("action", "reason"))
    assert actions == [
        ("approved", ""),
        ("released", ""),
        ("reopened", "Nachmeldung des Gesundheitsamts"),
    ]
    page = client.get(reverse("monitoring:approval_list", args=[slug])).content.decode()
    assert "Nachmeldung des Gesundheitsamts" in page


def test_resolve_flag_keeps_it_with_the_note(client, personas, data):
    client.force_login(personas.coordinator_a)
    slug = personas.municipality_a.slug
    url = reverse("monitoring:flag_list", args=[slug])
    assert "Testbefund" in client.get(url).content.decode()
    client.post(
        reverse("monitoring:flag_resolve", args=[data["flag"].pk]), {"note": "Neubaugebiet"}
    )
    flag = QualityFlag.objects.get()
    assert flag.resolved_by == personas.coordinator_a
    assert flag.resolution_note == "Neubaugebiet"
    assert "Testbefund" not in client.get(url).content.decode()
    assert "Neubaugebiet" in client.get(url, {"erledigt": "on"}).content.decode()
    assert (
        "Testbefund"
        not in client.get(
            url, {"erledigt": "on", "art": QualityFlagKind.OUTLIER_PEERS}
        ).content.decode()
    )
