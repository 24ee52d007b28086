"""The look shared by every PDF: fonts, styles, tables, lights, the page frame and numbering.

Every text from outside (model names, people, mitigations, feedback) reaches reportlab through
`esc` or `text`, so markup in it prints literally.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from portal.text.format import without_bidi_controls
from portal.text.i18n import translate

# Chart images go into the PDF as binary streams: ASCII85 text makes them a quarter larger and,
# without reportlab's C accelerator, takes longer to encode than the charts take to draw.
rl_config.useA85 = 0

FONT = "PortalSans"
FONT_BOLD = "PortalSans-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP_MARGIN = 24 * mm  # room for the header line
BOTTOM_MARGIN = 20 * mm  # room for the footer line
WIDTH = PAGE_WIDTH - 2 * MARGIN  # the text column
CELL_PADDING = 4
LONG_FACT = 400  # characters: a longer fact leaves its table and flows over pages below it
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN

INK = colors.HexColor("#1b2a33")
MUTED_HEX = "#5b6770"
MUTED = colors.HexColor(MUTED_HEX)
RULE = colors.HexColor("#c9d1d7")
ZEBRA = colors.HexColor("#f3f6f8")
HEAD_FILL = colors.HexColor("#e3ebf0")
BOX_FILL = colors.HexColor("#eef4f7")
ACCENT = colors.HexColor("#1f6f8b")

# Traffic-light colours as in the charts (Okabe-Ito), so they stay apart for colour-blind
# readers; a light is always printed with its word, never as colour alone.
GOOD = "#009e73"
CAUTION = "#e69f00"
BAD = "#d55e00"
FAILED = "#cc79a7"
NEUTRAL = "#8a959e"
STATUS_COLOURS: dict[str, dict[str, str]] = {
    "value": {"on_track": GOOD, "at_risk": CAUTION, "off_track": BAD},
    "health": {"stable": GOOD, "watch": CAUTION, "drifting": BAD, "failed": FAILED},
    "risk": {"low": GOOD, "medium": CAUTION, "high": BAD},
}


class Words:
    """Texts in one language; a report calls it t, as the pages call their translation."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **values: Any) -> str:
        return translate(self.language, key, **values)


def status_word(t: Words, aspect: str, status: str) -> str:
    """A value, health or risk status in words; '' reads 'no benchmark', 'not in production'
    or 'not assessed'."""
    if aspect == "value":
        return t(f"status_value.{status}") if status else t("report.no_benchmark")
    if aspect == "health":
        return t(f"drift_light.{status}") if status else t("report.not_in_production")
    return t(f"risk_level.{status or 'none'}")


def status_colour(aspect: str, status: str) -> str:
    return STATUS_COLOURS[aspect].get(status, NEUTRAL)


# --- fonts and styles --------------------------------------------------------------------------


@cache
def register_fonts() -> None:
    """DejaVu Sans from the package: umlauts, ß, €, dashes and the light dot all print."""
    folder = resources.files("portal.report").joinpath("fonts")
    for name, file_name in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        data = folder.joinpath(file_name).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    # No italic cut is shipped: <i> falls back to the upright faces instead of failing.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _style(name: str, **values: Any) -> ParagraphStyle:
    base = dict(fontName=FONT, fontSize=9.5, leading=13, textColor=INK, splitLongWords=1)
    base.update(values)
    return ParagraphStyle(name, **base)


