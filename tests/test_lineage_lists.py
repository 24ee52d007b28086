"""Lineage at scale: a source's reach, a radius narrowed to one process, what a diagram holds."""

from __future__ import annotations

from portal.domain.lineage import DIAGRAM_MOST, BlastRadius, LineageLink, SourceReach, drawable
from portal.services.lineage import LineageService


def link(name: str, process: str, *sources: str) -> LineageLink:
    return LineageLink(
        process, "", name, 1, 1, f"run-{name}", "", "", "", tuple(sources), (), "", ()
    )


LINKS = tuple(
    link(f"model-{index:03d}", f"Process {index % 3}", "crm", *(["billing"] if index % 2 else []))
    for index in range(90)
)


def test_source_reach_counts_models_and_processes_widest_first():
    assert LineageService.source_reach(LINKS) == (
        SourceReach("crm", 90, 3),
        SourceReach("billing", 45, 3),
    )


def test_a_radius_narrowed_to_a_process_and_what_a_diagram_draws():
    radius = BlastRadius("crm", LINKS)
    assert not drawable(radius.links) and len(radius.links) > DIAGRAM_MOST
    part = radius.within("Process 1")
    assert len(part.links) == 30 and part.processes == ("Process 1",)
    assert drawable(part.links)
    assert radius.within(None) is radius
    assert not drawable(())
