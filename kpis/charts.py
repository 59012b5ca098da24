"""Small SVG charts drawn on the server, readable without colour, JavaScript or sight.

Hand-built SVG strings (no libraries, no scripts) so charts render the same on a page, in a PDF
board pack and in an email. Every chart is role="img", named by its <title> and <desc>, and its
<desc> states the data in words. Lines differ by dash pattern and carry text labels as well as
colour. Output is deterministic: the same input always gives the same string.
"""

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from kpis.rules import (
    COUNT,
    DAYS,
    MONEY,
    PERCENTAGE,
    RATE_10K,
    WEEKS,
    Number,
    format_value,
    to_decimal,
)

# GOV.UK Frontend palette; each passes 4.5:1 against white, so labels can use the line colours.
BLUE = "#1d70b8"  # the local line
DARK_GREY = "#505a5f"  # benchmark lines
GREEN = "#00703c"  # the target
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
WHITE = "#ffffff"
FONT = "arial, sans-serif"
FONT_SIZE = 12
# A generous average glyph width, for laying out text we cannot measure on the server.
CHAR_WIDTH = 0.6 * FONT_SIZE
LINE_HEIGHT = 14

STYLES = ("local", "benchmark", "target")
BENCHMARK_DASHES = ("2 4", "8 4", "12 4 2 4")  # dotted, dashed, dash-dot: told apart without colour
TARGET_DASH = "6 3"
MAX_PERIOD_LABELS = 8
UNIT_CAPTIONS = {
    DAYS: "Days",
    RATE_10K: "Per 10,000",
    WEEKS: "Weeks",
    MONEY: "Pounds (£)",
}  # ticks on these axes are bare numbers
NO_VALUE_WORDS = "no value"


@dataclass(frozen=True)
class Series:
    """One line on a trend chart: a label people read and one point per period (None = gap)."""

    label: str  # "Local", "England", "Statistical neighbours", "Region", "Target"
    points: list[Decimal | None]
    style: str = "local"  # "local" | "benchmark" | "target"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(
                f'Unknown series style "{self.style}": use one of {", ".join(STYLES)}.'
            )


# --- shared SVG pieces -------------------------------------------------------------------------


def _px(coordinate: float) -> str:
    """A coordinate with at most two decimals, so output stays short and stable."""
    text = f"{coordinate:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(**attributes: str | float) -> str:
    """XML attributes from keywords (trailing "_" dropped, "_" becomes "-"), values escaped."""
    parts = []
    for name, value in attributes.items():
        text = _px(value) if isinstance(value, float) else str(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(text)}"')
    return " ".join(parts)


def _chart_id(kind: str, *inputs: object) -> str:
    """A stable id for aria-labelledby, different for different charts on one page."""
    digest = hashlib.blake2s(repr((kind, inputs)).encode(), digest_size=4).hexdigest()
    return f"{kind}-{digest}"


def _svg(
    *, chart_id: str, kind: str, title: str, desc: str, width: int, height: int, body: list[str]
) -> str:
    """The outer <svg>: an image named by its title and described by its data, scaling to fit."""
    opening = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        class_=f"app-chart app-chart--{kind}",
        viewBox=f"0 0 {width} {height}",
        width="100%",
        preserveAspectRatio="xMidYMid meet",
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        font_family=FONT,
        font_size=FONT_SIZE,
    )
    return "\n".join(
        [
            f"<svg {opening}>",
            f"<title {_attrs(id=f'{chart_id}-title')}>{escape(title)}</title>",
            f"<desc {_attrs(id=f'{chart_id}-desc')}>{escape(desc)}</desc>",
            *body,
            "</svg>",
        ]
    )


def _decimals(values: Sequence[Number | None]) -> list[Decimal | None]:
    return [to_decimal(value) for value in values]


def _runs(points: Sequence[Decimal | None]) -> Iterator[list[int]]:
    """Indexes of consecutive present points: each run is drawn as one unbroken line."""
    run: list[int] = []
    for index, point in enumerate(points):
        if point is None:
            if run:
                yield run
            run = []
        else:
            run.append(index)
    if run:
        yield run


def _polyline_path(coordinates: Sequence[tuple[float, float]]) -> str:
    head, *rest = coordinates
    return " ".join([f"M{_px(head[0])} {_px(head[1])}", *(f"L{_px(x)} {_px(y)}" for x, y in rest)])


