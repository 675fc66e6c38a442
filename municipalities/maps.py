"""The map of NRW with a programme's participants, drawn server-side as SVG.

The chart is a Vega-Lite spec built with Altair and rendered with vl-convert, so the page
needs no JavaScript and the same spec can later go into PDFs. Rendering takes about half a
second, hence the cache; its key carries a fingerprint of the data, so it never goes stale.
"""

import re
from dataclasses import dataclass
from datetime import date

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from municipalities import selectors
from municipalities.models import Participation, Programme

CACHE_SECONDS = 24 * 60 * 60
WIDTH = 640
HEIGHT = 600

# Fills by cohort: dark to light, each at least 3:1 against the grey of the non-participants.
COHORT_COLOURS = ["#0b3a66", "#1f7aad", "#5c3c92", "#8a4b08"]
NOT_PARTICIPATING_COLOUR = "#e3e6ee"
BORDER_COLOUR = "#ffffff"
TEXT_COLOUR = "#131525"

# Two points closer than this (in degrees) would print their labels over each other, so the
# western one puts its label on the left.
LABEL_CLASH_LON = 0.45
LABEL_CLASH_LAT = 0.07


@dataclass(frozen=True)
class ParticipationMap:
    svg: str  # safe to embed inline: produced by vl-convert from our own spec
    title: str
    description: str


def participation_map(
    programme: Programme, reference_date: date, participations: list[Participation]
) -> ParticipationMap:
    version = selectors.map_data_version(programme, participations)
    key = (
        f"programme-map:v1:{programme.slug}:{reference_date.isoformat()}:{version}:{get_language()}"
    )
    cached = cache.get(key)
    if cached is None:
        cached = _draw(programme, reference_date, participations)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _cohort_label(cohort: int) -> str:
    return _("Jahrgang %(cohort)s") % {"cohort": cohort}


def _draw(
    programme: Programme, reference_date: date, participations: list[Participation]
) -> ParticipationMap:
    kreis_level = {
        p.municipality_id: p.cohort for p in participations if p.municipality.is_kreis_level
    }
    points = [
        p
        for p in participations
        if not p.municipality.is_kreis_level
        and p.municipality.longitude is not None
        and p.municipality.latitude is not None
    ]
    cohorts = sorted({p.cohort for p in participations})
    not_participating = _("nicht teilnehmend")
    domain = [_cohort_label(c) for c in cohorts] + [not_participating]
    colours = [COHORT_COLOURS[i % len(COHORT_COLOURS)] for i in range(len(cohorts))]
    scale = alt.Scale(domain=domain, range=[*colours, NOT_PARTICIPATING_COLOUR])
    legend_title = _("Teilnahme")

    features = [
        {
            "type": "Feature",
            "geometry": unit["boundary"],
            "properties": {
                "name": unit["short_name"],
                "status": _cohort_label(kreis_level[unit["pk"]])
                if unit["pk"] in kreis_level
                else not_participating,
            },
        }
        for unit in selectors.kreis_level_boundaries()
    ]
    areas = (
        alt.Chart(alt.Data(values=features, format=alt.DataFormat(type="json")))
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.8)
        .encode(
            color=alt.Color(
                "properties.status:N",
                scale=scale,
                legend=alt.Legend(title=legend_title, orient="top-right", offset=0),
            )
        )
    )
    layers = [areas]

    if points:
        rows = [_point_row(p, points) for p in points]
        dots = (
            alt.Chart(alt.Data(values=rows))
            .mark_point(filled=True, size=90, stroke=BORDER_COLOUR, strokeWidth=1.5, opacity=1)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                color=alt.Color("status:N", scale=scale, legend=None),
                shape=alt.value("circle"),
            )
        )
        layers.append(dots)
        for side, align, dx in (("right", "left", 8), ("left", "right", -8)):
            side_rows = [r for r in rows if r["side"] == side]
            if not side_rows:
                continue
            base = alt.Chart(alt.Data(values=side_rows)).encode(
                longitude="lon:Q", latitude="lat:Q", text="name:N"
            )
            # A white halo under each label keeps it readable on dark fills.
            layers.append(
                base.mark_text(
                    align=align,
                    dx=dx,
                    fontSize=12,
                    stroke=BORDER_COLOUR,
                    strokeWidth=3,
                    strokeJoin="round",
                )
            )
            layers.append(
                base.mark_text(align=align, dx=dx, fontSize=12, fontWeight=600, color=TEXT_COLOUR)
            )

    chart = (
        alt.layer(*layers)
        .properties(width=WIDTH, height=HEIGHT, background="transparent")
        .project(type="mercator")
        .configure(aria=False, font="Fira Sans")
        .configure_view(stroke=None)
        .configure_legend(labelFontSize=13, titleFontSize=13, symbolType="square")
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())

    title = _(
        "Karte: Teilnehmende am Programm %(programme)s in Nordrhein-Westfalen, Stand %(date)s"
    ) % {
        "programme": programme.short_name,
        "date": date_format(reference_date, "SHORT_DATE_FORMAT"),
    }
    description = " ".join(
        [
            ngettext(
                "%(n)d Kreis oder kreisfreie Stadt ist eingefärbt.",
                "%(n)d Kreise und kreisfreie Städte sind eingefärbt.",
                len(kreis_level),
            )
            % {"n": len(kreis_level)},
            ngettext(
                "%(n)d kreisangehörige Stadt oder Gemeinde ist als beschrifteter Punkt markiert.",
                "%(n)d kreisangehörige Städte und Gemeinden sind als beschriftete Punkte markiert.",
                len(points),
            )
            % {"n": len(points)},
            _(
                "Die Farbe zeigt den Jahrgang. "
                "Die Tabelle unter der Karte nennt alle Teilnehmenden."
            ),
        ]
    )
    return ParticipationMap(
        svg=_accessible(svg, title, description), title=title, description=description
    )


def _point_row(participation: Participation, points: list[Participation]) -> dict:
    m = participation.municipality
    lon, lat = float(m.longitude), float(m.latitude)
    clash_to_east = any(
        0 < float(o.municipality.longitude) - lon < LABEL_CLASH_LON
        and abs(float(o.municipality.latitude) - lat) < LABEL_CLASH_LAT
        for o in points
        if o is not participation
    )
    return {
        "name": m.short_name,
        "lon": lon,
        "lat": lat,
        "status": _cohort_label(participation.cohort),
        "side": "left" if clash_to_east else "right",
    }


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
# Vega labels every mark container and symbol for assistive technology; inside one image
# (role="img") those roles only confuse, and axe counts each symbol as an unnamed image.
_VEGA_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


def _accessible(svg: str, title: str, description: str) -> str:
    """One image for assistive technology, named by its title and described by its text;
    fixed width/height go so the map scales with the page (the viewBox keeps the ratio)."""

    def opening(match: re.Match) -> str:
        attrs = re.sub(r'\s(width|height)="[^"]*"', "", match.group(1))
        return (
            f'<svg{attrs} role="img" aria-labelledby="karte-titel karte-beschreibung" '
            f'focusable="false" class="portal-map__svg">'
            f'<title id="karte-titel">{escape(title)}</title>'
            f'<desc id="karte-beschreibung">{escape(description)}</desc>'
        )

    return _SVG_OPEN.sub(opening, _VEGA_ARIA.sub("", svg), count=1)