class Styles:
    """The paragraph styles of the documents."""

    title = _style("title", fontName=FONT_BOLD, fontSize=20, leading=24)
    kicker = _style("kicker", fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=ACCENT)
    subtitle = _style("subtitle", fontSize=11, leading=15, textColor=MUTED, spaceBefore=2)
    h1 = _style(
        "h1",
        fontName=FONT_BOLD,
        fontSize=13,
        leading=16,
        textColor=ACCENT,
        spaceBefore=14,
        spaceAfter=5,
        keepWithNext=1,
    )
    h2 = _style(
        "h2",
        fontName=FONT_BOLD,
        fontSize=10,
        leading=13,
        spaceBefore=8,
        spaceAfter=3,
        keepWithNext=1,
    )
    body = _style("body", spaceAfter=4)
    note = _style("note", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4)
    cell = _style("cell", fontSize=8.5, leading=11)
    # A light's dot hangs in the margin, so wrapped lines align with its words.
    cell_hang = _style("cell_hang", fontSize=8.5, leading=11, leftIndent=9, firstLineIndent=-9)
    body_hang = _style("body_hang", spaceAfter=4, leftIndent=11, firstLineIndent=-11)
    cell_bold = _style("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=11)
    head = _style("head", fontName=FONT_BOLD, fontSize=8, leading=10.5)
    label = _style("label", fontSize=7.5, leading=9.5, textColor=MUTED)
    fact_label = _style(
        "fact_label", fontSize=7.5, leading=9.5, textColor=MUTED, spaceBefore=5, keepWithNext=1
    )
    glance = _style("glance", fontName=FONT_BOLD, fontSize=10, leading=13)


STYLES = Styles()


# --- text --------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """Outside text as literal Paragraph text, bidirectional controls shown as code points."""
    return escape(without_bidi_controls(str(value)))


def text(value: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of literal text; its line breaks kept, runs too wide for the page cut."""
    style = style or STYLES.body
    return Paragraph(breakable(str(value), WIDTH - style.leftIndent, style), style)


def rich(markup: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of markup built here (its outside parts already through esc)."""
    return Paragraph(markup, style or STYLES.body)


def bold(value: object) -> str:
    return f"<b>{esc(value)}</b>"


def dot(colour: str) -> str:
    """A coloured dot for a light, bound to the word after it by a no-break space."""
    return f'<font color="{colour}">\u25cf</font>\u00a0'


def light(word: str, colour: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A traffic light: coloured dot and word."""
    return rich(f"{dot(colour)}{esc(word)}", style or STYLES.cell)


def status_light(t: Words, aspect: str, status: str, style: ParagraphStyle | None = None):
    return light(status_word(t, aspect, status), status_colour(aspect, status), style)


def breakable(value: str, width: float, style: ParagraphStyle | None = None) -> str:
    """Outside text as markup that keeps its line breaks and whose words too wide for the column
    break after a hyphen, dot, slash or an e-mail address's '@' ('transit-ridership-' /
    'forecast'), and a run with none of these wherever the column ends."""
    style = style or STYLES.cell
    value = without_bidi_controls(value)  # measured as shown: '<U+202E>' is eight characters
    return "<br/>".join(
        " ".join(
            "<br/>".join(esc(piece) for piece in _pieces(word, width, style))
            for word in line.split(" ")  # not str.split(): no-break spaces stay unbroken
        )
        for line in value.splitlines()
    )


def _pieces(word: str, width: float, style: ParagraphStyle) -> list[str]:
    def fits(part: str) -> bool:
        return pdfmetrics.stringWidth(part, style.fontName, style.fontSize) <= width

    if fits(word):
        return [word]
    if "@" in word:
        local, domain = word.split("@", 1)
        return [*_marked(local + "@", fits, width, style), *_pieces(domain, width, style)]
    return _marked(word, fits, width, style)


def _marked(
    word: str, fits: Callable[[str], bool], width: float, style: ParagraphStyle
) -> list[str]:
    """A word in pieces that end after a hyphen, underscore, dot or slash where they can."""
    pieces = [""]
    for part in re.split(r"(?<=[-_./])", word):
        if pieces[-1] and not fits(pieces[-1] + part):
            pieces.append(part)
        else:
            pieces[-1] += part
    return [
        cut for piece in pieces for cut in ([piece] if fits(piece) else _chop(piece, width, style))
    ]


def _chop(run: str, width: float, style: ParagraphStyle) -> list[str]:
    """A run without a break opportunity in pieces as wide as the column: reportlab's own
    splitting of long words re-measures the rest of the run on every line and page."""
    pieces, piece, used = [], [], 0.0
    for char in run:
        advance = _advance(char, style.fontName, style.fontSize)
        if piece and used + advance > width:
            pieces.append("".join(piece))
            piece, used = [], 0.0
        piece.append(char)
        used += advance
    pieces.append("".join(piece))
    return pieces


@cache
def _advance(char: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(char, font, size)


def person(value: str, width: float, style: ParagraphStyle | None = None) -> Paragraph:
    """A name or e-mail address in a column of the given width."""
    style = style or STYLES.cell
    return rich(breakable(value, width - 2 * CELL_PADDING, style), style)


def keep(*flowables: Flowable) -> KeepTogether:
    """Flowables that go on one page, e.g. a chart and its note. Never put one right after a
    heading: a heading binds to what follows it, and a nested KeepTogether always splits."""
    return KeepTogether(list(flowables))


def heading(title: str, *first: Flowable) -> list[Flowable]:
    """A section heading that never ends a page: at least 4 cm must remain below it, and it
    goes on the same page as the flowables given (e.g. an intro and a chart)."""
    return _headed(text(title, STYLES.h1), 40 * mm, first)


def subheading(title: str, *first: Flowable) -> list[Flowable]:
    return _headed(text(title, STYLES.h2), 25 * mm, first)


def _headed(title: Paragraph, room: float, first: tuple[Flowable, ...]) -> list[Flowable]:
    # A short block moves to the next page as a whole when it does not fit; a long one (the
    # list of 200 models) starts where it is and splits, its header row repeated.
    if first and _height([title, *first]) <= FRAME_HEIGHT / 2:
        return [CondPageBreak(room / 2), KeepTogether([title, *first])]
    return [CondPageBreak(room), title, *first]


def _height(flowables: list[Flowable]) -> float:
    return sum(
        flowable.wrap(WIDTH, FRAME_HEIGHT)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        for flowable in flowables
    )


def gap(height: float = 4) -> Spacer:
    return Spacer(1, height)


def cut(value: str, limit: int) -> str:
    """A long text shortened at a word boundary, marked with an ellipsis."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"


# --- tables ------------------------------------------------------------------------------------

Cell = Paragraph | str | Flowable | list[Flowable]


class _Table(LongTable):
    """A table that splits between rows, and inside a row only when that row is taller than a
    page: a page of documentation in a cell flows on, while ordinary rows are never cut."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if parts or self.splitInRow or not self._too_tall_row():
            return parts
        self.splitInRow = 1  # the pieces inherit it
        return super().split(availWidth, availHeight)

    def _too_tall_row(self) -> bool:
        header = sum(self._rowHeights[: self.repeatRows])
        return max(self._rowHeights[self.repeatRows :], default=0) > FRAME_HEIGHT - header


def _cell(value: Cell, style: ParagraphStyle, width: float) -> Flowable:
    if isinstance(value, str):
        return rich(breakable(value, width - 2 * CELL_PADDING, style), style)
    return value


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    bold_first: bool = False,
) -> Table:
    """A table with a repeated header row, light rules, zebra rows and wrapped cells;
    widths are shares of the text column."""
    columns = [share * WIDTH for share in widths]
    data = [
        [_cell(title, STYLES.head, width) for title, width in zip(header, columns, strict=True)]
    ]
    for row in rows:
        data.append(
            [
                _cell(value, STYLES.cell_bold if bold_first and index == 0 else STYLES.cell, width)
                for index, (value, width) in enumerate(zip(row, columns, strict=True))
            ]
        )
    # LongTable keeps splitting fast for the portfolio's long model list.
    result = _Table(data, colWidths=columns, repeatRows=1, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


def fact_rows(pairs: Sequence[tuple[str, Cell]], label_share: float = 0.24) -> list[Flowable]:
    """Label and value per row, labels muted; a text longer than a few lines follows the table
    under its label, across the page's width and over pages."""
    short = [(label, value) for label, value in pairs if not _long(value)]
    parts: list[Flowable] = [_fact_table(short, label_share)] if short else []
    for label, value in pairs:
        if _long(value):
            parts += [text(label, STYLES.fact_label), *passage(str(value), STYLES.cell)]
    return parts


def _long(value: Cell) -> bool:
    return isinstance(value, str) and len(value) > LONG_FACT


def passage(value: str, style: ParagraphStyle | None = None) -> list[Paragraph]:
    """A long outside text as paragraphs across the page, split where it has blank lines."""
    return [text(part, style) for part in re.split(r"\n\s*\n", value) if part.strip()]


def _fact_table(pairs: Sequence[tuple[str, Cell]], label_share: float) -> Table:
    columns = [label_share * WIDTH, (1 - label_share) * WIDTH]
    data = [
        [text(label, STYLES.label), _cell(value, STYLES.cell, columns[1])] for label, value in pairs
    ]
    result = _Table(data, colWidths=columns, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return result


def glance(
    title: str, cells: Sequence[tuple[str, Cell, str]], weights: Sequence[float] | None = None
) -> Flowable:
    """The 'at a glance' box: a row of label, value and a short line under it; weights are
    the columns' shares of the width."""
    row = []
    for label, value, note in cells:
        value_flowable = text(value, STYLES.glance) if isinstance(value, str) else value
        row.append([text(label, STYLES.label), value_flowable, text(note, STYLES.label)])
    box = Table(
        [[text(title, STYLES.kicker)] + [""] * (len(cells) - 1), row],
        colWidths=[share * WIDTH for share in weights or [1 / len(cells)] * len(cells)],
        hAlign="LEFT",
    )
    box.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, -1), BOX_FILL),
                ("ROUNDEDCORNERS", [4, 4, 4, 4]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (1, 1), (-1, 1), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
            ]
        )
    )
    return KeepTogether([box, gap(6)])


