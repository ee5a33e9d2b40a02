"""Research questions: create, the detail page (which is also the edit form),
open or answered, delete."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from journeymap.access import Can, get_access
from research.access import get_question
from research.forms import QUESTION_STARTERS, QuestionForm
from research.models import DMU, Persona, QuestionStatus, ResearchQuestion
from research.pages import confirm_delete, page_context, page_edit


@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.EDIT)
    org = access.organisation
    initial = {}
    for key, model in (("persona", Persona), ("dmu", DMU)):
        pk = request.GET.get(key)
        if pk and model.objects.filter(pk=pk, organisation=org).exists():
            initial[key] = pk
    form = QuestionForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.text = form.cleaned_data["text"]
        question.organisation = org
        question.save()
        messages.success(request, _("Question added."))
        if "another" in request.POST:
            return redirect("question_create", org_slug)
        return redirect("research_overview", org_slug)
    ctx = page_context(access, form=form, starters=QUESTION_STARTERS)
    return render(request, "research/question_form.html", ctx)


@require_http_methods(["GET", "POST"])
def question_detail(request: HttpRequest, org_slug: str, question_id) -> HttpResponse:
    access = get_access(request, org_slug)
    question = get_question(
        access, question_id, Can.EDIT if request.method == "POST" else Can.READ
    )
    form = QuestionForm(
        request.POST or None, instance=question, organisation=access.organisation
    )
    return page_edit(
        request,
        form,
        template="research/question_detail.html",
        context=page_context(
            access,
            question=question,
            findings=question.findings.select_related("study"),
            studies=question.studies.all(),
        ),
        fields=["text", "persona", "dmu"],
        saved=(_("Question saved."), question),
        gone=(
            _("Someone else deleted this while you were editing."),
            reverse("research_overview", args=[org_slug]),
        ),
    )


@require_POST
def question_status(request: HttpRequest, org_slug: str, question_id) -> HttpResponse:
    access = get_access(request, org_slug)
    question = get_question(access, question_id, Can.EDIT)
    status = request.POST.get("status")
    if status == QuestionStatus.ANSWERED and not question.findings.exists():
        messages.error(
            request,
            _("Add a finding that answers this question before marking it answered."),
        )
    elif status in QuestionStatus.values:
        # Setting a status is idempotent and the edit form never writes it, so
        # it needs no version check (and bumping one would fake a conflict for
        # someone editing the question's text).
        ResearchQuestion.objects.filter(pk=question.pk).update(status=status)
        if status == QuestionStatus.ANSWERED:
            messages.success(request, _("Marked as answered."))
        else:
            messages.success(request, _("Opened again."))
    return redirect(question)


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, org_slug: str, question_id) -> HttpResponse:
    access = get_access(request, org_slug)
    question = get_question(access, question_id, Can.EDIT)
    if request.method == "POST":
        question.delete()
        messages.success(request, _("Question deleted."))
        return redirect("research_overview", org_slug)
    consequences = [
        _("Its findings (%(n)d) and studies (%(s)d) stay, no longer linked to it.")
        % {"n": question.findings.count(), "s": question.studies.count()}
    ]
    return confirm_delete(
        request,
        access,
        title=_("Delete this research question?"),
        consequences=consequences,
        cancel_url=question.get_absolute_url(),
    )
