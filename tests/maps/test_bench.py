"""`make bench` keeps working: its map builder and measuring run on a small scale."""

import json

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


# bench.shape: views and their lengths, on a tiny package written here.


def _view(name: str, lines: int, *, head: str = "def", first: str = "request") -> str:
    """A function of exactly `lines` lines, `def` line included."""
    body = "".join(f"    x{i} = {i}\n" for i in range(lines - 1))
    return f"{head} {name}({first}, *args):\n{body}\n\n"


@pytest.fixture
def tiny_tree(tmp_path):
    """
    A checkout with the three packages. Returns (root, {view: lines}): the
    views bench.shape must find, with their lengths known by construction.
    """
    expected = {
        "short": 3,
        "decorated": 5,
        "async_view": 12,
        "longest": 41,
        "also_long": 31,
        "exactly_thirty": 30,
    }

    def write(relative: str, text: str):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    write(
        "maps/views.py",
        "import functools\n\n"
        + _view("short", 3)
        # Three decorator lines above: not part of the view's length.
        + "@functools.cache\n@functools.cache\n@functools.cache\n"
        + _view("decorated", 5)
        + _view("async_view", 12, head="async def")
        # Not views: private, another first parameter, a method, a nested def.
        + _view("_private_helper", 80)
        + _view("helper", 90, first="obj")
        + "class Things:\n"
        + "".join("    " + line + "\n" for line in _view("get", 70).splitlines())
        + "def outer(obj):\n    def inner(request):\n"
        + "".join(f"        y{i} = {i}\n" for i in range(60)),
    )
    write("maps/canvas/__init__.py", "")
    write("maps/canvas/cards.py", _view("longest", 41) + _view("also_long", 31))
    write("research/pages.py", _view("exactly_thirty", 30))
    write("journeymap/__init__.py", "")
    # Skipped: tests, migrations, bench, .venv, and packages outside the three.
    write("maps/tests/test_views.py", _view("in_tests", 100))
    write("maps/migrations/0001_initial.py", _view("in_migrations", 100))
    write("maps/bench/x.py", _view("in_bench", 100))
    write("research/.venv/lib/site.py", _view("in_venv", 100))
    write("bench/canvas.py", _view("bench_top", 100))
    write("other/views.py", _view("elsewhere", 100))
    return tmp_path, expected


def test_shape_finds_the_views_and_their_lengths(tiny_tree):
    from bench import shape

    root, expected = tiny_tree
    found = {view.name: view.lines for view in shape.views(root)}
    assert found == expected


def test_shape_figures_name_the_really_longest_view(tiny_tree):
    from bench import shape

    root, expected = tiny_tree
    longest = max(expected, key=expected.get)
    assert shape.figures(root) == {
        "views": len(expected),
        "views_over_30": sum(lines > 30 for lines in expected.values()),
        "longest_view": longest,
        "longest_view_lines": expected[longest],
    }


def test_shape_verbose_lists_the_views_over_30_longest_first(tiny_tree, capsys):
    from bench import shape

    root, _expected = tiny_tree
    shape.main(["-v", str(root)])
    first, *listed = capsys.readouterr().out.splitlines()
    assert json.loads(first)["longest_view"] == "longest"
    assert [line.split() for line in listed] == [
        ["41", "maps/canvas/cards.py:1", "longest"],
        ["31", "maps/canvas/cards.py:44", "also_long"],
    ]


def test_shape_of_this_checkout_is_consistent():
    from bench import shape

    result = shape.figures()
    found = shape.views()
    assert result["views"] == len(found) > 0
    assert result["longest_view_lines"] == max(view.lines for view in found)
    assert result["longest_view"] in {
        view.name for view in found if view.lines == result["longest_view_lines"]
    }
    assert result["views_over_30"] == sum(view.lines > 30 for view in found)
    assert not any(view.path.startswith(("tests/", "bench/")) for view in found)
    assert not any("/migrations/" in view.path for view in found)


def test_bench_json_line_carries_the_shape_keys(maps, monkeypatch, capsys, tmp_path):
    """bench.canvas.main prints one JSON line with bench.shape's keys in it."""
    from django.db import connections

    big, small = maps
    made = iter([big, small])
    monkeypatch.setattr(bench, "setup_scratch_database", lambda: str(tmp_path / "x"))
    monkeypatch.setattr(bench, "build", lambda *a, **k: next(made))
    monkeypatch.setattr(bench, "measure", lambda *a, **k: {"floor_ms": 1.0})
    monkeypatch.setattr(connections, "close_all", lambda: None)
    bench.main()
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert result["floor_ms"] == 1.0
    for key in ("views", "views_over_30", "longest_view", "longest_view_lines"):
        assert key in result
    from bench import shape

    assert {k: result[k] for k in shape.figures()} == shape.figures()