# --- the document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFrame:
    """What every page carries: the header line and the footer line."""

    header_left: str
    header_right: str
    footer_left: str
    page_of: Callable[[int, int], str]  # 'Page 2 of 3'


def _decorate(canvas: Canvas, frame: PageFrame, page: int, pages: int) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - 14 * mm
    canvas.setFont(FONT_BOLD, 8)
    canvas.setFillColor(ACCENT)
    canvas.drawString(MARGIN, top, _fit(frame.header_left, FONT_BOLD, 8, WIDTH * 0.7))
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top, frame.header_right)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4)
    bottom = 11 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, bottom, _fit(frame.footer_left, FONT, 7.5, WIDTH * 0.75))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, bottom, frame.page_of(page, pages))
    canvas.restoreState()


def _fit(value: str, font: str, size: float, width: float) -> str:
    """A header or footer text shortened to fit its width."""
    value = without_bidi_controls(value)
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    room, end = width - pdfmetrics.stringWidth(" …", font, size), 0
    # Measured a character at a time: a model name can be thousands of characters long.
    for char in value:
        room -= _advance(char, font, size)
        if room < 0:
            break
        end += 1
    return value[:end].rstrip() + " …"


def _numbered_canvas(frame: PageFrame, counted: list[int]) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so each can say 'page N of M'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            counted.append(total)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _decorate(self, frame, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build(
    story: list[Flowable], frame: PageFrame, language: str, title: str, author: str, subject: str
) -> tuple[bytes, int]:
    """Lay the story out on A4 pages; the same story always gives the same bytes."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator=frame.header_right,
        producer=frame.header_right,
        invariant=1,  # fixed creation date and document id: equal facts, equal bytes
        lang=language,
    )
    document.addPageTemplates(
        [
            PageTemplate(
                "page",
                [
                    Frame(
                        MARGIN,
                        BOTTOM_MARGIN,
                        WIDTH,
                        FRAME_HEIGHT,
                        id="text",
                        leftPadding=0,
                        rightPadding=0,
                        topPadding=0,
                        bottomPadding=0,
                    )
                ],
            )
        ]
    )
    counted: list[int] = []
    document.build(story, canvasmaker=_numbered_canvas(frame, counted))
    return buffer.getvalue(), counted[-1]
