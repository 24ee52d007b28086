"""Outside text shown literally: Markdown escaped, bidirectional controls made visible."""

from __future__ import annotations

import pytest

from portal.text.format import (
    BIDI_CONTROLS,
    markdown_code,
    markdown_literal,
    without_bidi_controls,
)

HOSTILE = {
    "**bold**": r"\*\*bold\*\*",
    "_x_": r"\_x\_",
    "$x$": r"\$x\$",
    "<b>x</b>": r"\<b\>x\</b\>",
    "[link](http://e.com)": r"\[link\]\(http\://e\.com\)",
    ":red[x]": r"\:red\[x\]",
    "# h": r"\# h",
    "`tick`": r"\`tick\`",
    "x'; DROP TABLE runs; --": "x'; DROP TABLE runs; \\-\u2060\\-",
    ":smile:": r"\:smile\:",
    "a & b &amp; c": r"a \& b \&amp; c",
    "title\n===": "title\n\\=\\=\\=",
    "~~gone~~ | cell": r"\~\~gone\~\~ \| cell",
    "a -> b <= c": "a \\-\u2060\\> b \\<\u2060\\= c",
}


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_punctuation_is_escaped(text):
    assert markdown_literal(text) == HOSTILE[text]


def test_plain_words_and_other_scripts_stay_as_they_are():
    for text in ("", "customer churn", "Kündigung Geschäftskunden", "中文反馈", "نموذج"):
        assert markdown_literal(text) == text
        assert without_bidi_controls(text) == text


def test_every_bidirectional_control_is_shown_as_its_code_point():
    assert without_bidi_controls("\u202eevil.exe") == "<U+202E>evil.exe"
    assert {without_bidi_controls(c) for c in BIDI_CONTROLS} == {
        f"<U+{code:04X}>"
        for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
    }


def test_markdown_literal_also_neutralises_bidirectional_controls():
    assert markdown_literal("report \u202eexe.live") == r"report \<U\+202E\>exe\.live"


def test_code_spans_hold_any_text_exactly():
    assert markdown_code("a1b2c3") == "` a1b2c3 `"
    assert markdown_code("run `x` and ``y``") == "``` run `x` and ``y`` ```"
    assert markdown_code("\u202eexe") == "` <U+202E>exe `"
