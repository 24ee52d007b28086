import pytest

from portal.domain.documentation import (
    CONTRACT_TAGS,
    documentation_gaps,
    documentation_score,
    effective_tags,
    split_list_tag,
)


def test_contract_has_the_ten_tags_of_the_design():
    assert len(CONTRACT_TAGS) == 10
    assert {"owner", "purpose", "decision_mode", "data_sources"} <= set(CONTRACT_TAGS)


def test_no_tags_means_every_gap_and_score_zero():
    assert documentation_gaps({}) == CONTRACT_TAGS
    assert documentation_score({}) == 0


def test_blank_values_count_as_missing_and_score_counts_the_rest():
    tags = {key: "x" for key in CONTRACT_TAGS}
    tags["limitations"] = "   "
    del tags["owner"]
    assert documentation_gaps(tags) == ("owner", "limitations")
    assert documentation_score(tags) == pytest.approx(0.8)


def test_version_tags_override_model_tags_but_blank_ones_do_not():
    merged = effective_tags({"purpose": "old", "owner": "a"}, {"purpose": "new", "owner": " "})
    assert merged == {"purpose": "new", "owner": "a"}


def test_data_sources_split_on_commas():
    assert split_list_tag(" crm.contracts, ,billing ") == ("crm.contracts", "billing")
