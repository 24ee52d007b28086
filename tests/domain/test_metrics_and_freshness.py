import math
from datetime import datetime, timedelta

import pytest

from portal.domain.freshness import catalog_freshness
from portal.domain.metrics import metric_meaning, usable_value


@pytest.mark.parametrize(
    ("name", "code", "better", "share"),
    [
        ("accuracy", "accuracy", "higher", True),
        ("test_roc_auc", "roc_auc", "higher", True),
        ("val_f1_score", "f1", "higher", True),
        ("RMSE", "rmse", "lower", False),
        ("mean_absolute_error", "mae", "lower", False),
        ("custom_lift", None, None, False),
    ],
)
def test_metric_names_are_recognised_through_decorations(name, code, better, share):
    meaning = metric_meaning(name)
    assert (meaning.code, meaning.better, meaning.is_share) == (code, better, share)


def test_nan_and_infinite_metrics_are_not_usable():
    assert usable_value(math.nan) is None
    assert usable_value(math.inf) is None
    assert usable_value(0.0) == 0.0


NOW = datetime(2026, 11, 27, 12, 0)


def test_freshness_states():
    day = timedelta(hours=24)
    assert catalog_freshness(None, False, NOW, day).state == "never"
    assert catalog_freshness(NOW - timedelta(hours=2), False, NOW, day).state == "fresh"
    stale = catalog_freshness(NOW - timedelta(hours=30), False, NOW, day)
    assert (stale.state, stale.age) == ("stale", timedelta(hours=30))
    assert catalog_freshness(NOW - timedelta(hours=1), True, NOW, day).state == "failing"
