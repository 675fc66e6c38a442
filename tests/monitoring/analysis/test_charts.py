"""Chart specs render to SVG with vl-convert (for the PDF report)."""

from monitoring import charts, selectors


def test_specs_render_to_svg(world, personas):
    rows = selectors.observation_table(
        user=personas.viewer_a,
        municipality=world.municipality,
        indicators=[world.poverty],
        periods=[2022],
    )
    leaves = [r for r in rows if r.sozialraum and r.sozialraum.parent_id]
    for spec in (
        charts.ranking(leaves, indicator=world.poverty, period=2022),
        charts.choropleth(leaves, indicator=world.poverty, period=2022),
        charts.time_series(rows, indicator=world.poverty, municipality_name="Kommune A"),
    ):
        svg = charts.to_svg(spec)
        assert svg.startswith("<svg")
        assert "<path" in svg


def test_describe_names_highest_lowest_and_hidden(world, personas):
    rows = selectors.observation_table(
        user=personas.viewer_a,
        municipality=world.municipality,
        indicators=[world.poverty],
        periods=[2022],
    )
    leaves = [r for r in rows if r.sozialraum and r.sozialraum.parent_id]
    text = charts.describe(leaves, indicator=world.poverty, period=2022)
    assert "30,0 % in Viertel 2.2" in text
    assert "20,0 % in Viertel 2.1" in text
    assert "2 Werte werden nicht gezeigt" in text


def test_map_rings_are_wound_for_d3():
    from monitoring.charts import _rewound, _signed_area

    counter_clockwise = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # RFC 7946 outer ring
    hole = [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.4, 0.2], [0.2, 0.2]]  # clockwise hole
    rewound = _rewound({"type": "Polygon", "coordinates": [counter_clockwise, hole]})
    outer, inner = rewound["coordinates"]
    assert _signed_area(outer) < 0
    assert _signed_area(inner) > 0
    again = _rewound(rewound)
    assert again == rewound
