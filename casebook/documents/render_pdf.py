"""A document as PDF (fpdf2), A4, in DejaVu Sans: the font ships beside this module (fonts/, with its licence),
because the PDF core fonts cannot write the Dutch text's é, ë, ’, – or €.

Layout: the title, the header that says where the document comes from, then the sections; every page
is numbered ("pagina 2 van 5") and carries the title, so a printed page still says what it belongs to.
"""

from __future__ import annotations

from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from casebook.documents import cells, template
from casebook.documents.model import (
    Block,
    Bullets,
    Chart,
    Document,
    FigureTable,
    Highlight,
    Paragraph,
    Table,
    ToComplete,
)
from casebook.documents.render_md import about_lines, figure_rows

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MARGIN = 20  # mm
LINE = 5  # mm per line of body text
BODY_SIZE = 10
MUTED = (90, 90, 90)
HIGHLIGHT_FILL = (228, 236, 247)
TO_COMPLETE_FILL = (255, 243, 205)
TABLE_HEAD_FILL = (235, 235, 235)
BAR_FILL = (70, 110, 170)
BAR_HEIGHT = 3.2  # mm
LANGUAGES = {"nl": "nl-BE", "en": "en-GB"}


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.words = template.labels(document.language)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        page = str(self.words["page"]).format(page=self.page_no(), pages="{nb}")
        width = self.get_string_width(page) + 2
        title = self.document.title
        while title and self.get_string_width(title) > self.epw - width - 4:
            title = title[:-2].rstrip() + "…"
        self.cell(self.epw - width, 5, title, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(width, 5, page, align="R")
        self.set_text_color(0, 0, 0)


def _font_path(name: str) -> str:
    return str(resources.files("casebook.documents").joinpath("fonts", name))


def _text(pdf: _Pdf, text: str, size: float = BODY_SIZE, style: str = "", line: float = LINE) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _boxed(pdf: _Pdf, fill: tuple[int, int, int], lines: list[tuple[str, str]]) -> None:
    """Lines (style, text) in one filled box, kept together on a page where they fit."""
    pdf.set_fill_color(*fill)
    with pdf.unbreakable() as box:
        for style, text in lines:
            box.set_font(FONT, style, BODY_SIZE)
            box.multi_cell(0, LINE, text, align="L", fill=True, padding=(1, 2), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_fill_color(255, 255, 255)


def _table(pdf: _Pdf, block: Table) -> None:
    columns = list(zip(block.headers, *block.rows, strict=True))
    # Each column at least as wide as its longest word; the room left goes by the columns' length of text.
    pdf.set_font(FONT, "B", BODY_SIZE - 1)
    needed = [
        max(pdf.get_string_width(word) for cell in column for word in (cell.split() or [""])) + 4 for column in columns
    ]
    weights = [sum(len(cell) for cell in column) / len(column) + 1 for column in columns]
    spare = max(0.0, pdf.epw - sum(needed))
    widths = [n + spare * w / sum(weights) for n, w in zip(needed, weights, strict=True)]
    pdf.set_font(FONT, "", BODY_SIZE - 1)
    pdf.set_draw_color(160, 160, 160)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        text_align="LEFT",
        v_align="TOP",
        line_height=LINE - 0.5,
        padding=(1, 1.5),
        headings_style=FontFace(emphasis="BOLD", fill_color=TABLE_HEAD_FILL),
    ) as table:
        for cells in (block.headers, *block.rows):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.set_draw_color(0, 0, 0)


def _chart(pdf: _Pdf, chart: Chart) -> None:
    """Bars drawn to scale: a group's label, then a row per bar (its label, the bar, its value written out).

    A figure about fewer people than the smallest group has no bar, only its "< N".
    """
    minimum = pdf.document.min_group_size
    top = max((b.value or 0 for g in chart.groups for b in g.bars), default=0)
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.multi_cell(0, LINE, chart.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "", BODY_SIZE - 1)
    indent = 4 if any(g.label for g in chart.groups) else 0
    label_width = indent + max((pdf.get_string_width(b.label) for g in chart.groups for b in g.bars), default=0) + 3
    values = [cells.text(b.value, chart.measure, minimum) for g in chart.groups for b in g.bars]
    value_width = max((pdf.get_string_width(v) for v in values), default=0) + 3
    bar_room = max(20.0, pdf.epw - label_width - value_width)
    pdf.set_fill_color(*BAR_FILL)
    for group in chart.groups:
        if group.label:
            if pdf.will_page_break(LINE * 2):
                pdf.add_page()
            pdf.set_font(FONT, "B", BODY_SIZE - 1)
            pdf.cell(0, LINE - 0.5, group.label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FONT, "", BODY_SIZE - 1)
        for bar in group.bars:
            if pdf.will_page_break(LINE):
                pdf.add_page()
            y = pdf.get_y()
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(label_width - indent, LINE - 0.5, bar.label)
            length = bar_room * (bar.value or 0) / top if top else 0
            if length > 0:
                pdf.rect(
                    pdf.l_margin + label_width, y + (LINE - 0.5 - BAR_HEIGHT) / 2, max(length, 0.4), BAR_HEIGHT, "F"
                )
            pdf.set_xy(pdf.l_margin + label_width + length + 1.5, y)
            pdf.cell(value_width, LINE - 0.5, cells.text(bar.value, chart.measure, minimum))
            pdf.set_xy(pdf.l_margin, y + LINE - 0.5)
    pdf.set_fill_color(255, 255, 255)


def _block(pdf: _Pdf, block: Block) -> None:
    if isinstance(block, FigureTable):
        headers = tuple(c.title for c in block.columns)
        _table(pdf, Table(headers=headers, rows=tuple(figure_rows(block, pdf.document.min_group_size))))
    elif isinstance(block, Chart):
        _chart(pdf, block)
    elif isinstance(block, Paragraph):
        _text(pdf, block.text)
    elif isinstance(block, Bullets):
        pdf.set_font(FONT, "", BODY_SIZE)
        for item in block.items:
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(5, LINE, "•")
            pdf.multi_cell(0, LINE, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Highlight):
        _boxed(pdf, HIGHLIGHT_FILL, [("B", block.text)])
    elif isinstance(block, ToComplete):
        _boxed(pdf, TO_COMPLETE_FILL, [("B", f"☐ {pdf.words['to_complete']}:"), ("", block.text)])
    else:
        raise TypeError(block)
    pdf.ln(2.5)


def render(document: Document) -> bytes:
    pdf = _Pdf(document)
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, _font_path(name))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(document.title)
    pdf.set_author(document.about.organisation)
    pdf.set_creator("Casebook")
    pdf.set_lang(LANGUAGES.get(document.language, "nl-BE"))
    pdf.set_creation_date(document.about.made_at)
    pdf.add_page()

    _text(pdf, document.title, size=16, style="B", line=7.5)
    pdf.ln(2)
    pdf.set_text_color(*MUTED)
    for label, value in about_lines(document):
        pdf.set_font(FONT, "B", 9)
        pdf.cell(48, 4.5, f"{label}:")
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    pdf.set_draw_color(160, 160, 160)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(4)

    for block in document.body.intro:
        _block(pdf, block)
    for section in document.body.sections:
        pdf.ln(1.5)
        # A heading never stays alone at the foot of a page.
        if pdf.will_page_break(LINE * 4):
            pdf.add_page()
        _text(pdf, section.title, size=13 if section.level == 1 else 11, style="B", line=6.5)
        pdf.ln(1)
        for block in section.blocks:
            _block(pdf, block)
    return bytes(pdf.output())
