"""
The emotion lane: each persona's score per stage on a five-step scale, and the
curve drawn from them as server-rendered SVG (the PDF export reuses it). Also
the evidence row of the canvas header, which refreshes itself on the
`evidence-changed` event.

Setting a score is an idempotent "set" (last click wins, no version check: two
people clicking faces should never see a conflict). The note is text, so it is
version-checked like a card. Scores do not bump the version, so a score clicked
while someone types a note does not turn into a conflict either.
"""

from django import forms
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import reswap, retarget

from journeymap.access import Can, get_access
from journeymap.editing import (
    Clash,
    Edit,
    VersionForm,
    conflict_response,
    versioned_edit,
)
from maps.access import (
    get_emotion,
    get_map,
)
from maps.activity import change
from maps.canvas.curve import emotion_curve
from maps.canvas.grid import Row
from maps.models import Emotion, EmotionScore, Lane, LaneKind, Stage, record

# ---- Context ----------------------------------------------------------------


def emotion_lane_context(access, journey_map, error=None, personas=None) -> dict:
    """What emotion_row.html needs: four queries (stages, lanes, personas, scores)."""
    stages = list(Stage.objects.filter(map=journey_map))
    lanes = list(
        Lane.objects.filter(map=journey_map, kind=LaneKind.EMOTION, hidden=False)
    )
    if personas is None:
        personas = list(journey_map.personas.all())
    emotions = {
        (emotion.stage_id, emotion.persona_id): emotion
        for emotion in Emotion.objects.filter(map=journey_map)
    }
    curve = emotion_curve(stages, personas, emotions)
    if error is not None:
        stage_id, key, message = error
        for column in curve.columns:
            for point in column.points:
                if column.stage.pk == stage_id and point.series.key == key:
                    point.error = message
    return {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        "map": journey_map,
        "stages": stages,
        "personas": personas,
        "emotions": emotions,
        "curve": curve,
        "emotion_lanes": lanes,
    }


def _lane_rows(request, ctx, lane_id=None) -> HttpResponse:
    """
    The emotion lane re-rendered: the lane asked for (or the first one) as the
    answer, any other emotion lane on the map out of band, so all stay in step.
    """
    lanes = ctx["emotion_lanes"]
    if not lanes:
        return HttpResponse("")
    main = next((lane for lane in lanes if str(lane.pk) == str(lane_id)), lanes[0])
    parts = [
        render_to_string(
            "maps/canvas/emotion_row.html", {**ctx, "row": Row(main)}, request
        )
    ]
    for lane in lanes:
        if lane is not main:
            parts.append(
                render_to_string(
                    "maps/canvas/emotion_row.html",
                    {**ctx, "row": Row(lane), "oob": True},
                    request,
                )
            )
    response = HttpResponse("".join(parts))
    reswap(retarget(response, f"#lane-{main.pk}"), "outerHTML")
    return response


def _who(persona) -> str:
    return persona.name if persona is not None else _("The customer")


def _where(stage, persona) -> str:
    """An emotion as the history names it: its stage, and its persona if any."""
    return f"{stage.title} · {persona.name}" if persona is not None else stage.title


def _label(score) -> str:
    if score is None:
        return _("not set")
    return str(EmotionScore(score).label).lower()


# ---- Setting a score ------------------------------------------------------------


class ScoreForm(forms.Form):
    # Empty clears the score.
    score = forms.TypedChoiceField(
        choices=[("", "")] + [(str(v), label) for v, label in EmotionScore.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose a feeling from very negative to very positive."
            )
        },
    )


def emotion_set(stage: Stage, persona, score: int | None, user) -> Emotion | None:
    """
    Set (or clear, with None) how `persona` feels in `stage`: last write wins.
    Safe under a race: two first clicks at once both end in one row.
    """
    journey_map = stage.map
    with transaction.atomic():
        rows = Emotion.objects.select_for_update().filter(stage=stage, persona=persona)
        current = rows.first()
        before = current.score if current is not None else None
        if before == score:
            return current
        where = _where(stage, persona)
        scored = [change("score", before, score)]
        if score is None:
            Emotion.objects.filter(pk=current.pk).delete()
            record(journey_map, user, "set", current, changes=scored, label=where)
            return None
        if current is not None:
            rows.update(score=score)
            current.score = score
        else:
            try:
                with transaction.atomic():
                    current = Emotion.objects.create(
                        map=journey_map, stage=stage, persona=persona, score=score
                    )
            except IntegrityError:
                # Someone else's first click landed between our read and write.
                rows.update(score=score)
                current = rows.get()
        record(journey_map, user, "set", current, changes=scored, label=where)
    return current


