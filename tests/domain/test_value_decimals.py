"""Numbers compared in one value sentence share their precision; rates change in points."""

from __future__ import annotations

import pytest

from portal.domain.value import is_rate_unit, rounded_together, shared_decimals


@pytest.mark.parametrize(
    ("values", "decimals"),
    [
        ((0.412, 1.0), 1),  # a rate: 0.4 against 1
        ((662.0, 740.0), 0),  # customers
        ((12.5, 20.0), 0),  # two digits are enough
        ((0.04, 0.1), 2),
        ((0.0004, 0.001), 3),
        ((0.00004, 0.0001), 3),  # never more than three
        ((0.0, 0.0), 0),
        ((-0.3, 1.0), 1),  # a loss counts by its size
    ],
)
def test_shared_decimals_show_the_larger_value_with_two_digits(values, decimals):
    assert shared_decimals(*values) == decimals


def test_values_are_rounded_together():
    assert rounded_together(0.412, 1.0) == (0.4, 1.0)
    assert rounded_together(661.6, 740.0) == (662.0, 740.0)


@pytest.mark.parametrize("unit", ["%", " % ", "percent", "Prozent", "pp", "Percentage points"])
def test_rate_units(unit):
    assert is_rate_unit(unit)


@pytest.mark.parametrize("unit", ["", "customers", "EUR", "days", "% of customers"])
def test_other_units_are_not_rates(unit):
    assert not is_rate_unit(unit)