# --- sparkline ---------------------------------------------------------------------------------


def sparkline(
    values: Sequence[Number | None],
    *,
    title: str,
    unit: str,
    width: int = 120,
    height: int = 32,
    chart_id: str | None = None,
) -> str:
    """A tiny trend line of the local values for tables and cards: no axes, last point marked.

    With fewer than two values there is no trend to draw, but an SVG of the same size is still
    returned (saying "No trend yet") so table layouts do not jump.
    """
    format_value(None, unit=unit)  # reject an unknown unit even when there is nothing to draw
    points = _decimals(values)
    words = [
        format_value(point, unit=unit) if point is not None else NO_VALUE_WORDS for point in points
    ]
    present = [index for index, point in enumerate(points) if point is not None]
    chart_id = chart_id or _chart_id("sparkline", title, unit, width, height, points)
    body: list[str] = []
    if len(present) < 2:
        desc = "No trend yet."
        if present:
            desc += f" One value so far: {words[present[0]]}."
            body.append(_dot(width - 4.0, height / 2, 3.0))
        return _svg(
            chart_id=chart_id,
            kind="sparkline",
            title=title,
            desc=desc,
            width=width,
            height=height,
            body=body,
        )

    pad = 4.0  # room for the end dot
    numbers = {index: point for index, point in enumerate(points) if point is not None}
    low, high = min(numbers.values()), max(numbers.values())
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def at(index: int) -> tuple[float, float]:
        share = float((numbers[index] - low) / (high - low)) if high > low else 0.5
        return pad + index * step, height - pad - share * (height - 2 * pad)

    for run in _runs(points):
        if len(run) > 1:
            body.append(_line(_polyline_path([at(index) for index in run]), BLUE, 2))
        elif run[0] != present[-1]:
            body.append(_dot(*at(run[0]), 1.5))  # an isolated value between gaps
    body.append(_dot(*at(present[-1]), 3.0))
    desc = f"Oldest to latest: {', '.join(words)}. Latest: {words[present[-1]]}."
    return _svg(
        chart_id=chart_id,
        kind="sparkline",
        title=title,
        desc=desc,
        width=width,
        height=height,
        body=body,
    )


def _dot(x: float, y: float, radius: float, colour: str = BLUE) -> str:
    return f"<circle {_attrs(cx=x, cy=y, r=radius, fill=colour)}/>"


def _line(path: str, colour: str, stroke_width: float, dash: str | None = None) -> str:
    attributes: dict[str, str | float] = {
        "d": path,
        "fill": "none",
        "stroke": colour,
        "stroke_width": stroke_width,
        "stroke_linejoin": "round",
        "stroke_linecap": "round",
    }
    if dash:
        attributes["stroke_dasharray"] = dash
    return f"<path {_attrs(**attributes)}/>"


# --- the value axis ----------------------------------------------------------------------------

NICE_FACTORS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
MAX_TICKS = 6
PERCENT_TICKS = [Decimal(tick) for tick in range(0, 101, 25)]


def value_ticks(values: Sequence[Decimal], *, unit: str) -> list[Decimal]:
    """4-6 round tick values covering every value, lowest first.

    The axis starts at 0 unless all values sit far from it (further from 0 than they are spread
    out), so small changes stay visible without exaggerating them on a near-zero scale.
    Percentages use 0-100% unless the values fit a range under half that width. Counts only get
    whole-number ticks.
    """
    if not values:
        return PERCENT_TICKS if unit == PERCENTAGE else _nice_ticks(Decimal(0), Decimal(10), unit)
    low, high = min(values), max(values)
    if low >= 0 and (low == high or low <= high - low):
        low = Decimal(0)
    elif high <= 0 and (low == high or -high <= high - low):
        high = Decimal(0)
    if low == high:  # every value is 0
        high = Decimal(100) if unit == PERCENTAGE else Decimal(10)
    ticks = _nice_ticks(low, high, unit)
    if unit == PERCENTAGE and ticks[0] >= 0 and ticks[-1] <= 100 and ticks[-1] - ticks[0] >= 50:
        return PERCENT_TICKS
    return ticks


