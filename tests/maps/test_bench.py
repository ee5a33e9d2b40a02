"""`make bench` keeps working: its map builder and measuring run on a small scale."""

import pytest
from django.test import Client

from bench import canvas as bench
from maps.models import Action, Card, Emotion, Stage


@pytest.fixture
def maps(org, alice):
    big = bench.build(org, alice, title="Big", stages=4, lanes=10, cards=30)
    small = bench.build(
        org, alice, title="Small", stages=3, lanes=7, cards=12, personas=1, actions=2
    )
    return big, small


def test_build_makes_a_map_of_the_asked_size(maps):
    big, _small = maps
    assert Stage.objects.filter(map=big).count() == 4
    assert Card.objects.filter(map=big).count() == 30
    assert Emotion.objects.filter(map=big).count() == 4 * 3
    assert Action.objects.filter(map=big).count() == 50
    assert big.personas.count() == 3
    cited = Card.objects.filter(map=big, findings__isnull=False).distinct().count()
    assert 0 < cited < 30  # a partial evidence share, like a real map


def test_measure_reports_every_key(maps, org, alice, monkeypatch):
    big, small = maps
    monkeypatch.setattr(bench, "WARM_UP", 0)
    client = Client()
    client.force_login(alice)
    client.get(small.get_absolute_url())
    result = bench.measure(client, org, big, small, n=1)
    for key in (
        "floor_ms",
        "canvas_40_ms",
        "canvas_40_queries",
        "canvas_400_ms",
        "canvas_400_queries",
        "history_ms",
        "pdf_400_ms",
        "pdf_floor_ms",
        "pdf_cached_ms",
    ):
        assert key in result
    # The canvas costs the same number of queries whatever its size.
    assert result["canvas_40_queries"] == result["canvas_400_queries"]
    assert Card.objects.filter(map=big, version__gt=1).count() <= 1
    assert result["pdf_cached_ms"] < result["pdf_400_ms"]


def test_the_pdf_floor_holds_the_same_text(maps, org):
    from django.template.loader import render_to_string

    from maps.files.pdf import Options, document_context

    big, _small = maps
    html = render_to_string(
        "maps/pdf/canvas.html", document_context(big, Options(), org)
    )
    floor = bench.bare_table(html)
    assert "<style>@page { size: A3 landscape }</style>" in floor
    assert "class=" not in floor and "<svg" not in floor and "<div" not in floor
    for card in Card.objects.filter(map=big):
        assert card.text in floor
    for stage in Stage.objects.filter(map=big):
        assert stage.title in floor


def test_query_counts_leave_out_transaction_control():
    assert bench._is_transaction_control("BEGIN IMMEDIATE")
    assert bench._is_transaction_control('SAVEPOINT "s1"')
    assert not bench._is_transaction_control('SELECT 1 FROM "maps_card"')
