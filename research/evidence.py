"""
Evidence: anything can cite findings through a plain many-to-many field,

    findings = models.ManyToManyField("research.Finding", blank=True, related_name="+")

With at least one finding a thing is *validated*, without one it is an
*assumption*. The helpers here work for any model with such a field (empathy
entries and DMU members now, journey-map cards later), so research never needs
to know who cites it. Templates: research/evidence.html (#badge, #meter, #picker);
the view side is `evidence_view`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_htmx.http import trigger_client_event

from journeymap.access import Access
from journeymap.editing import Clash, VersionForm, bump_version, conflict_response
from research.models import Finding

# The htmx event a page listens for to refresh its validated shares.
EVIDENCE_CHANGED = "evidence-changed"


@dataclass
class Share:
    validated: int
    total: int

    @property
    def assumptions(self) -> int:
        return self.total - self.validated

    @property
    def percent(self) -> int:
        return round(100 * self.validated / self.total) if self.total else 0


def evidence_share(queryset: models.QuerySet, field: str = "findings") -> Share:
    """How many rows of `queryset` cite at least one finding. One query."""
    counts = queryset.aggregate(
        total=Count("pk", distinct=True),
        validated=Count("pk", distinct=True, filter=Q(**{f"{field}__isnull": False})),
    )
    return Share(counts["validated"], counts["total"])


def findings_for(organisation) -> models.QuerySet:
    """The findings an organisation can cite, grouped by study for the picker."""
    return (
        Finding.objects.filter(study__organisation=organisation)
        .select_related("study")
        .order_by("study__title", "study_id", "-date", "statement")
    )


class EvidenceForm(VersionForm):
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings"),
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("One of these findings no longer exists."),
        },
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = findings_for(organisation)


def evidence_save(queryset: models.QuerySet, obj, form: EvidenceForm) -> bool:
    """
    Replace what `obj` cites. Version-checked like a text edit, because the
    picker sends the whole set: a stale picker would otherwise drop a citation
    someone else just added.
    """
    with transaction.atomic():
        if not bump_version(queryset, obj.pk, form.cleaned_data["version"]):
            return False
        obj.findings.set(form.cleaned_data["findings"])
    return True


def picker_context(
    organisation,
    obj,
    *,
    action_url: str,
    cancel_url: str,
    target_id: str,
    form: EvidenceForm | None = None,
) -> dict:
    """Context for research/evidence.html#picker, for any citing object."""
    if form is None:
        form = EvidenceForm(
            organisation=organisation,
            initial={"version": obj.version},
        )
    if form.is_bound:
        chosen = {str(pk) for pk in (form["findings"].value() or [])}
    else:
        chosen = {str(f.pk) for f in obj.findings.all()}
    groups: dict = {}
    for finding in form.fields["findings"].queryset:
        groups.setdefault(finding.study, []).append(finding)
    return {
        "picker_form": form,
        "picker_groups": groups.items(),
        "picker_chosen": chosen,
        "picker_version": form["version"].value(),
        "action_url": action_url,
        "cancel_url": cancel_url,
        "target_id": target_id,
        "org": organisation,
    }


def _citing_relations():
    """(through model, its field pointing at Finding) for every citing model."""
    for rel in Finding._meta.get_fields(include_hidden=True):
        if isinstance(rel, models.ManyToManyRel) and rel.related_model is not Finding:
            yield rel.through, rel.field.m2m_reverse_field_name()


def citation_counts(findings) -> dict:
    """{finding id: how many things cite it}; one query per citing model."""
    counts: dict = {}
    for through, target in _citing_relations():
        rows = (
            through.objects.filter(**{f"{target}__in": findings})
            .values_list(f"{target}_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for finding_id, n in rows:
            counts[finding_id] = counts.get(finding_id, 0) + n
    return counts


def citations_of(findings: models.QuerySet) -> int:
    """
    How many things cite any of `findings`, across every model that has a
    findings field (including apps research does not know about).
    """
    return sum(citation_counts(findings).values())


def evidence_view(
    request: HttpRequest,
    access: Access,
    obj,
    *,
    queryset: models.QuerySet,
    target_id: str,
    action_url: str,
    card_url: str,
    back_url: str,
    render_card: Callable[[], HttpResponse],
) -> HttpResponse:
    """
    The whole "cite findings" interaction for any citing object, for a view that
    has already fetched `obj` through its access helper (write access on POST):

    GET  → the finding picker, replacing #target_id (a page without htmx);
    POST → save the citations, version-checked; answer with `render_card()` and
           an `evidence-changed` event, so shares on the page refresh;
           409 with theirs beside yours when someone else changed `obj`.
    """
    where = {"action_url": action_url, "cancel_url": card_url, "target_id": target_id}
    if request.method != "POST":
        return _show_picker(request, access, obj, where, back_url)
    form = EvidenceForm(request.POST, organisation=access.organisation)
    if not form.is_valid():
        return _picker(request, access, obj, where, form=form, status=422)
    if not evidence_save(queryset, obj, form):
        current = queryset.filter(pk=obj.pk).first()
        if current is None:
            return redirect(back_url)
        return _evidence_conflict(request, current, form, where)
    if not request.htmx:
        return redirect(back_url)
    return trigger_client_event(render_card(), EVIDENCE_CHANGED)


def _show_picker(request, access, obj, where, back_url) -> HttpResponse:
    """GET: the picker in place of the card, or a page of its own without htmx."""
    if not access.can_edit:
        # Viewers see the evidence on the card; there is nothing to pick.
        return redirect(back_url)
    if request.htmx:
        return _picker(request, access, obj, where)
    return _picker(request, access, obj, {**where, "cancel_url": back_url}, page=True)


def _picker(request, access, obj, where, *, form=None, page=False, status=200):
    ctx = picker_context(access.organisation, obj, form=form, **where)
    ctx.update(access=access, can_edit=access.can_edit)
    template = (
        "research/evidence_page.html" if page else "research/evidence.html#picker"
    )
    return render(request, template, ctx, status=status)


def _evidence_conflict(request, current, form, where) -> HttpResponse:
    """409: the findings `current` cites now beside the ones you chose."""
    chosen = form.cleaned_data["findings"]
    theirs = ", ".join(str(f) for f in current.findings.all())
    return conflict_response(
        request,
        target_id=where["target_id"],
        clashes=[Clash(_("Evidence"), theirs, ", ".join(str(f) for f in chosen))],
        keep_url=where["cancel_url"],
        overwrite_url=where["action_url"],
        overwrite_values=[("findings", str(f.pk)) for f in chosen],
        current_version=current.version,
    )