def _nice_ticks(low: Decimal, high: Decimal, unit: str) -> list[Decimal]:
    """Ticks at a multiple of 1, 2, 2.5 or 5 times a power of ten: the finest step giving <= 6.

    Candidate steps grow by at most double, so the first to fit leaves at least 4 ticks (counts,
    which skip fractional steps, can have fewer when their whole range is under 3).
    """
    magnitude = Decimal(1).scaleb(((high - low) / 50).adjusted())  # fine enough to start too small
    while True:
        for factor in NICE_FACTORS:
            step = factor * magnitude
            if unit == COUNT and step != step.to_integral_value():
                continue
            first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
            last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
            count = int((last - first) / step) + 1
            if count <= MAX_TICKS:
                return [first + step * index for index in range(count)]
        magnitude *= 10


def tick_label(tick: Decimal, *, unit: str) -> str:
    """A short axis label: "75%", "1,500", "2.5"; days and rates are named once, above the axis."""
    exponent = tick.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    text = f"{tick:,.{places}f}"
    if text.startswith("-") and tick == 0:
        text = text[1:]
    return f"{text}%" if unit == PERCENTAGE else text


# --- trend chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """Where the plot area sits inside the chart, and the scale that maps values into it."""

    left: float
    right: float
    top: float
    bottom: float
    periods: int
    low: Decimal
    high: Decimal
    label_width: float  # room for the end labels' text, right of the plot

    @property
    def band(self) -> float:
        return (self.right - self.left) / self.periods

    def x(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)

    def y(self, value: Decimal | None) -> float:
        """The height of a value; only ever asked about values that are present."""
        assert value is not None
        share = float((value - self.low) / (self.high - self.low))
        return self.bottom - min(max(share, 0.0), 1.0) * (self.bottom - self.top)


def trend_chart(
    periods: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str,
    width: int = 640,
    height: int = 320,
    chart_id: str | None = None,
) -> str:
    """A line chart of local results against benchmarks and target, period by period.

    The local series is a solid blue line with a circle per value; benchmarks are grey lines with
    different dash patterns; a target is a green dashed step line. Each line is named in text at
    the right-hand end. None values leave gaps. At most 8 period labels are printed (always
    including the latest), turned diagonally when they would collide.
    """
    format_value(None, unit=unit)  # reject an unknown unit before drawing anything
    lines = [(item, _decimals(item.points)) for item in series]
    for item, points in lines:
        if len(points) != len(periods):
            raise ValueError(
                f'Series "{item.label}" has {len(points)} points for {len(periods)} periods.'
            )
    chart_id = chart_id or _chart_id(
        "trend",
        tuple(periods),
        [(item.label, item.style, points) for item, points in lines],
        title,
        unit,
        width,
        height,
    )
    desc = _trend_desc(periods, lines, unit)
    values = [point for _, points in lines for point in points if point is not None]
    ticks = value_ticks(values, unit=unit)
    frame, shown, turned = _layout(periods, lines, ticks, unit, width, height)

    looks = _looks(lines)
    body = _value_axis(frame, ticks, unit)
    body += _period_axis(frame, periods, shown, turned)
    for (item, points), (_, dash) in zip(lines, looks, strict=True):
        if item.style == "target":
            body += _target_line(frame, points)
        elif item.style == "benchmark":
            body += _benchmark_line(frame, points, dash or "")
        else:
            body += _local_line(frame, points)
    body += _end_labels(frame, lines, looks)
    return _svg(
        chart_id=chart_id,
        kind="trend",
        title=title,
        desc=desc,
        width=width,
        height=height,
        body=body,
    )


