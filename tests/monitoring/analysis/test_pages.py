"""Analysis pages: who may open them, what they show (suppressed as „.“, also in the chart
specs), comments, need index pages, the state-office view, query counts."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Comment, NeedIndex
from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    NeedIndexComponentFactory,
    NeedIndexFactory,
    ObservationFactory,
    SozialraumFactory,
)


def _urls(world):
    slug = world.municipality.slug
    pk = world.poverty.pk
    return {
        "overview": reverse("monitoring:analysis_overview", args=[slug]),
        "series": reverse("monitoring:analysis_series", args=[slug, pk]),
        "comparison": reverse("monitoring:analysis_comparison", args=[slug, pk]),
        "reference": reverse("monitoring:analysis_reference", args=[slug, pk]),
        "need_indices": reverse("monitoring:need_index_list", args=[slug]),
    }


PAGES = ["overview", "series", "comparison", "reference", "need_indices"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin"]
)
def test_members_and_state_office_may_open(client, world, personas, page, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(_urls(world)[page]).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["coordinator_b", "outsider", "researcher"])
def test_others_get_404(client, world, personas, page, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(_urls(world)[page]).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, world, page):
    response = client.get(_urls(world)[page])
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_state_office_gets_404_without_released_years(client, personas, world):
    world.municipality.data_approvals.update(released_to_state_office=False)
    client.force_login(personas.reviewer)
    assert client.get(_urls(world)["overview"]).status_code == 404


def test_unknown_municipality_and_foreign_local_indicator_are_404(client, personas, world):
    client.force_login(personas.coordinator_a)
    assert (
        client.get(reverse("monitoring:analysis_overview", args=["gibt-es-nicht"])).status_code
        == 404
    )
    foreign = IndicatorFactory(municipality=personas.municipality_b)
    url = reverse("monitoring:analysis_series", args=[world.municipality.slug, foreign.pk])
    assert client.get(url).status_code == 404


def _spec(content, chart_id):
    match = re.search(
        rf'<script id="{chart_id}-spec" type="application/json">(.*?)</script>', content, re.S
    )
    assert match, chart_id
    return json.loads(match.group(1))


def _values(spec):
    return spec["data"]["values"]


def _cell_text(content, area_name):
    row = re.search(rf"{re.escape(area_name)}</th>\s*<td[^>]*>(.*?)</td>", content, re.S)
    assert row, area_name
    return row.group(1)


def test_comparison_shows_dot_for_suppressed_cells_to_viewers(client, personas, world):
    client.force_login(personas.viewer_a)
    content = client.get(_urls(world)["comparison"] + "?jahr=2022").content.decode()
    assert "<abbr" in _cell_text(content, "1.1 Viertel 1.1")
    assert ">.</abbr>" in _cell_text(content, "1.1 Viertel 1.1")
    assert ">.</abbr>" in _cell_text(content, "1.2 Viertel 1.2")  # secondary
    assert "20,0" in _cell_text(content, "2.1 Viertel 2.1")
    bars = _spec(content, "grafik-rangfolge")
    names = {row["Sozialraum"] for row in _values(bars)}
    assert names == {"Viertel 2.1", "Viertel 2.2"}
    shapes = _spec(content, "grafik-karte")
    features = _values(shapes)
    by_name = {f["properties"]["Sozialraum"]: f["properties"] for f in features}
    assert by_name["Viertel 1.1"]["Wert"] is None
    assert by_name["Viertel 1.1"]["Anzeige"] == "nicht gezeigt"
    assert by_name["Viertel 2.1"]["Wert"] == 20.0
    # the hidden counts are nowhere in the page (2 and 10 of 100 → 2,0 and 10,0)
    assert "2,0" not in content.replace("12,0", "")
    assert "10,0" not in content


def test_comparison_shows_raw_values_to_the_coordinator(client, personas, world):
    client.force_login(personas.coordinator_a)
    content = client.get(_urls(world)["comparison"] + "?jahr=2022").content.decode()
    assert "2,0" in _cell_text(content, "1.1 Viertel 1.1")
    assert "*" in _cell_text(content, "1.1 Viertel 1.1")
    bars = _spec(content, "grafik-rangfolge")
    assert len(_values(bars)) == 4


def test_reviewer_sees_only_released_years(client, personas, world):
    client.force_login(personas.reviewer)
    content = client.get(_urls(world)["series"]).content.decode()
    assert ">2022</th>" in content
    assert ">2023</th>" not in content
    content = client.get(_urls(world)["comparison"] + "?jahr=2023").content.decode()
    assert "2023" not in re.search(r"<h1[^>]*>(.*?)</h1>", content, re.S).group(1)


def test_overview_lists_indicators_with_totals(client, personas, world):
    client.force_login(personas.viewer_a)
    content = client.get(_urls(world)["overview"] + "?jahr=2022").content.decode()
    assert "Armutsquote" in content
    assert "15,5" in content  # (2+10+20+30)/400
    assert _urls(world)["comparison"] in content


def test_series_chart_leaves_out_suppressed_values(client, personas, world):
    client.force_login(personas.viewer_a)
    url = _urls(world)["series"] + "?" + "&".join(f"gebiet={a.pk}" for a in world.areas)
    content = client.get(url).content.decode()
    spec = _spec(content, "grafik-zeitreihe")
    data = _values(spec)
    assert {"Jahr": "2022", "Gebiet": "Viertel 1.1", "Wert": 2.0} not in data
    assert not any(d["Gebiet"] == "Viertel 1.1" and d["Jahr"] == "2022" for d in data)
    assert any(d["Gebiet"] == "Viertel 1.1" and d["Jahr"] == "2023" for d in data)


def test_comment_by_member(client, personas, world):
    client.force_login(personas.companion_a)
    url = reverse(
        "monitoring:analysis_comment_create", args=[world.municipality.slug, world.poverty.pk]
    )
    response = client.post(
        url + "?jahr=2022", {"sozialraum": world.areas[2].pk, "text": "Neue Kita eröffnet."}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.period == 2022
    assert comment.indicator == world.poverty
    assert comment.author == personas.companion_a
    content = client.get(response["Location"]).content.decode()
    assert "Neue Kita eröffnet." in content


def test_empty_comment_is_refused_with_a_message(client, personas, world):
    client.force_login(personas.viewer_a)
    url = reverse(
        "monitoring:analysis_comment_create", args=[world.municipality.slug, world.poverty.pk]
    )
    response = client.post(url + "?jahr=2022", {"sozialraum": world.areas[2].pk, "text": ""})
    assert response.status_code == 400
    assert "Schreiben Sie einen Kommentar." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "coordinator_b", "outsider"])
def test_non_members_cannot_comment(client, personas, world, persona):
    client.force_login(getattr(personas, persona))
    url = reverse(
        "monitoring:analysis_comment_create", args=[world.municipality.slug, world.poverty.pk]
    )
    response = client.post(url + "?jahr=2022", {"sozialraum": world.areas[2].pk, "text": "x"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_reference_page_says_when_there_are_no_references(client, personas, world):
    client.force_login(personas.viewer_a)
    content = client.get(_urls(world)["reference"]).content.decode()
    assert "Keine Vergleichswerte" in content


def test_reference_values_need_three_municipalities(client, personas, world):
    others = []
    for n in range(2):
        area = SozialraumFactory(code=f"Z{n}")
        ObservationFactory(
            indicator=world.poverty,
            sozialraum=area,
            period=2022,
            numerator=Decimal(40),
            denominator=Decimal(100),
        )
        DataApprovalFactory(
            municipality=area.municipality, period=2022, released_to_state_office=True
        )
        others.append(area.municipality)
    client.force_login(personas.viewer_a)
    content = client.get(_urls(world)["reference"]).content.decode()
    assert "Keine Vergleichswerte" not in content
    # NRW 2022: (62 + 40 + 40) / 600 = 23,7 %
    assert "23,7" in content
    spec = _spec(content, "grafik-vergleich")
    lines = _values(spec)
    assert {"Gebiet": "NRW", "Jahr": "2022", "Wert": 23.667} in lines
    DataApprovalFactory._meta.model.objects.filter(municipality=others[0]).delete()
    content = client.get(_urls(world)["reference"]).content.decode()
    assert "23,7" not in content
    assert "Keine Vergleichswerte" in content


# Need index -------------------------------------------------------------------------------


def test_coordinator_creates_a_need_index(client, personas, world):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:need_index_create", args=[world.municipality.slug])
    form = client.get(url).content.decode()
    assert "Armutsquote" in form
    response = client.post(
        url,
        {
            "name": "Kinderarmut",
            "period": "2023",
            f"weight_{world.poverty.pk}": "2",
            f"weight_{world.care.pk}": "0,5",
        },
    )
    index = NeedIndex.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "monitoring:need_index_detail", args=[world.municipality.slug, index.pk]
    )
    weights = {c.indicator: c.weight for c in index.components.all()}
    assert weights == {world.poverty: Decimal(2), world.care: Decimal("0.5")}
    content = client.get(response["Location"]).content.decode()
    assert "Viertel 2.2" in content
    assert "grafik-index-spec" in content


def test_need_index_form_keeps_input_on_error(client, personas, world):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:need_index_create", args=[world.municipality.slug])
    response = client.post(url, {"name": "Ohne Gewicht", "period": "2023"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "mindestens einem Indikator ein Gewicht" in content
    assert 'value="Ohne Gewicht"' in content
    assert not NeedIndex.objects.exists()


def test_neutral_indicators_cannot_be_chosen(client, personas, world):
    neutral = IndicatorFactory(name="Neutraler Indikator", direction="neutral")
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:need_index_create", args=[world.municipality.slug])
    assert "Neutraler Indikator" not in client.get(url).content.decode()
    client.post(url, {"name": "X", "period": "2023", f"weight_{neutral.pk}": "1"})
    assert not NeedIndex.objects.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer", "coordinator_b"])
def test_only_coordinators_edit_need_indices(client, personas, world, persona):
    index = NeedIndexFactory(municipality=world.municipality, period=2022)
    client.force_login(getattr(personas, persona))
    create = reverse("monitoring:need_index_create", args=[world.municipality.slug])
    edit = reverse("monitoring:need_index_edit", args=[world.municipality.slug, index.pk])
    assert client.get(create).status_code == 404
    assert client.get(edit).status_code == 404


def test_reviewer_sees_need_index_of_released_year_only(client, personas, world):
    released = NeedIndexFactory(municipality=world.municipality, period=2022)
    internal = NeedIndexFactory(municipality=world.municipality, period=2023)
    client.force_login(personas.reviewer)
    slug = world.municipality.slug
    assert (
        client.get(reverse("monitoring:need_index_detail", args=[slug, released.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("monitoring:need_index_detail", args=[slug, internal.pk])).status_code
        == 404
    )
    content = client.get(reverse("monitoring:need_index_list", args=[slug])).content.decode()
    assert released.name in content
    assert internal.name not in content


# State office ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "approver", "state_admin", "researcher"])
def test_state_office_view(client, personas, world, persona):
    client.force_login(getattr(personas, persona))
    url = reverse("monitoring:analysis_state_office")
    content = client.get(f"{url}?indikator={world.poverty.pk}&jahr=2022").content.decode()
    assert "Kommune A" in content
    assert "15,5" in content
    assert "grafik-land-spec" in content
    assert "2023" not in content.split("<main", 1)[1]


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "outsider"])
def test_state_office_view_is_404_for_others(client, personas, world, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("monitoring:analysis_state_office")).status_code == 404


def test_state_office_view_suppresses_small_totals(client, personas, world):
    small = SozialraumFactory(code="K1")
    ObservationFactory(indicator=world.poverty, sozialraum=small, period=2022, numerator=Decimal(1))
    DataApprovalFactory(municipality=small.municipality, period=2022, released_to_state_office=True)
    client.force_login(personas.reviewer)
    url = reverse("monitoring:analysis_state_office")
    content = client.get(f"{url}?indikator={world.poverty.pk}&jahr=2022").content.decode()
    assert ">.</abbr>" in _cell_text(content, small.municipality.short_name)


# Query counts ----------------------------------------------------------------------------


def _add_areas(world, count, prefix):
    for n in range(count):
        area = SozialraumFactory(
            municipality=world.municipality, code=f"{prefix}{n}", parent=world.districts[0]
        )
        for indicator in (world.poverty, world.care):
            ObservationFactory(indicator=indicator, sozialraum=area, period=2022)


@pytest.mark.parametrize(
    "page", ["overview", "comparison", "series", "reference", "need_index", "land"]
)
def test_query_count_constant(client, personas, world, django_assert_max_num_queries, page):
    index = NeedIndexFactory(municipality=world.municipality, period=2022)
    NeedIndexComponentFactory(need_index=index, indicator=world.poverty)
    NeedIndexComponentFactory(need_index=index, indicator=world.care)
    urls = _urls(world)
    urls["need_index"] = reverse(
        "monitoring:need_index_detail", args=[world.municipality.slug, index.pk]
    )
    urls["land"] = reverse("monitoring:analysis_state_office") + f"?indikator={world.poverty.pk}&"
    client.force_login(personas.reviewer if page == "land" else personas.viewer_a)
    _add_areas(world, 2, "Q")
    # Worst case: every group is marked stale (factory writes), so the selector computes them.
    with django_assert_max_num_queries(18) as few:
        assert client.get(_with_year(urls[page])).status_code == 200
    _add_areas(world, 30, "R")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_with_year(urls[page])).status_code == 200


def _with_year(url):
    return url + ("jahr=2022" if url.endswith("&") else "?jahr=2022")


# Links into the monitoring -----------------------------------------------------------------


def test_navigation_and_municipality_page_link_the_monitoring(client, personas, world):
    overview = _urls(world)["overview"]
    detail = reverse("municipality_detail", args=[world.municipality.slug])
    client.force_login(personas.viewer_a)
    assert f'href="{overview}"' in client.get(reverse("start")).content.decode()
    assert f'href="{overview}"' in client.get(detail).content.decode()
    client.force_login(personas.reviewer)
    assert f'href="{overview}"' in client.get(detail).content.decode()
    assert reverse("monitoring:analysis_state_office") in client.get(detail).content.decode()
    world.municipality.data_approvals.update(released_to_state_office=False)
    assert f'href="{overview}"' not in client.get(detail).content.decode()
    client.force_login(personas.coordinator_b)
    assert f'href="{overview}"' not in client.get(detail).content.decode()
    client.logout()
    assert f'href="{overview}"' not in client.get(detail).content.decode()


def test_overview_counts_hidden_cells_for_viewers_and_coordinators(client, personas, world):
    for persona in ("viewer_a", "coordinator_a"):
        client.force_login(getattr(personas, persona))
        content = client.get(_urls(world)["overview"] + "?jahr=2022").content.decode()
        row = re.search(r"Armutsquote</a></th>(.*?)</tr>", content, re.S).group(1)
        numbers = re.findall(r'numeric">(\d+)</td>', row)
        assert numbers == ["4", "2"], persona  # both Bezirke, 2.1 and 2.2 shown; 1.1, 1.2 not


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin"]
)
def test_every_monitoring_link_on_the_overview_opens(client, world, personas, persona):
    """Whoever may open the overview may follow each of its links: no dead ends, no 404."""

    client.force_login(getattr(personas, persona))
    html = client.get(_urls(world)["overview"]).content.decode()
    links = set(re.findall(r'href="(/monitoring/[^"?#]*)', html))
    assert reverse("monitoring:report_list", args=[world.municipality.slug]) in links
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
