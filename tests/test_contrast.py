"""
The palette's text colours read at WCAG 2.1 AA (4.5:1) on the backgrounds they
are used on, computed from static/css/palette.css itself: a palette change that
makes some text too faint fails here, before anyone has to notice it on a page.
(tests/test_browser_axe.py checks the pages as they are drawn.)
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

PALETTE = Path(settings.BASE_DIR) / "static" / "css" / "palette.css"
AA = 4.5


def contrast(one: str, other: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _css() -> str:
    return re.sub(r"/\*.*?\*/", "", PALETTE.read_text(), flags=re.S)


def tokens() -> dict[str, str]:
    """The custom properties of palette.css's :root, as #rrggbb."""
    root = re.search(r":root\s*\{(.*?)\}", _css(), re.S)
    assert root, "palette.css has no :root block"
    found = dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\s*;", root.group(1)))
    return {name: colour.lower() for name, colour in found.items()}


def channels() -> dict[str, tuple[str, str]]:
    """Each channel class's (--ch, --ch-tint): its chip's text and background."""
    rules = re.findall(
        r"\.(ch-[\w-]+|channel)\s*\{\s*--ch:\s*(#[0-9a-f]{6});\s*--ch-tint:\s*(#[0-9a-f]{6});",
        _css(),
        re.I,
    )
    return {name: (text, tint) for name, text, tint in rules}


def avatars() -> dict[str, str]:
    return dict(
        re.findall(r"\.(avatar-c\d)\s*\{\s*background:\s*(#[0-9a-f]{6});", _css())
    )


# Text tokens and the backgrounds they stand on in the app's stylesheets.
TINTS = ["paper", "card", "brand-tint", "ok-tint", "warn-tint", "danger-tint"]
TEXT_ON = {
    "ink": TINTS,
    "ink-soft": TINTS,
    # Muted text: hints, dates, card tools, "+ Add" in an empty cell, and the
    # owner and stage of an overdue row on the actions board (danger-tint).
    "ink-faint": TINTS,
    "brand": ["paper", "card", "brand-tint"],
    "brand-dark": ["paper", "card", "brand-tint"],
    "ok": ["paper", "card", "ok-tint"],
    # The "Assumption" badge on a card, and "in progress" pills.
    "warn": ["paper", "card", "warn-tint"],
    "danger": ["paper", "card", "danger-tint"],
}
# White text on these: buttons, the pressed language, the skip link.
WHITE_ON = ["ink", "brand", "brand-dark", "ok", "danger"]

PAIRS = [(text, ground) for text, grounds in TEXT_ON.items() for ground in grounds]


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)
    # Known values: WebAIM's checker gives 4.48:1 for #777 on white, 3.9 for the
    # old Assumption badge (#8a5a00 at 80% opacity on white is #a17b33).
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#a17b33", "#ffffff") == pytest.approx(3.89, abs=0.01)


def test_the_palette_defines_every_token_the_pairs_name():
    names = {name for pair in PAIRS for name in pair} | set(WHITE_ON)
    assert names - tokens().keys() == set()


@pytest.mark.parametrize(
    ("text", "ground"), PAIRS, ids=[f"{t}-on-{g}" for t, g in PAIRS]
)
def test_text_tokens_read_at_aa_on_their_backgrounds(text, ground):
    palette = tokens()
    ratio = contrast(palette[text], palette[ground])
    assert ratio >= AA, f"--{text} on --{ground}: {ratio:.2f}:1"


@pytest.mark.parametrize("ground", WHITE_ON)
def test_white_text_reads_at_aa_on_filled_controls(ground):
    ratio = contrast("#ffffff", tokens()[ground])
    assert ratio >= AA, f"white on --{ground}: {ratio:.2f}:1"


def test_channel_chips_read_at_aa():
    found = channels()
    assert len(found) >= 15  # the default and every channel
    weak = {
        name: round(contrast(text, tint), 2)
        for name, (text, tint) in found.items()
        if contrast(text, tint) < AA
    }
    assert weak == {}


def test_avatar_initials_read_at_aa():
    found = avatars()
    assert len(found) == 8
    weak = {
        name: round(contrast("#ffffff", colour), 2)
        for name, colour in found.items()
        if contrast("#ffffff", colour) < AA
    }
    assert weak == {}
