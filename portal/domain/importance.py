"""What a model looks at: each input's share of the model's reliance on its inputs, measured by
shuffling one input at a time on the reference sample (permutation importance)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# What the shuffled predictions were scored against: the true outcomes of the reference sample,
# or, where it has none, the model's own unshuffled predictions (how often they stay the same).
BASES = ("label", "predictions")
OUTCOMES = ("computed", "failed")
TOP_INPUTS = 5


@dataclass(frozen=True)
class InputImportance:
    """One input of one model version: how much its predictions suffer when it is shuffled."""

    feature: str
    mean: float  # mean drop of the score over the repeats (accuracy or R²; may be negative)
    std: float  # spread of that drop over the repeats
    share: float  # of the total positive drop of all inputs (0.31 = 31 %); 0 when it does not help
    rank: int  # 1 = the input the model relies on most
    basis: str  # one of BASES


@dataclass(frozen=True)
class ModelImportance:
    """A model version's stored importance, or why it could not be computed."""

    model_name: str
    model_version: int
    outcome: str  # one of OUTCOMES
    detail: str  # why it failed, in one line; '' when computed
    computed_at: datetime
    basis: str  # one of BASES; '' when failed
    inputs: tuple[InputImportance, ...]  # by rank

    @property
    def shares(self) -> dict[str, float]:
        return {item.feature: item.share for item in self.inputs}


@dataclass(frozen=True)
class DrivingInputs:
    """The inputs that drive a model's predictions most, for a sentence: names with shares, the
    share the other inputs carry together, and what the shares were measured against."""

    inputs: tuple[tuple[str, float], ...]  # (input, share), largest first, at most TOP_INPUTS
    others: int  # inputs not named
    others_share: float  # share they carry together
    basis: str


def rank_importance(
    raw: Sequence[tuple[str, float, float]], basis: str
) -> tuple[InputImportance, ...]:
    """(input, mean, std) as ranked importance with shares of the total positive mean.

    A negative mean (the score got better when the input was shuffled) is noise around zero: it
    counts as no reliance, never as a negative share. Ties keep the inputs' order.
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    total = sum(max(mean, 0.0) for _, mean, _ in raw)
    ordered = sorted(enumerate(raw), key=lambda item: (-item[1][1], item[0]))
    return tuple(
        InputImportance(
            feature=feature,
            mean=mean,
            std=std,
            share=max(mean, 0.0) / total if total > 0 else 0.0,
            rank=rank,
            basis=basis,
        )
        for rank, (_, (feature, mean, std)) in enumerate(ordered, start=1)
    )


def driving_inputs(importance: ModelImportance, top: int = TOP_INPUTS) -> DrivingInputs | None:
    """The `top` inputs with the largest share; None when nothing was computed."""
    if importance.outcome != "computed":
        return None
    relied = [item for item in sorted(importance.inputs, key=lambda i: i.rank) if item.share > 0]
    if not relied:
        return None
    named = relied[:top]
    rest = relied[top:]
    return DrivingInputs(
        inputs=tuple((item.feature, item.share) for item in named),
        others=len(importance.inputs) - len(named),
        others_share=sum(item.share for item in rest),
        basis=importance.basis,
    )
