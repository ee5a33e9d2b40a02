"""
The core every other app stands on: organisations, who belongs to them, and
invitations to join. Everything a team makes belongs to one organisation.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


# What each role may do, from least to most.
ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org_home", args=[self.slug])


@transaction.atomic
def organisation_create(name: str, owner) -> Organisation:
    """Create an organisation with a unique slug, and make `owner` its owner."""
    base = slugify(name)[:50] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    org = Organisation.objects.create(name=name, slug=slug)
    Membership.objects.create(organisation=org, user=owner, role=Role.OWNER)
    return org


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    joined = models.DateTimeField(_("joined"), auto_now_add=True)
    # When the member's latest visit to the overview began, and the one before:
    # "what changed since your last visit" starts at `previous_visit`. See
    # membership_visit for when a visit counts as new.
    last_visit = models.DateTimeField(
        _("last visit"), null=True, blank=True, editable=False
    )
    previous_visit = models.DateTimeField(
        _("previous visit"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_user"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    def can(self, role: str) -> bool:
        """True when this member's role is at least `role`."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def can_edit(self) -> bool:
        return self.can(Role.EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


# Overviews opened less than this after a visit began belong to that visit.
VISIT_GAP = timedelta(minutes=30)


def membership_visit(membership: Membership, now=None):
    """
    Note that `membership` opens the overview `now`; return the moment its
    "changes since your last visit" start from (None on a first visit).

    A visit begins when the overview is opened VISIT_GAP or more after the
    last one began; then the last visit becomes the previous one. Within a
    visit nothing is written and the moment stays put, so a refresh, or coming
    back from a map, does not empty the list the member is reading. The update
    is conditional, so two tabs opening at once advance the mark only once.
    """
    now = now or timezone.now()
    last = membership.last_visit
    if last is not None and now - last < VISIT_GAP:
        return membership.previous_visit
    advanced = Membership.objects.filter(pk=membership.pk, last_visit=last).update(
        previous_visit=last, last_visit=now
    )
    if advanced:
        membership.previous_visit, membership.last_visit = last, now
    else:  # another tab began this visit a moment ago
        membership.refresh_from_db(fields=["last_visit", "previous_visit"])
    return membership.previous_visit


def is_last_owner(membership: Membership) -> bool:
    if membership.role != Role.OWNER:
        return False
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.OWNER
    ).exclude(pk=membership.pk)
    return not others.exists()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted=None, expires__gt=timezone.now())


class Invitation(models.Model):
    """
    An e-mailed invitation to join an organisation. Only the token's hash is kept,
    so a database leak does not hand out working links.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    accepted = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @classmethod
    def find(cls, token: str) -> "Invitation | None":
        return (
            cls.objects.select_related("organisation", "invited_by")
            .filter(token_hash=_hash_token(token))
            .first()
        )

    @property
    def is_usable(self) -> bool:
        return self.accepted is None and self.expires > timezone.now()


def invitation_create(organisation, email: str, role: str, invited_by):
    """Create an invitation; returns it with the plain token (shown only once)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        expires=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    return invitation, token


@transaction.atomic
def invitation_accept(invitation: Invitation, user) -> Membership:
    """
    Turn an invitation into a membership, once. The conditional update makes a
    second click (or a second tab) harmless: only one request can claim it.
    """
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted=None, expires__gt=timezone.now()
    ).update(accepted=timezone.now(), accepted_by=user)
    if not claimed:
        raise InvitationUnusable
    membership, _created = Membership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"role": invitation.role},
    )
    return membership


class InvitationUnusable(Exception):
    pass
