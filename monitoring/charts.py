"""Vega-Lite specs of the monitoring charts, built with Altair from disclosed rows.

The browser renders a spec with vega-embed (static/js/charts.js); the PDF report renders the
same spec with `to_svg`. Specs only ever see rows from monitoring.selectors, i.e. after
disclosure control: a suppressed value is left out of bar and line data and has no value in
the map (the area is drawn grey and labelled „nicht gezeigt“), so it cannot be read from the
page source either. Every chart on a page has a data table with the same rows beside it and a
text alternative (`describe`).
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import pairwise

import altair as alt
import vl_convert
from django.utils.formats import number_format
from django.utils.translation import gettext as _

HIDDEN_COLOUR = "#d9d9d9"
WIDTH = 560


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _axis_title(indicator) -> str:
    return f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name


def _base(data: list[dict], title: str) -> alt.Chart:
    return alt.Chart(alt.Data(values=data), title=title, width=WIDTH)


def _area_label(row, municipality_name: str) -> str:
    return row.sozialraum.name if row.sozialraum else municipality_name


def time_series(rows: Sequence, *, indicator, municipality_name: str) -> dict:
    """Lines over the years, one per area (and the municipality total)."""
    data = [
        {
            "Jahr": str(r.period),
            "Gebiet": _area_label(r, municipality_name),
            "Wert": _number(r.value),
        }
        for r in rows
        if not r.suppressed and r.value is not None
    ]
    return _lines_by_area(data, _("%(name)s im Zeitverlauf") % {"name": indicator.name}, indicator)


def ranking(rows: Sequence, *, indicator, period: int) -> dict:
    """Bars of the Sozialräume, highest value on top; hidden values have no bar."""
    data = [
        {"Sozialraum": r.sozialraum.name, "Wert": _number(r.value)}
        for r in rows
        if r.sozialraum is not None and not r.suppressed and r.value is not None
    ]
    chart = (
        _base(
            data, _("%(name)s %(year)s nach Sozialraum") % {"name": indicator.name, "year": period}
        )
        .mark_bar(color="#1f5f99")
        .encode(
            x=alt.X("Wert:Q", title=_axis_title(indicator)),
            y=alt.Y("Sozialraum:N", sort="-x", title=None),
            tooltip=["Sozialraum:N", alt.Tooltip("Wert:Q", format=",.1f")],
        )
    )
    return chart.to_dict()


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_a), (x2, y2, *_b) in pairwise(ring))


def _rewound(geometry: dict) -> dict:
    """The geometry with rings in d3-geo's winding order (outer rings clockwise, holes
    counter-clockwise). GeoJSON (RFC 7946) winds the other way, and d3 reads an outer ring
    that runs counter-clockwise as "everything except this area" – the map would be one
    filled rectangle."""

    def polygon(rings):
        return [
            ring[::-1] if (_signed_area(ring) > 0) == (index == 0) else ring
            for index, ring in enumerate(rings)
        ]

    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    if geometry.get("type") == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [polygon(rings) for rings in geometry["coordinates"]],
        }
    return geometry


def choropleth(rows: Sequence, *, indicator, period: int) -> dict | None:
    """The Sozialräume with a boundary, coloured by value; None if no area has a boundary."""
    features = []
    for r in rows:
        if r.sozialraum is None or not r.sozialraum.boundary:
            continue
        shown = not r.suppressed and r.value is not None
        features.append(
            {
                "type": "Feature",
                "geometry": _rewound(r.sozialraum.boundary),
                "properties": {
                    "Sozialraum": r.sozialraum.name,
                    "Wert": _number(r.value) if shown else None,
                    "Anzeige": number_format(r.value, 1) if shown else _("nicht gezeigt"),
                },
            }
        )
    if not features:
        return None
    data = alt.Data(values=features, format=alt.DataFormat(type="json"))
    chart = (
        alt.Chart(
            data,
            title=_("%(name)s %(year)s – Karte") % {"name": indicator.name, "year": period},
            width=WIDTH,
            height=WIDTH * 3 // 4,
        )
        .mark_geoshape(stroke="white", strokeWidth=1)
        .encode(
            color=alt.condition(
                "datum.properties.Wert === null",
                alt.value(HIDDEN_COLOUR),
                alt.Color(
                    "properties.Wert:Q",
                    title=_axis_title(indicator),
                    scale=alt.Scale(scheme="blues"),
                ),
            ),
            tooltip=[
                alt.Tooltip("properties.Sozialraum:N", title=_("Sozialraum")),
                alt.Tooltip("properties.Anzeige:N", title=_("Wert")),
            ],
        )
        .project(type="mercator")
    )
    return chart.to_dict()


def _lines_by_area(data: list[dict], title: str, indicator) -> dict:
    """One line per area over the years, from rows with Gebiet, Jahr and Wert."""
    chart = (
        _base(data, title)
        .mark_line(point=True)
        .encode(
            x=alt.X("Jahr:O", title=_("Jahr"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Wert:Q", title=_axis_title(indicator)),
            color=alt.Color("Gebiet:N", title=_("Gebiet")),
            tooltip=["Gebiet:N", "Jahr:O", alt.Tooltip("Wert:Q", format=",.1f")],
        )
    )
    return chart.to_dict()


def comparison(series: Iterable[tuple[str, int, Decimal]], *, indicator) -> dict:
    """Lines of the municipality and its reference areas (label, year, value)."""
    data = [{"Gebiet": label, "Jahr": str(year), "Wert": _number(v)} for label, year, v in series]
    return _lines_by_area(data, _("%(name)s im Vergleich") % {"name": indicator.name}, indicator)


def need_index_bars(results: Sequence) -> dict:
    """Bars of the need index per Sozialraum, highest need on top."""
    data = [
        {"Sozialraum": r.sozialraum.name, "Index": _number(r.score)}
        for r in results
        if r.score is not None
    ]
    chart = (
        _base(data, _("Bedarfsindex nach Sozialraum"))
        .mark_bar(color="#8a2b2b")
        .encode(
            x=alt.X("Index:Q", title=_("Bedarfsindex (höher = mehr Bedarf)")),
            y=alt.Y("Sozialraum:N", sort="-x", title=None),
            tooltip=["Sozialraum:N", alt.Tooltip("Index:Q", format=",.2f")],
        )
    )
    return chart.to_dict()


def municipality_bars(rows: Sequence, *, indicator) -> dict:
    """Bars of the municipalities (state-office view); hidden values have no bar."""
    data = [
        {"Kommune": r.municipality.short_name, "Wert": _number(r.value)}
        for r in rows
        if not r.suppressed and r.value is not None
    ]
    chart = (
        _base(data, indicator.name)
        .mark_bar(color="#1f5f99")
        .encode(
            x=alt.X("Wert:Q", title=_axis_title(indicator)),
            y=alt.Y("Kommune:N", sort="-x", title=None),
            tooltip=["Kommune:N", alt.Tooltip("Wert:Q", format=",.1f")],
        )
    )
    return chart.to_dict()


def to_svg(spec: dict) -> str:
    """The spec as an SVG document (for PDFs), German number format."""
    return vl_convert.vegalite_to_svg(spec, format_locale="de-DE")


def describe(rows: Sequence, *, indicator, period: int | None = None) -> str:
    """A text alternative: highest and lowest shown value and how many are hidden."""
    shown = [r for r in rows if r.sozialraum and not r.suppressed and r.value is not None]
    hidden = sum(1 for r in rows if r.sozialraum and (r.suppressed or r.value is None))
    parts = []
    if shown:
        high = max(shown, key=lambda r: r.value)
        low = min(shown, key=lambda r: r.value)
        parts.append(
            _(
                "Höchster Wert: %(high)s %(unit)s in %(high_area)s; niedrigster Wert: "
                "%(low)s %(unit)s in %(low_area)s."
            )
            % {
                "high": number_format(high.value, 1),
                "high_area": high.sozialraum.name,
                "low": number_format(low.value, 1),
                "low_area": low.sozialraum.name,
                "unit": indicator.unit,
            }
        )
    else:
        parts.append(_("Für keinen Sozialraum wird ein Wert gezeigt."))
    if hidden:
        parts.append(
            _("%(count)s Werte werden nicht gezeigt („.“: zu wenige Fälle oder nicht geliefert).")
            % {"count": hidden}
        )
    return " ".join(parts)
