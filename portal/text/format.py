"""Numbers, dates and ages as a reader of each language expects them; no Streamlit here."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from portal.text.i18n import translate

# Display formats for st.column_config date columns (moment.js syntax).
DATE_COLUMN_FORMAT = {"en": "D MMM YYYY", "de": "DD.MM.YYYY"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(language: str, value: datetime | None) -> str:
    """12 Mar 2026 in English, 12.03.2026 in German; empty when unknown."""
    if value is None:
        return ""
    if language == "de":
        return value.strftime("%d.%m.%Y")
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


_MONTH_NAMES = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}


def format_period(language: str, first: date, last: date) -> str:
    """'October 2026', or 'August – October 2026' / 'Nov 2025 – Oct 2026' for a range."""
    names = _MONTH_NAMES[language]
    if (first.year, first.month) == (last.year, last.month):
        return f"{names[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{names[first.month - 1]} – {names[last.month - 1]} {last.year}"
    return f"{names[first.month - 1]} {first.year} – {names[last.month - 1]} {last.year}"


def format_money(language: str, amount: float, currency: str) -> str:
    """12,345 EUR (en) or 12.345 EUR (de); whole units."""
    return f"{_localize(language, f'{amount:,.0f}')} {currency}"


def format_datetime(language: str, value: datetime | None) -> str:
    """Date and time (UTC) in the language's style."""
    if value is None:
        return ""
    return f"{format_date(language, value)} {value:%H:%M} UTC"


def format_age(language: str, age: timedelta) -> str:
    """'5 minutes ago' / 'vor 5 Minuten', in the largest whole unit."""
    seconds = age.total_seconds()
    if seconds < 60:
        return translate(language, "common.just_now")
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count = int(seconds // size)
        if count >= 1:
            amount = translate(
                language, f"common.{unit}" if count == 1 else f"common.{unit}s", n=count
            )
            return translate(language, "common.ago", amount=amount)
    return translate(language, "common.just_now")


def format_duration(value: timedelta | None) -> str:
    """A sync's duration: 0.8 s, 12 s, 3 min 5 s."""
    if value is None:
        return ""
    seconds = value.total_seconds()
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def format_percent(language: str, share: float) -> str:
    """0.8 -> '80 %' (German uses a decimal comma where a fraction shows)."""
    text = f"{share * 100:.0f}"
    return translate(language, "common.percent", value=text)


def format_marker(language: str, marker: str | None) -> str:
    """What marks a production version, in words: alias 'champion' or stage 'Production'."""
    if not marker:
        return ""
    if marker.startswith("stage:"):
        return translate(language, "markers.stage", stage=marker.removeprefix("stage:"))
    return translate(language, "markers.alias", alias=marker)


def format_number(language: str, value: float, as_percent: bool = False) -> str:
    """1234.5 -> '1,235' (en) or '1.235' (de); shares in [0, 1] as percentages if asked."""
    if as_percent and 0 <= value <= 1:
        return _localize(language, f"{value * 100:,.1f}") + " %"
    size = abs(value)
    if size >= 100:
        text = f"{value:,.0f}"
    elif size >= 1:
        # 23.00 reads as 23, 3.10 as 3.1: trailing zeros add no information.
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    return _localize(language, text)


def _localize(language: str, text: str) -> str:
    if language != "de":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


def markdown_literal(text: str) -> str:
    """Text from outside (tags, names, feedback) shown literally inside Markdown: no links, HTML,
    entities, emphasis, maths, emoji, colour codes or typographic dashes and arrows, and no
    bidirectional reordering."""
    neutral = without_bidi_controls(text)
    shown = []
    for char, following in zip(neutral, neutral[1:] + " ", strict=False):
        shown.append("\\" + char if char in MARKDOWN_SPECIALS else char)
        if char + following in TYPOGRAPHER_PAIRS:
            shown.append(WORD_JOINER)
    return "".join(shown)


# Every ASCII character Streamlit's Markdown gives a meaning: CommonMark and GFM syntax, `$` for
# maths, `:` for emoji shortcodes and :colour[...] directives, `&` for entities, `=` for headings.
MARKDOWN_SPECIALS = frozenset(r"\`*_{}[]()#+-.!|<>~$:&=")

# After parsing, Streamlit turns ' -- ' into an em dash and '->', '<-', '>=', '<=', '~=' into
# symbols, escaped or not; an invisible word joiner between the two characters keeps them.
TYPOGRAPHER_PAIRS = frozenset({"--", "->", "<-", ">=", "<=", "~="})
WORD_JOINER = "\u2060"

# Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), the left-to-right and
# right-to-left marks and the Arabic letter mark: shown as they are, they reorder the text
# around them, so that 'evil.exe' can read 'exe.live'.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


_BIDI_SHOWN = {ord(char): f"<U+{ord(char):04X}>" for char in BIDI_CONTROLS}


def without_bidi_controls(text: str) -> str:
    """Outside text with each bidirectional control shown as its code point, e.g. <U+202E>:
    what a reader sees is what was typed, in typing order (the store keeps the text exactly)."""
    return text.translate(_BIDI_SHOWN)


def markdown_code(text: str) -> str:
    """Outside text as a Markdown code span, exactly: fenced by more backticks than it holds."""
    shown = without_bidi_controls(text).replace("\n", " ")
    fence = "`" * (_longest_backtick_run(shown) + 1)
    return f"{fence} {shown} {fence}"


def _longest_backtick_run(text: str) -> int:
    longest = current = 0
    for char in text:
        current = current + 1 if char == "`" else 0
        longest = max(longest, current)
    return longest
