"""
The emotion curve, drawn on the server: one line per persona across the stages,
with a gap where a stage has no score. The canvas (templates/maps/canvas/
curve.html) and the PDF draw the same SVG from `emotion_curve()`.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from maps.models import Emotion, EmotionScore, Stage

# Each stage column draws its own slice of the curve (templates/maps/canvas/
# curve.html): the point in the middle, and half of the line to each scored
# neighbour, meeting at the column border at the average of the two heights.
# Coordinates are percentages of the slice, so the curve follows the column
# width wherever it is drawn (canvas, compact zoom, PDF) without any script.

# Line styles, told apart by colour, dash pattern and marker (filled or hollow),
# so the curve still reads in black-and-white print. More personas than styles
# repeat them. Presentation attributes, not CSS: the PDF draws them the same.
CURVE_STYLES = [
    ("#3b4cca", "", False),
    ("#c2410c", "9 5", True),
    ("#0f766e", "2 5", False),
    ("#7e22ce", "12 4 2 4", True),
    ("#8a5a00", "16 6", False),
    ("#be185d", "5 3", True),
]


def score_y(score: int) -> int:
    """Height of a score in % from the top: very positive at 10, very negative at 90."""
    return 50 - 20 * score


@dataclass
class Series:
    """One line of the curve: a persona, or "the customer" on a map without."""

    index: int
    persona: object | None
    name: str

    @property
    def style(self) -> int:
        return self.index % len(CURVE_STYLES)

    @property
    def colour(self) -> str:
        return CURVE_STYLES[self.style][0]

    @property
    def dash(self) -> str:
        return CURVE_STYLES[self.style][1]

    @property
    def hollow(self) -> bool:
        return CURVE_STYLES[self.style][2]

    @property
    def key(self) -> str:
        return str(self.persona.pk) if self.persona is not None else ""

    @cached_property
    def swatch(self) -> str:
        """A short piece of the line with its marker, for legends (decorative)."""
        dash = format_html(' stroke-dasharray="{}"', self.dash) if self.dash else ""
        fill = "#ffffff" if self.hollow else self.colour
        return format_html(
            '<svg class="curve-swatch" width="34" height="12" viewBox="0 0 34 12" '
            'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
            '<line x1="2" y1="6" x2="32" y2="6" stroke="{}" stroke-width="3" '
            'stroke-linecap="round"{}/><circle cx="17" cy="6" r="{}" stroke="{}" '
            'stroke-width="{}" fill="{}"/></svg>',
            self.colour,
            dash,
            "3.5" if self.hollow else "4",
            self.colour,
            "2.5" if self.hollow else "1.5",
            fill,
        )


@dataclass
class CurvePoint:
    """One series in one stage: its score (None when not set) and its slice."""

    series: Series
    emotion: Emotion | None
    x: float = 50  # % of the column; series sit side by side around the middle
    left: float | None = None  # y at the column's left border, if a line comes in
    right: float | None = None  # y at the right border, if a line goes on
    error: str = ""  # why the last attempt to set it failed

    @property
    def score(self) -> int | None:
        return self.emotion.score if self.emotion is not None else None

    @property
    def y(self) -> int | None:
        return score_y(self.score) if self.emotion is not None else None

    # Coordinates as text ("47", "62.5"): SVG wants a dot whatever the language,
    # and strings skip the template engine's number localisation.
    @property
    def cx(self) -> str:
        return f"{self.x:g}"

    @property
    def cy(self) -> str:
        return f"{self.y:g}" if self.y is not None else ""

    @property
    def left_y(self) -> str:
        return f"{self.left:g}" if self.left is not None else ""

    @property
    def right_y(self) -> str:
        return f"{self.right:g}" if self.right is not None else ""

    @property
    def label(self) -> str:
        if self.emotion is None:
            return str(_("not set"))
        return str(self.emotion.get_score_display())


@dataclass
class CurveColumn:
    stage: Stage
    points: list  # one CurvePoint per series, in series order

    @property
    def scored(self) -> list:
        return [point for point in self.points if point.emotion is not None]


@dataclass
class Curve:
    series: list
    columns: list  # one CurveColumn per stage, in stage order
    # (score, label, y): very positive first, as the axis reads top to bottom.
    levels = [
        (score, label, score_y(score))
        for score, label in reversed(EmotionScore.choices)
    ]
    # (score, label): very negative first, as the keys 1-5 and the faces run.
    scale = list(EmotionScore.choices)


def emotion_curve(stages, personas, emotions: dict) -> Curve:
    """
    The curve of `emotions` ({(stage id, persona id or None): Emotion}) across
    `stages`: one series per persona, or one for "the customer" without personas.
    A stage without a score is a gap: no line is drawn through it.
    """
    if personas:
        series = [Series(i, p, p.name) for i, p in enumerate(personas)]
    else:
        series = [Series(0, None, str(_("The customer")))]
    n = len(series)
    columns = []
    for stage in stages:
        points = []
        for s in series:
            emotion = emotions.get((stage.pk, s.persona.pk if s.persona else None))
            # Side by side, 6% apart, so equal scores do not hide each other.
            x = 50 + 6 * (s.index - (n - 1) / 2) if n <= len(CURVE_STYLES) else 50
            points.append(CurvePoint(s, emotion, x=round(x, 2)))
        columns.append(CurveColumn(stage, points))
    for before, after in zip(columns, columns[1:], strict=False):
        for a, b in zip(before.points, after.points, strict=True):
            if a.emotion is not None and b.emotion is not None:
                middle = (a.y + b.y) / 2
                a.right = b.left = middle
    return Curve(series, columns)