def _trend_desc(
    periods: Sequence[str], lines: Sequence[tuple[Series, list[Decimal | None]]], unit: str
) -> str:
    """The data in words, series by series, naming the target as the target."""
    if not periods or not lines:
        return "No data yet."
    sentences = []
    for item, points in lines:
        name = item.label
        if item.style == "target" and "target" not in name.lower():
            name = f"Target ({name})"
        present = {point for point in points if point is not None}
        if item.style == "target" and len(present) == 1 and None not in points:
            sentences.append(f"{name}: {format_value(points[0], unit=unit)} in every period.")
            continue
        readings = "; ".join(
            f"{period}: {format_value(point, unit=unit) if point is not None else NO_VALUE_WORDS}"
            for period, point in zip(periods, points, strict=True)
        )
        sentences.append(f"{name}: {readings}.")
    return " ".join(sentences)


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _wrap(text: str, max_width: float) -> list[str]:
    """Words packed into lines no wider than max_width (a long single word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


KEY_WIDTH = 24  # the sample of each line drawn before its end label
END_LABEL_GAP = 6


def _layout(
    periods: Sequence[str],
    lines: Sequence[tuple[Series, list[Decimal | None]]],
    ticks: Sequence[Decimal],
    unit: str,
    width: int,
    height: int,
) -> tuple[_Frame, list[int], bool]:
    """Margins sized to the labels, which period labels to print and whether to turn them."""
    tick_room = max(_text_width(tick_label(tick, unit=unit)) for tick in ticks)
    left = tick_room + 12
    label_width = min(max((_text_width(item.label) for item, _ in lines), default=0), width / 4)
    right_margin = label_width + KEY_WIDTH + 2 * END_LABEL_GAP + 2
    right = max(width - right_margin, left + 10)
    top = 12 + (LINE_HEIGHT + 4 if unit in UNIT_CAPTIONS else 0)

    count = max(len(periods), 1)
    every = math.ceil(count / MAX_PERIOD_LABELS)
    shown = [index for index in range(len(periods)) if (len(periods) - 1 - index) % every == 0]
    widest = max((_text_width(period) for period in periods), default=0)
    room_each = (right - left) / count * every
    turned = widest > room_each - 4
    if turned:  # the first turned label reaches left of its mark: keep it inside the chart
        reach = widest * math.sqrt(0.5) + 4 - (right - left) / count / 2
        left = min(max(left, reach), right - 10)
    bottom_room = min(widest * math.sqrt(0.5) + 20, height * 0.4) if turned else LINE_HEIGHT + 16
    bottom = max(height - bottom_room, top + 10)
    frame = _Frame(left, right, top, bottom, count, ticks[0], ticks[-1], label_width)
    return frame, shown, turned


def _value_axis(frame: _Frame, ticks: Sequence[Decimal], unit: str) -> list[str]:
    """Horizontal gridlines with their labels, and the unit's name above them when needed."""
    parts = ['<g class="app-chart__value-axis">']
    for tick in ticks:
        y = frame.y(tick)
        line = _attrs(x1=frame.left, x2=frame.right, y1=y, y2=y, stroke=GRID, stroke_width=1)
        label = _attrs(x=frame.left - 6, y=y + 4, text_anchor="end", fill=TEXT)
        parts.append(f"<line {line}/>")
        parts.append(f"<text {label}>{escape(tick_label(tick, unit=unit))}</text>")
    if unit in UNIT_CAPTIONS:
        caption = _attrs(x=4.0, y=float(FONT_SIZE), fill=TEXT)
        parts.append(f"<text {caption}>{escape(UNIT_CAPTIONS[unit])}</text>")
    axis = _attrs(x1=frame.left, x2=frame.right, y1=frame.bottom, y2=frame.bottom, stroke=TEXT)
    parts += [f"<line {axis}/>", "</g>"]
    return parts


def _period_axis(
    frame: _Frame, periods: Sequence[str], shown: Sequence[int], turned: bool
) -> list[str]:
    """Period names under the plot: thinned to at most 8, turned 45 degrees if crowded."""
    parts = ['<g class="app-chart__period-axis">']
    for index in shown:
        x = frame.x(index)
        mark = _attrs(x1=x, x2=x, y1=frame.bottom, y2=frame.bottom + 5, stroke=TEXT)
        parts.append(f"<line {mark}/>")
        y = frame.bottom + 18
        if turned:
            label = _attrs(
                x=x, y=y, text_anchor="end", fill=TEXT, transform=f"rotate(-45 {_px(x)} {_px(y)})"
            )
        else:
            label = _attrs(x=x, y=y, text_anchor="middle", fill=TEXT)
        parts.append(f"<text {label}>{escape(periods[index])}</text>")
    parts.append("</g>")
    return parts


def _local_line(frame: _Frame, points: Sequence[Decimal | None]) -> list[str]:
    """Solid blue with a circle on every value, so single values between gaps still show."""
    parts = ['<g class="app-chart__local">']
    for run in _runs(points):
        if len(run) > 1:
            path = _polyline_path([(frame.x(i), frame.y(points[i])) for i in run])
            parts.append(_line(path, BLUE, 3))
    for index, point in enumerate(points):
        if point is not None:
            circle = _attrs(cx=frame.x(index), cy=frame.y(point), r=4.0, fill=BLUE, stroke=WHITE)
            parts.append(f"<circle {circle}/>")
    parts.append("</g>")
    return parts


