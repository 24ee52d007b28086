"""The attention list in sentences: one item, one group of items; no Streamlit here.

People are passed by a `name_of` function (e-mail to display name), so pages and PDFs name
them from the people directory while this module stays free of I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from portal.domain.attention import AttentionGroup, AttentionItem, Stake
from portal.text.format import format_date, format_money
from portal.text.i18n import translate
from portal.text.wording import risk_name

NameOf = Callable[[str], str]


def _itself(email: str) -> str:
    return email


def kind_label(language: str, kind: str) -> str:
    """A short label for a kind: 'Drifting', 'No accountable executive'."""
    return translate(language, f"attention_kind.{kind}")


def what_text(language: str, item: AttentionItem) -> str:
    """What is wrong, with since when where known: 'Credit scoring has been drifting since …'."""
    values = {"model": item.model_name, "detail": _detail(language, item)}
    if item.since is not None:
        return translate(
            language,
            f"attention_since.{item.kind}",
            since=format_date(language, item.since),
            **values,
        )
    return translate(language, f"attention_what.{item.kind}", **values)


def stake_text(language: str, stake: Stake) -> str:
    """What is at stake, as clauses: 'it decides automatically, 42,000 EUR a month promised'."""
    parts = []
    if stake.automated:
        parts.append(translate(language, "attention.stake_automated"))
    if stake.monthly_value:
        money = format_money(language, stake.monthly_value, stake.currency)
        parts.append(translate(language, "attention.stake_money", money=money))
    if stake.ai_act_category in ("high", "prohibited"):
        parts.append(translate(language, f"attention.stake_act_{stake.ai_act_category}"))
    elif stake.criticality == "high":
        parts.append(translate(language, "attention.stake_critical"))
    if stake.processes > 1:
        parts.append(translate(language, "attention.stake_processes", count=stake.processes))
    return ", ".join(parts)


def acts_text(language: str, item: AttentionItem, name_of: NameOf = _itself) -> str:
    """Who acts: 'Anna Schmidt (technical owner) acts'; the administrators when nobody is named."""
    if not item.acts:
        return translate(language, "attention.acts_admin")
    role = translate(language, f"ownership_role.{item.acts_role}")
    return translate(language, "attention.acts", person=name_of(item.acts) or item.acts, role=role)


def situation_sentence(language: str, item: AttentionItem) -> str:
    """What is wrong and since when, and what is at stake; for pages that show who acts apart."""
    return translate(language, "attention.sentence_end", text="; ".join(_situation(language, item)))


def item_sentence(language: str, item: AttentionItem, name_of: NameOf = _itself) -> str:
    """One plain sentence: what is wrong and since when; what is at stake; who acts."""
    parts = [*_situation(language, item), acts_text(language, item, name_of)]
    return translate(language, "attention.sentence_end", text="; ".join(parts))


def _situation(language: str, item: AttentionItem) -> list[str]:
    stake = stake_text(language, item.stake)
    return [what_text(language, item), stake] if stake else [what_text(language, item)]


def group_sentence(language: str, group: AttentionGroup) -> str:
    """'412 production models have no accountable executive; 38 of them decide automatically.'"""
    one = group.count == 1
    key = f"attention_group_one.{group.kind}" if one else f"attention_group.{group.kind}"
    parts = [translate(language, key, count=group.count)]
    if group.automated:
        parts.append(
            translate(language, "attention.group_automated_one")
            if one
            else translate(language, "attention.group_automated", count=group.automated)
        )
    if group.monthly_value:
        currency = group.items[0].stake.currency if group.items else ""
        money = format_money(language, group.monthly_value, currency)
        key = "attention.group_money_one" if one else "attention.group_money"
        parts.append(translate(language, key, money=money))
    return translate(language, "attention.sentence_end", text="; ".join(parts))


def _detail(language: str, item: AttentionItem) -> str:
    """The codes behind an item in words: risks assessed high, evidence missing."""
    if item.kind == "high_risk":
        names = [risk_name(language, code) for code in item.detail]
        if language == "en":  # mid-sentence; German nouns keep their capital
            names = [name[:1].lower() + name[1:] for name in names]
        return ", ".join(names)
    if item.kind == "evidence_missing":
        return ", ".join(translate(language, f"evidence.{code}") for code in item.detail)
    if item.kind == "incident_open":
        return ", ".join(item.detail)  # the incidents' references
    if item.kind == "decaying":
        parts = []
        for code in item.detail:
            reason, _, about = code.partition(":")
            parts.append(translate(language, f"attention_decay.{reason}", about=about))
        return ", ".join(parts)
    return ""
