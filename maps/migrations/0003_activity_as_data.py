"""
Activity rows become data: the field changes as a list, what the object was
called, and the actor's name. The old rows kept sentences' pieces as text in the
writer's language ("Title: Intake"); they are read back into fields where the
label names a field of the object (in English or Dutch), and kept under their
label otherwise.
"""

import re

from django.db import migrations, models
from django.utils import translation

LINE = re.compile(r"^([^:\n]{1,60}): (.*)$")
# Verbs whose before/after text was only the object's name.
NAMED = {"create", "delete", "duplicate", "import", "reorder", "hide", "show"}
KIND_MODELS = {
    "map": "JourneyMap",
    "stage": "Stage",
    "lane": "Lane",
    "card": "Card",
    "emotion": "Emotion",
    "action": "Action",
}


def _labels(apps) -> dict:
    """kind -> {"Title": "title", "Titel": "title", ...} in English and Dutch."""
    result = {}
    for kind, name in KIND_MODELS.items():
        model = apps.get_model("maps", name)
        labels = {}
        for field in model._meta.concrete_fields:
            verbose = str(getattr(field, "verbose_name", "") or "")
            for language in ("en", "nl"):
                with translation.override(language):
                    label = translation.gettext(verbose) if verbose else ""
                if label:
                    labels[label[:1].upper() + label[1:]] = field.name
            # The actions' log named its fields as they are named in code.
            labels[field.name] = field.name
        for language in ("en", "nl"):
            with translation.override(language):
                labels[translation.gettext("Stage")] = "stage"
                labels[translation.gettext("Lane")] = "lane"
        result[kind] = labels
    return result


def _pairs(text: str):
    lines = [line for line in text.split("\n") if line]
    matches = [LINE.match(line) for line in lines]
    if not lines or not all(matches):
        return None
    return [(m.group(1), m.group(2)) for m in matches]


def _changes(activity, labels) -> list:
    before, after = activity.before or "", activity.after or ""
    if not before and not after:
        return []
    kind = activity.object_kind or "map"
    old, new = _pairs(before), _pairs(after)
    if old is not None and new is not None and [k for k, _ in old] == [
        k for k, _ in new
    ]:
        names = labels.get(kind, {})
        result = []
        for (label, value), (_label, changed) in zip(old, new, strict=True):
            entry = {"before": value, "after": changed}
            if label in names:
                entry["field"] = names[label]
            else:
                entry.update(field="", label=label)
            result.append(entry)
        return result
    if activity.verb in NAMED and "\n" not in before + after:
        return []  # the name is the object's label now
    if kind == "card" and activity.verb == "update":
        return [{"field": "text", "before": before, "after": after}]
    if kind == "emotion" and activity.verb == "update":
        return [{"field": "note", "before": before.partition(": ")[2], "after": after}]
    return [{"field": "", "before": before, "after": after}]


def forwards(apps, schema_editor):
    Activity = apps.get_model("maps", "Activity")
    labels = _labels(apps)
    names = {}
    for kind, field in (("stage", "title"), ("lane", "title"), ("card", "text")):
        model = apps.get_model("maps", KIND_MODELS[kind])
        names.update(model.objects.values_list("pk", field))
    names.update(apps.get_model("maps", "Action").objects.values_list("pk", "title"))
    changed = []
    for activity in Activity.objects.select_related("user").iterator():
        activity.changes = _changes(activity, labels)
        single = [t for t in (activity.after, activity.before) if t and "\n" not in t]
        if activity.verb in NAMED and single:
            label = single[0]
        else:
            label = names.get(activity.object_id, "")
        if activity.object_kind == "emotion":
            label = (activity.before or "").partition(":")[0]
        activity.object_label = label[:300]
        if activity.user is not None:
            full = f"{activity.user.first_name} {activity.user.last_name}".strip()
            activity.actor_name = full or activity.user.username
        changed.append(activity)
        if len(changed) >= 500:
            Activity.objects.bulk_update(
                changed, ["changes", "object_label", "actor_name"]
            )
            changed = []
    Activity.objects.bulk_update(changed, ["changes", "object_label", "actor_name"])


def backwards(apps, schema_editor):
    Activity = apps.get_model("maps", "Activity")
    for activity in Activity.objects.iterator():
        lines = [
            (c.get("label") or c.get("field", ""), c.get("before"), c.get("after"))
            for c in activity.changes
        ]
        activity.before = "\n".join(f"{k}: {b}" if k else f"{b}" for k, b, _ in lines)
        activity.after = "\n".join(f"{k}: {a}" if k else f"{a}" for k, _, a in lines)
        activity.save(update_fields=["before", "after"])


class Migration(migrations.Migration):
    dependencies = [
        ("maps", "0002_emotions_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="activity",
            name="changes",
            field=models.JSONField(blank=True, default=list, verbose_name="changes"),
        ),
        migrations.AddField(
            model_name="activity",
            name="object_label",
            field=models.CharField(blank=True, max_length=300, verbose_name="called"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="activity", name="after"),
        migrations.RemoveField(model_name="activity", name="before"),
    ]