def _benchmark_line(frame: _Frame, points: Sequence[Decimal | None], dash: str) -> list[str]:
    """Dark grey in this benchmark's dash pattern; an isolated value gets a hollow circle."""
    parts = ['<g class="app-chart__benchmark">']
    for run in _runs(points):
        coordinates = [(frame.x(i), frame.y(points[i])) for i in run]
        if len(run) > 1:
            parts.append(_line(_polyline_path(coordinates), DARK_GREY, 2, dash))
        else:
            (x, y) = coordinates[0]
            circle = _attrs(cx=x, cy=y, r=3.0, fill=WHITE, stroke=DARK_GREY, stroke_width=2)
            parts.append(f"<circle {circle}/>")
    parts.append("</g>")
    return parts


def _target_line(frame: _Frame, points: Sequence[Decimal | None]) -> list[str]:
    """A green dashed step: each period's target spans that period's width, as targets are set."""
    parts = ['<g class="app-chart__target">']
    half = frame.band / 2
    for run in _runs(points):
        first = run[0]
        steps = [f"M{_px(frame.x(first) - half)} {_px(frame.y(points[first]))}"]
        for after, index in zip([*run[1:], None], run, strict=True):
            if after is None or points[after] != points[index]:  # this level ends here
                steps.append(f"H{_px(frame.x(index) + half)}")
                if after is not None:
                    steps.append(f"V{_px(frame.y(points[after]))}")
        parts.append(_line(" ".join(steps), GREEN, 2.5, TARGET_DASH))
    parts.append("</g>")
    return parts


def _looks(lines: Sequence[tuple[Series, list[Decimal | None]]]) -> list[tuple[str, str | None]]:
    """Each series' colour and dash pattern (None = solid); benchmarks take the patterns in turn."""
    looks: list[tuple[str, str | None]] = []
    benchmarks = 0
    for item, _ in lines:
        if item.style == "benchmark":
            looks.append((DARK_GREY, BENCHMARK_DASHES[benchmarks % len(BENCHMARK_DASHES)]))
            benchmarks += 1
        elif item.style == "target":
            looks.append((GREEN, TARGET_DASH))
        else:
            looks.append((BLUE, None))
    return looks


def _end_labels(
    frame: _Frame,
    lines: Sequence[tuple[Series, list[Decimal | None]]],
    looks: Sequence[tuple[str, str | None]],
) -> list[str]:
    """Each line's name beside its last value, after a sample of the line, nudged apart."""
    key_x = frame.right + END_LABEL_GAP
    text_x = key_x + KEY_WIDTH + END_LABEL_GAP
    wrap_width = max(frame.label_width, CHAR_WIDTH * 6)
    labels = []
    for (item, points), (colour, dash) in zip(lines, looks, strict=True):
        last = next((point for point in reversed(points) if point is not None), None)
        if last is not None:
            labels.append((frame.y(last), _wrap(item.label, wrap_width), colour, dash))
    labels.sort(key=lambda label: label[0])  # stable: ties keep the order the series were given
    placed: list[float] = []
    for y, _lines, *_ in labels:
        above = placed[-1] + LINE_HEIGHT * len(labels[len(placed) - 1][1]) if placed else -math.inf
        placed.append(max(y, above))
    overflow = (placed[-1] + LINE_HEIGHT * (len(labels[-1][1]) - 1) - frame.bottom) if placed else 0
    if overflow > 0:  # pushed past the bottom: slide the whole stack up, keeping the spacing
        placed = [y - overflow for y in placed]
    parts = ['<g class="app-chart__labels">']
    for y, (_, text_lines, colour, dash) in zip(placed, labels, strict=True):
        key = _line(f"M{_px(key_x)} {_px(y)} H{_px(key_x + KEY_WIDTH)}", colour, 2.5, dash)
        spans = " ".join(  # the space keeps wrapped words apart when the text is copied
            f"<tspan {_attrs(x=text_x, dy=LINE_HEIGHT * min(row, 1))}>{escape(line)}</tspan>"
            for row, line in enumerate(text_lines)
        )
        parts.append(key)
        parts.append(
            f"<text {_attrs(x=text_x, y=y + 4, fill=colour, font_weight='bold')}>{spans}</text>"
        )
    parts.append("</g>")
    return parts
