"""journeymap.editing: the versioned-edit mechanics the journey canvas reuses."""

from journeymap.editing import (
    clashes,
    move,
    reorder,
    versioned_delete,
    versioned_update,
)
from research.models import EmpathyEntry


def _says(persona):
    return persona.empathy_entries.filter(area="says")


def test_a_versioned_update_lands_once(entry):
    qs = EmpathyEntry.objects.all()
    assert versioned_update(qs, entry.pk, 1, text="Eerste")
    assert not versioned_update(qs, entry.pk, 1, text="Tweede")
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Eerste", 2)


def test_a_versioned_delete_refuses_a_changed_row(entry):
    qs = EmpathyEntry.objects.all()
    EmpathyEntry.objects.filter(pk=entry.pk).update(version=2)
    assert not versioned_delete(qs, entry.pk, 1)
    assert versioned_delete(qs, entry.pk, 2)


def test_reorder_needs_exactly_the_lists_rows(frank):
    ids = [e.pk for e in _says(frank)]
    assert not reorder(_says(frank), ids[:1])
    assert not reorder(_says(frank), [*ids, ids[0]])
    assert reorder(_says(frank), list(reversed(ids)))
    assert [e.pk for e in _says(frank)] == list(reversed(ids))


def test_reordering_does_not_bump_versions(frank):
    ids = [e.pk for e in _says(frank)]
    reorder(_says(frank), list(reversed(ids)))
    assert set(_says(frank).values_list("version", flat=True)) == {1}


def test_move_stays_within_the_list(frank):
    first, second = _says(frank)
    assert move(_says(frank), second.pk, -5)
    assert [e.pk for e in _says(frank)] == [second.pk, first.pk]


def test_clashes_list_only_what_differs(frank):
    rows = clashes(frank, {"name": "Frank", "market": "b2c"}, ["name", "market"])
    assert [(c.label, c.theirs, c.yours) for c in rows] == [
        ("Name", "Facilitair Frank", "Frank"),
        ("Market", "B2B", "B2C"),
    ]
