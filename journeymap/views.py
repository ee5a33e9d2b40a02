"""Views for accounts, organisations, members and invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from journeymap.access import Access, Can, get_access, get_member, get_object
from journeymap.forms import InviteForm, OrganisationForm, RoleForm, SignupForm
from journeymap.hub import access_changed
from journeymap.models import (
    Invitation,
    InvitationUnusable,
    Membership,
    Role,
    invitation_accept,
    invitation_create,
    is_last_owner,
    organisation_create,
)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send people to where they work: the last organisation, or their first."""
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = Membership.objects.filter(user=request.user).select_related(
        "organisation"
    )
    last = request.session.get("org")
    for membership in memberships:
        if membership.organisation.slug == last:
            return redirect(membership.organisation)
    first = memberships.order_by("organisation__name").first()
    if first is not None:
        return redirect(first.organisation)
    return redirect("org_create")


def _first_organisation(user, invitation, data):
    """
    Where a new account starts: the organisation it was invited to (None when
    the invitation was used meanwhile), else a new one of its own.
    """
    if invitation is None:
        return organisation_create(data["organisation"] or user.username, user)
    try:
        return invitation_accept(invitation, user).organisation
    except InvitationUnusable:
        return None


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("invite", "")
    invitation = Invitation.find(token) if token else None
    if invitation is not None and not invitation.is_usable:
        invitation = None
    if request.user.is_authenticated:
        # Signed-in people accept on the invitation page instead.
        return redirect("invitation", token) if invitation else redirect("home")

    form = SignupForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            org = _first_organisation(user, invitation, form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if org is None:
            messages.warning(
                request,
                _("Your account is ready, but the invitation was used meanwhile."),
            )
            return redirect("home")
        messages.success(request, _("Welcome to %(org)s!") % {"org": org.name})
        return redirect(org)
    return render(
        request,
        "registration/signup.html",
        {"form": form, "invitation": invitation, "token": token},
    )


@require_http_methods(["GET", "POST"])
@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = organisation_create(form.cleaned_data["name"], request.user)
        messages.success(
            request, _("Organisation %(org)s created.") % {"org": org.name}
        )
        return redirect(org)
    return render(request, "journeymap/org_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def org_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.MANAGE)
    org = access.organisation
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Organisation renamed."))
        return redirect("org_settings", org.slug)
    ctx = {"access": access, "org": org, "form": form}
    return render(request, "journeymap/org_settings.html", ctx)


def _members_context(access: Access, invite_form=None) -> dict:
    org = access.organisation
    members = list(org.memberships.select_related("user").order_by("user__username"))
    owner_count = sum(1 for m in members if m.role == Role.OWNER)
    for m in members:
        m.is_sole_owner = m.role == Role.OWNER and owner_count == 1
    return {
        "access": access,
        "org": org,
        "members": members,
        "roles": Role.choices,
        "invitations": org.invitations.pending().select_related("invited_by")
        if access.can_manage
        else [],
        "invite_form": invite_form or InviteForm(organisation=org),
        "invitation_days": settings.INVITATION_VALID_DAYS,
    }


@require_safe
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    return render(request, "journeymap/members.html", _members_context(access))


def _send_invitation(request: HttpRequest, invitation: Invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("invitation", args=[token]))
    ctx = {
        "invitation": invitation,
        "link": link,
        "inviter": invitation.invited_by,
        "site_name": settings.SITE_NAME,
        "days": settings.INVITATION_VALID_DAYS,
    }
    subject = _("%(name)s invites you to %(org)s on %(site)s") % {
        "name": invitation.invited_by.get_username(),
        "org": invitation.organisation.name,
        "site": settings.SITE_NAME,
    }
    body = render_to_string("journeymap/invitation_email.txt", ctx, request=request)
    send_mail(subject, body, None, [invitation.email])


@require_POST
def member_invite(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.MANAGE)
    org = access.organisation
    form = InviteForm(request.POST, organisation=org)
    if not form.is_valid():
        ctx = _members_context(access, invite_form=form)
        return render(request, "journeymap/members.html", ctx, status=400)
    invitation, token = invitation_create(
        org, form.cleaned_data["email"], form.cleaned_data["role"], access.user
    )
    _send_invitation(request, invitation, token)
    messages.success(
        request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
    )
    return redirect("members", org.slug)


def _get_pending_invitation(request, access: Access, invitation_id):
    """
    The open invitation, or None with a message (it was used or has expired).
    Not an invitation of this organisation (or withdrawn, which deletes it): 404.
    """
    access.require(Can.MANAGE)
    invitation = get_object(access, Invitation.objects.all(), invitation_id, Can.MANAGE)
    if not Invitation.objects.pending().filter(pk=invitation.pk).exists():
        messages.error(request, _("That invitation was already used or withdrawn."))
        return None
    return invitation


@require_POST
def invitation_resend(
    request: HttpRequest, org_slug: str, invitation_id
) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.MANAGE)
    old = _get_pending_invitation(request, access, invitation_id)
    if old is not None:
        # Only the token's hash is stored, so "resend" means a fresh link; the
        # old one stops working.
        with transaction.atomic():
            old.delete()
            invitation, token = invitation_create(
                access.organisation, old.email, old.role, access.user
            )
        _send_invitation(request, invitation, token)
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": old.email}
        )
    return redirect("members", org_slug)


