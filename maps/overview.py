"""
The organisation's overview (its home page): the recent maps with how much of
each rests on research, my open actions, what others changed since my previous
visit, and the research questions still open. An organisation without maps
gets the method's how-to instead, so a new team knows where to start.

It lives in maps, the top layer, because it reads maps, actions and research;
journeymap (the core) only keeps the visit mark (journeymap.models.membership_visit).
Every section is a bounded list with a "see all" link to the page that lists
everything, and the page is a fixed number of queries however much there is.
"""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from journeymap.access import display_name, get_access
from journeymap.models import membership_visit
from maps.actions.views import BoardFilterForm, board_actions
from maps.activity import Activity, describe, who_markup
from maps.history import DATETIME_LOCAL
from maps.models import JourneyMap, MapStatus
from research.evidence import Share
from research.models import QuestionStatus

RECENT_MAPS = 6
MY_ACTIONS = 6
CHANGES = 8
CHANGED_MAPS = 5
OPEN_QUESTIONS = 5


def recent_maps(organisation) -> tuple[list, int]:
    """
    The maps in use, last changed first, each with `.share` and `.last_by`
    (who made the last change); and how many maps are in use.
    """
    in_use = JourneyMap.objects.filter(organisation=organisation).exclude(
        status=MapStatus.ARCHIVED
    )
    last_activity = Activity.objects.filter(map=OuterRef("pk")).order_by("-id")
    maps = list(
        in_use.annotate(
            # The maps list's counts: cards, and cards citing a finding.
            n_cards=Count("cards", distinct=True),
            n_validated=Count(
                "cards", distinct=True, filter=Q(cards__findings__isnull=False)
            ),
            last_by=Subquery(last_activity.values("actor_name")[:1]),
        ).order_by("-updated")[:RECENT_MAPS]
    )
    for journey_map in maps:
        journey_map.organisation = organisation
        journey_map.share = Share(journey_map.n_validated, journey_map.n_cards)
    return maps, in_use.count()


def my_actions(organisation, user, today) -> tuple[list, dict]:
    """My open and in-progress actions, overdue first; and how many in all."""
    filters = {"owner": "me", "status": BoardFilterForm.UNFINISHED}
    actions = board_actions(organisation, user, filters, today)
    counts = actions.aggregate(total=Count("pk"), overdue=Count("pk", Q(late=0)))
    shown = list(actions[:MY_ACTIONS])
    for action in shown:
        action.map.organisation = organisation
        action.overdue = action.late == 0
    return shown, counts


def changes_since(organisation, user, since) -> dict:
    """
    What others changed on the organisation's maps after `since` (None: lately):
    the newest changes as sentences, the maps they were on with a count each
    (most recently changed first), and how many changes in all. Two queries.
    """
    activities = Activity.objects.filter(map__organisation=organisation).exclude(
        user=user
    )
    if since is not None:
        activities = activities.filter(created__gt=since)
    newest = ("-created", "-id")
    entries = list(activities.select_related("map", "user").order_by(*newest)[:CHANGES])
    for entry in entries:
        entry.map.organisation = organisation
        # Named as the history names them: the person now, else the name kept
        # with the change (a guest, a row written without one), else someone.
        name = display_name(entry.user) if entry.user else entry.actor_name
        who = who_markup(name or _("Someone"), gone=False)
        entry.sentence = describe(entry, who)
    per_map = list(
        activities.values("map", "map__title")
        .annotate(n=Count("pk"), latest=Max("created"))
        .order_by("-latest")
    )
    return {
        "since": since,
        # The maps' history pages filter from the same moment.
        "since_param": since and timezone.localtime(since).strftime(DATETIME_LOCAL),
        "changes": entries,
        "changed_maps": per_map[:CHANGED_MAPS],
        "more_changed_maps": max(0, len(per_map) - CHANGED_MAPS),
        "n_changes": sum(row["n"] for row in per_map),
    }


def open_questions(organisation) -> tuple[list, int]:
    """The oldest open research questions (the longest waiting) and how many."""
    questions = organisation.research_questions.filter(status=QuestionStatus.OPEN)
    shown = list(
        questions.annotate(
            n_studies=Count("studies", distinct=True),
            n_findings=Count("findings", distinct=True),
        )
        .select_related("persona", "dmu")
        .order_by("created")[:OPEN_QUESTIONS]
    )
    for question in shown:
        question.organisation = organisation
    return shown, questions.count()


@require_safe
def org_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    org = access.organisation
    # A page load is a visit; the live refresh of a section (htmx) is not.
    membership = access.membership
    since = membership.previous_visit if request.htmx else membership_visit(membership)
    roles = dict(org.memberships.values_list("role").annotate(n=Count("id")).order_by())
    maps, n_maps = recent_maps(org)
    actions, action_counts = my_actions(org, request.user, timezone.localdate())
    questions, n_questions = open_questions(org)
    ctx = {
        "access": access,
        "org": org,
        "can_edit": access.can_edit,
        "member_count": sum(roles.values()),
        "pending_invitations": org.invitations.pending().count(),
        "maps": maps,
        "n_maps": n_maps,
        "actions": actions,
        "n_actions": action_counts["total"],
        "n_overdue": action_counts["overdue"],
        "questions": questions,
        "n_questions": n_questions,
        **changes_since(org, request.user, since),
    }
    return render(request, "journeymap/org_home.html", ctx)