@require_POST
def emotion_set_view(
    request: HttpRequest, org_slug: str, map_id, stage_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = Stage.objects.filter(pk=stage_id, map=journey_map).first()
    if stage is None:
        raise Http404("No such stage on this map")
    stage.map = journey_map
    personas = list(journey_map.personas.all())
    persona = _persona_on_map(personas, request.POST.get("persona", ""))
    form = ScoreForm(request.POST)
    if not form.is_valid():
        key = str(persona.pk) if persona is not None else ""
        error = (stage.pk, key, form.errors["score"][0])
        ctx = emotion_lane_context(access, journey_map, error, personas)
        response = _lane_rows(request, ctx, request.POST.get("lane"))
        response.status_code = 422
        return response
    emotion_set(stage, persona, form.cleaned_data["score"], request.user)
    if not request.htmx:
        return redirect(journey_map)
    ctx = emotion_lane_context(access, journey_map, personas=personas)
    return _lane_rows(request, ctx, request.POST.get("lane"))


def _persona_on_map(on_map: list, value: str):
    """The persona a score is for: one of the map's, or None ("the customer")."""
    personas = {str(p.pk): p for p in on_map}
    if not personas:
        if value:
            raise Http404("This map has no personas")
        return None
    if value not in personas:
        raise Http404("No such persona on this map")
    return personas[value]


# ---- The note ---------------------------------------------------------------------


class NoteForm(VersionForm):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=Emotion.NOTE_MAX,
        required=False,
        strip=True,
    )


def _note_ctx(access, emotion, form, lane_id) -> dict:
    journey_map = emotion.map
    return {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        "map": journey_map,
        "emotion": emotion,
        "form": form,
        "lane_id": lane_id,
        "who": _who(emotion.persona),
        "row_url": _row_url(journey_map, lane_id),
        "note_url": reverse(
            "map_emotion_note",
            args=[journey_map.organisation.slug, journey_map.pk, emotion.pk],
        ),
    }


def _row_url(journey_map, lane_id) -> str:
    if lane_id:
        return reverse(
            "map_emotion_row",
            args=[journey_map.organisation.slug, journey_map.pk, lane_id],
        )
    return journey_map.get_absolute_url()


@require_http_methods(["GET", "POST"])
def emotion_note(
    request: HttpRequest, org_slug: str, map_id, emotion_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    emotion = get_emotion(access, map_id, emotion_id, Can.EDIT)
    lane_id = _emotion_lane_id(emotion.map, request)
    return versioned_edit(request, _note_edit(request, access, emotion, lane_id))


def _note_edit(request, access, emotion, lane_id) -> Edit:
    """The note's edit: its form, the emotion lane after saving, its conflicts."""
    journey_map = emotion.map
    row_url = _row_url(journey_map, lane_id)

    def show_form(form, status):
        ctx = _note_ctx(access, emotion, form, lane_id)
        page = "maps/canvas/emotion_row.html#note_form" if request.htmx else None
        return render(request, page or "maps/emotion_note.html", ctx, status=status)

    def show_saved(saved):
        if not request.htmx:
            return redirect(journey_map)
        return _lane_rows(request, emotion_lane_context(access, journey_map), lane_id)

    def show_gone():
        mine = Clash(_("Note"), "", request.POST.get("note", ""))
        return conflict_response(
            request,
            target_id=f"emotion-note-{emotion.pk}",
            clashes=[mine],
            keep_url=row_url,
            overwrite_url="",
            overwrite_values=[],
            current_version=None,
        )

    def on_save(changes):
        if changes:
            where = _where(emotion.stage, emotion.persona)
            record(journey_map, access, "update", emotion, changes=changes, label=where)

    return Edit(
        obj=emotion,
        queryset=Emotion.objects.filter(map=journey_map),
        form_class=NoteForm,
        fields=("note",),
        show_form=show_form,
        show_saved=show_saved,
        show_gone=show_gone,
        on_save=on_save,
        target=f"emotion-note-{emotion.pk}",
        keep_url=row_url,
        edit_url=_note_ctx(access, emotion, None, lane_id)["note_url"],
        resend=("lane",),
    )


def _emotion_lane_id(journey_map, request) -> str:
    """The emotion lane the note was opened from, if it is one of this map's."""
    lane_id = request.POST.get("lane") or request.GET.get("lane") or ""
    lanes = Lane.objects.filter(pk=lane_id or None, map=journey_map)
    if lane_id and not lanes.filter(kind=LaneKind.EMOTION).exists():
        return ""
    return lane_id


# ---- Fragments ------------------------------------------------------------------


@require_safe
def emotion_row(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    """The emotion lane as it is now (after a cancelled note edit or a conflict)."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    if not request.htmx:
        return redirect(journey_map)
    if not Lane.objects.filter(
        pk=lane_id, map=journey_map, kind=LaneKind.EMOTION
    ).exists():
        raise Http404("No such emotion lane")
    ctx = emotion_lane_context(access, journey_map)
    return _lane_rows(request, ctx, lane_id)


urlpatterns = [
    path(
        "<uuid:map_id>/stages/<uuid:stage_id>/emotion/",
        emotion_set_view,
        name="map_emotion_set",
    ),
    path(
        "<uuid:map_id>/emotions/<uuid:emotion_id>/note/",
        emotion_note,
        name="map_emotion_note",
    ),
    path(
        "<uuid:map_id>/lanes/<uuid:lane_id>/emotions/",
        emotion_row,
        name="map_emotion_row",
    ),
]