@require_POST
def invitation_revoke(
    request: HttpRequest, org_slug: str, invitation_id
) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.MANAGE)
    invitation = _get_pending_invitation(request, access, invitation_id)
    if invitation is not None:
        invitation.delete()
        messages.success(
            request,
            _("Invitation for %(email)s withdrawn.") % {"email": invitation.email},
        )
    return redirect("members", org_slug)


@require_POST
def member_role(request: HttpRequest, org_slug: str, membership_id) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.MANAGE)
    target = get_member(access, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
    elif form.cleaned_data["role"] != target.role:
        _change_role(request, target, form.cleaned_data["role"])
    if target.pk == access.membership.pk and target.role != Role.OWNER:
        return redirect("org_home", org_slug)
    return redirect("members", org_slug)


def _lock_owners(organisation_id) -> None:
    """
    Lock the owners' rows until the transaction ends, so two owners demoting or
    removing each other at once cannot leave the organisation without one.
    """
    list(
        Membership.objects.select_for_update().filter(
            organisation_id=organisation_id, role=Role.OWNER
        )
    )


def _change_role(request: HttpRequest, target: Membership, role: str) -> None:
    with transaction.atomic():
        _lock_owners(target.organisation_id)
        if is_last_owner(target):
            messages.error(
                request,
                _("%(name)s is the last owner; make someone else owner first.")
                % {"name": target.user.get_username()},
            )
            return
        target.role = role
        target.save(update_fields=["role"])
        access_changed(target)
    messages.success(
        request,
        _("%(name)s is now %(role)s.")
        % {
            "name": target.user.get_username(),
            "role": target.get_role_display().lower(),
        },
    )


def _remove_member(request: HttpRequest, target: Membership) -> bool:
    with transaction.atomic():
        _lock_owners(target.organisation_id)
        if is_last_owner(target):
            messages.error(
                request,
                _(
                    "%(name)s is the last owner and cannot leave. "
                    "Make someone else owner first."
                )
                % {"name": target.user.get_username()},
            )
            return False
        target.delete()
        access_changed(target)
    return True


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, org_slug: str, membership_id) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.MANAGE)
    target = get_member(access, membership_id)
    if target.pk == access.membership.pk:
        return redirect("org_leave", org_slug)
    if request.method == "POST":
        if _remove_member(request, target):
            messages.success(
                request,
                _("%(name)s no longer has access to %(org)s.")
                % {"name": target.user.get_username(), "org": access.organisation.name},
            )
        return redirect("members", org_slug)
    ctx = {
        "access": access,
        "org": access.organisation,
        "target": target,
        "last_owner": is_last_owner(target),
    }
    return render(request, "journeymap/member_remove.html", ctx)


@require_http_methods(["GET", "POST"])
def org_leave(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    me = access.membership
    if request.method == "POST":
        if _remove_member(request, me):
            request.session.pop("org", None)
            messages.success(
                request, _("You left %(org)s.") % {"org": access.organisation.name}
            )
            return redirect("home")
        return redirect("members", org_slug)
    ctx = {
        "access": access,
        "org": access.organisation,
        "target": me,
        "last_owner": is_last_owner(me),
    }
    return render(request, "journeymap/member_remove.html", ctx)


@require_safe
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to; works signed in or not."""
    invitation = Invitation.find(token)
    ctx = {"invitation": invitation, "token": token}
    if invitation is None or not invitation.is_usable:
        return render(request, "journeymap/invitation.html", ctx, status=410)
    if request.user.is_authenticated:
        ctx["already_member"] = Membership.objects.filter(
            organisation=invitation.organisation, user=request.user
        ).exists()
    return render(request, "journeymap/invitation.html", ctx)


@require_POST
@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find(token)
    if invitation is None:
        return render(
            request, "journeymap/invitation.html", {"invitation": None}, status=410
        )
    try:
        membership = invitation_accept(invitation, request.user)
    except InvitationUnusable:
        ctx = {"invitation": invitation, "token": token}
        return render(request, "journeymap/invitation.html", ctx, status=410)
    org = membership.organisation
    messages.success(request, _("Welcome to %(org)s!") % {"org": org.name})
    return redirect(org)
