"""The risk matrix and lineage diagram builders: data in, the right cells, labels and links out."""

from __future__ import annotations

from portal.charts import (
    LEVEL_COLOURS,
    HeatPoint,
    LineageNode,
    lineage_sankey,
    risk_heatmap,
)

TICKS = [str(value) for value in range(1, 6)]
LEVELS = {"low": "low", "medium": "medium", "high": "high"}


def level_of() -> list[list[str]]:
    """The portal's bands: score 1-4 low, 5-9 medium, 10-25 high."""
    return [
        [
            "high"
            if (row + 1) * (column + 1) >= 10
            else "medium"
            if (row + 1) * (column + 1) >= 5
            else "low"
            for column in range(5)
        ]
        for row in range(5)
    ]


def matrix(points, more="+ {count} more"):
    return risk_heatmap(points, TICKS, TICKS, "Likelihood", "Impact", level_of(), LEVELS, more)


def test_models_are_written_into_their_cell_with_wrapped_escaped_names():
    figure = matrix(
        [
            HeatPoint("customer-churn (Decay)", 4, 3),
            HeatPoint("<b>odd</b>", 1, 5),
        ]
    )
    cells = {(a.y, a.x): a.text for a in figure.layout.annotations}
    assert cells[(4, 3)] == "customer-churn<br>(Decay)"
    assert cells[(1, 5)] == "&lt;b&gt;odd&lt;/b&gt;"
    assert figure.layout.xaxis.title.text == "Impact"
    assert list(figure.layout.yaxis.ticktext) == TICKS


def test_cells_are_coloured_by_level_and_a_full_cell_says_how_many_more():
    figure = matrix([HeatPoint(f"m{i}", 5, 5) for i in range(5)])
    [heat] = figure.data
    # z holds the level's position: low 0, medium 1, high 2.
    assert heat.z[0][0] == 0 and heat.z[1][2] == 1 and heat.z[4][4] == 2
    assert heat.text[4][4] == "5 × 5 = 25 (high)"
    assert {colour for _, colour in heat.colorscale} == set(LEVEL_COLOURS.values())
    [cell] = figure.layout.annotations
    assert cell.text == "m0<br>m1<br>m2<br>+ 2 more"
    assert cell.hovertext == "m0<br>m1<br>m2<br>m3<br>m4"


def test_empty_matrix_has_no_labels():
    assert matrix([]).layout.annotations == ()


def test_sankey_places_each_layer_in_its_column_and_links_by_key():
    nodes = [
        LineageNode("s", "billing", 0),
        LineageNode("m1", "churn", 1),
        LineageNode("m2", "upsell", 1),
        LineageNode("p", "Retention", 2),
    ]
    figure = lineage_sankey(
        nodes, [("s", "m1"), ("s", "m2"), ("m1", "p")], ["Source", "Model", "Process"]
    )
    [sankey] = figure.data
    assert list(sankey.node.label) == ["billing", "churn", "upsell", "Retention"]
    assert list(sankey.link.source) == [0, 0, 1]
    assert list(sankey.link.target) == [1, 2, 3]
    x = list(sankey.node.x)
    assert x[0] < x[1] == x[2] < x[3]
    assert sankey.node.y[1] < sankey.node.y[2]
    assert [a.text for a in figure.layout.annotations] == [
        "<b>Source</b>",
        "<b>Model</b>",
        "<b>Process</b>",
    ]
