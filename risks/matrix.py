"""The risk matrix: open risks counted by likelihood (across) and impact (up), drawn as an SVG
readable without colour, JavaScript or sight, and given as a table with the same counts.

In the style of `kpis/charts.py` (which this app may not import): a hand-built SVG string, no
scripts, role="img" named by its <title> and described in words by its <desc>. Each cell shows
its count and its rating in words as well as colour. The same input always gives the same
string.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from risks.scoring import IMPACT, LEVELS, LIKELIHOOD, Rating, risk_rating, risk_score

# The govuk-tag colours (GOV.UK Frontend 5): a light fill with its dark text, as a tag shows it.
FILLS = {"green": "#cce2d8", "yellow": "#fff7bf", "red": "#f4cdc6"}
INKS = {"green": "#005a30", "yellow": "#594d00", "red": "#2a0b06"}
TEXT = "#0b0c0c"
BORDER = "#ffffff"
FONT = "arial, sans-serif"
CELL_WIDTH, CELL_HEIGHT = 100, 64
LEFT, TOP, BOTTOM = 130, 10, 64  # room for the impact words, and the likelihood words below
CHART_ID = "risk-matrix"


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    references: tuple[str, ...]

    @property
    def rating(self) -> Rating:
        return risk_rating(risk_score(self.likelihood, self.impact))

    @property
    def count(self) -> int:
        return len(self.references)

    @property
    def words(self) -> str:
        """The cell in words: "Likely likelihood, Major impact: High (16), 2 risks (R1, R4)"."""
        place = f"{LIKELIHOOD[self.likelihood]} likelihood, {IMPACT[self.impact]} impact"
        risks = (
            "no risks" if not self.count else f"{_risks(self.count)} ({', '.join(self.references)})"
        )
        return f"{place}: {self.rating}, {risks}"


def _risks(count: int) -> str:
    return f"{count} risk" if count == 1 else f"{count} risks"


def matrix_rows(risks: Iterable[tuple[int, int, str]]) -> list[list[Cell]]:
    """Rows of cells from (likelihood, impact, reference) of each risk: the highest impact
    first, as the matrix is drawn; in each row likelihood 1 to 5."""
    found: dict[tuple[int, int], list[str]] = {}
    for likelihood, impact, reference in risks:
        risk_score(likelihood, impact)  # refuses a level outside 1-5
        found.setdefault((likelihood, impact), []).append(reference)
    return [
        [
            Cell(likelihood, impact, tuple(found.get((likelihood, impact), [])))
            for likelihood in LEVELS
        ]
        for impact in reversed(LEVELS)
    ]


def _attrs(**attributes: str | int | float) -> str:
    """XML attributes from keywords (trailing "_" dropped, "_" becomes "-"), values escaped."""
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in attributes.items()
    )


def _text(words: str, **attributes: str | int | float) -> str:
    return f"<text {_attrs(**attributes)}>{escape(words)}</text>"


def _cell(cell: Cell, x: int, y: int) -> list[str]:
    colour = cell.rating.colour
    middle = x + CELL_WIDTH / 2
    group = _attrs(
        class_="app-risk-matrix__cell",
        data_likelihood=cell.likelihood,
        data_impact=cell.impact,
        data_count=cell.count,
    )
    return [
        f"<g {group}>",
        f"<rect {_attrs(x=x, y=y, width=CELL_WIDTH, height=CELL_HEIGHT, fill=FILLS[colour], stroke=BORDER, stroke_width=2)}/>",
        _text(
            str(cell.count),
            x=middle,
            y=y + 30,
            text_anchor="middle",
            font_size=22,
            font_weight="bold",
            fill=TEXT,
            class_="app-risk-matrix__count",
        ),
        _text(
            str(cell.rating),
            x=middle,
            y=y + 52,
            text_anchor="middle",
            font_size=12,
            fill=INKS[colour],
        ),
        "</g>",
    ]


def matrix_svg(rows: list[list[Cell]], *, title: str = "Risk matrix of open risks") -> str:
    """The 5 by 5 matrix: likelihood across (1 Rare on the left), impact up (5 Severe at the
    top); each cell its count of open risks and its rating."""
    width = LEFT + 5 * CELL_WIDTH + 10
    height = TOP + 5 * CELL_HEIGHT + BOTTOM
    body: list[str] = []
    for row_index, row in enumerate(rows):
        y = TOP + row_index * CELL_HEIGHT
        impact = row[0].impact
        body.append(
            _text(
                f"{impact} {IMPACT[impact]}",
                x=LEFT - 8,
                y=y + CELL_HEIGHT / 2 + 4,
                text_anchor="end",
                font_size=12,
                fill=TEXT,
            )
        )
        for column_index, cell in enumerate(row):
            body += _cell(cell, LEFT + column_index * CELL_WIDTH, y)
    axis_y = TOP + 5 * CELL_HEIGHT
    for column_index, likelihood in enumerate(LEVELS):
        middle = LEFT + column_index * CELL_WIDTH + CELL_WIDTH / 2
        body.append(
            _text(
                str(likelihood),
                x=middle,
                y=axis_y + 16,
                text_anchor="middle",
                font_size=12,
                fill=TEXT,
            )
        )
        body.append(
            _text(
                LIKELIHOOD[likelihood],
                x=middle,
                y=axis_y + 30,
                text_anchor="middle",
                font_size=12,
                fill=TEXT,
            )
        )
    body.append(
        _text(
            "Likelihood",
            x=LEFT + 2.5 * CELL_WIDTH,
            y=axis_y + 54,
            text_anchor="middle",
            font_size=14,
            font_weight="bold",
            fill=TEXT,
        )
    )
    body.append(
        _text(
            "Impact",
            x=16,
            y=TOP + 2.5 * CELL_HEIGHT,
            text_anchor="middle",
            font_size=14,
            font_weight="bold",
            fill=TEXT,
            transform=f"rotate(-90 16 {TOP + 2.5 * CELL_HEIGHT})",
        )
    )
    cells = [cell for row in rows for cell in row]
    total = sum(cell.count for cell in cells)
    described = [cell.words for cell in cells if cell.count]
    desc = f"{_risks(total)} open. " + ("; ".join(described) + "." if described else "")
    if described and len(described) < len(cells):
        desc += " Every other cell: no risks."
    opening = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        class_="app-chart app-risk-matrix",
        viewBox=f"0 0 {width} {height}",
        width="100%",
        preserveAspectRatio="xMidYMid meet",
        role="img",
        aria_label=title,
        aria_describedby=f"{CHART_ID}-desc",
        font_family=FONT,
    )
    return "\n".join(
        [
            f"<svg {opening}>",
            f"<title {_attrs(id=f'{CHART_ID}-title')}>{escape(title)}</title>",
            f"<desc {_attrs(id=f'{CHART_ID}-desc')}>{escape(desc.strip())}</desc>",
            *body,
            "</svg>",
        ]
    )
