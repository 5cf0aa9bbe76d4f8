import hashlib
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import no_control_characters


class Organization(models.Model):
    class Kind(models.TextChoices):
        MISSION = "mission", "Mission (embassy)"
        UN_AGENCY = "un_agency", "UN agency"
        NGO = "ngo", "NGO"
        DONOR_AGENCY = "donor_agency", "Donor agency"
        INTERNATIONAL = "international", "International organization"
        GOVERNMENT = "government", "Government agency"
        PROFESSIONAL = "professional", "Professional association"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active member"
        OBSERVER = "observer", "Observer"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DECLINED = "declined", "Declined"
        PARTNER = "partner", "Partner (works in the field)"

    name = models.CharField(max_length=200, unique=True, validators=[no_control_characters])
    acronym = models.CharField(max_length=30, blank=True, validators=[no_control_characters])
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    country = models.CharField(max_length=100, blank=True, help_text="Country the mission represents, or the seat.")
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INVITED, db_index=True)
    status_changed_on = models.DateField(default=timezone.localdate)
    joined_on = models.DateField(null=True, blank=True, help_text="When it first became an active member.")
    is_cochair = models.BooleanField("co-chair", default=False)
    # Its identifier in the IATI Registry (e.g. XM-DAC-47066), the prefix of its activities' identifiers.
    iati_identifier = models.CharField(
        "IATI organisation identifier", max_length=100, blank=True,
        validators=[RegexValidator(r"^[^\s/&|?]+$", "No spaces and none of / & | ? (IATI's rule).")],
        help_text="As published in the IATI Registry, e.g. XM-DAC-47066. Optional.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="organization_name_lower")]
        constraints = [
            models.UniqueConstraint(fields=["iati_identifier"], condition=~models.Q(iati_identifier=""),
                                    name="organization_iati_identifier_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym not in self.name else self.name

    @property
    def is_active_member(self):
        return self.status == self.Status.ACTIVE


class MembershipChange(models.Model):
    """One change of an organization's membership status: the history the group keeps."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="membership_changes")
    from_status = models.CharField(max_length=12, choices=Organization.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Organization.Status.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey("members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.organization}: {self.from_status or '—'} → {self.to_status} on {self.changed_on}"


class OrganizationNote(models.Model):
    """A member's dated note on an organization (a partner NGO, usually): what it does,
    where, how it was to work with.

    Never shown to the people of the organization it is about (``rules.py``); the
    coordination app's pages list, add, edit and hide them.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("members.User", null=True, on_delete=models.SET_NULL, related_name="+")
    # The author's organization when they wrote it: people move on.
    author_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    noted_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self):
        return f"Note on organization {self.organization_id}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        SECRETARIAT = "secretariat", "Secretariat"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True, validators=[no_control_characters])
    title = models.CharField(max_length=200, blank=True, help_text="Job title, e.g. Political Officer",
                             validators=[no_control_characters])
    phone = models.CharField(max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    is_focal_point = models.BooleanField(
        default=False, help_text="The organization's contact for the group; may invite colleagues."
    )
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Invitation(models.Model):
    """An invitation of one contact to join the group (or their colleagues' organization).

    The link's secret is never stored: only the SHA-256 of each token lives in
    ``InvitationToken``, so a leaked database does not leak working links.
    "Expired" is not stored either; it is a pending invitation past ``expires_at``.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "Organization"  # the secretariat invites an organization
        COLLEAGUE = "colleague", "Colleague"  # a focal point invites a colleague; no status change

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    class State(models.TextChoices):
        """What the list shows: the stored status, with "expired" for stale pending ones."""

        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    class Availability(StrEnum):
        """Whether a link may still be used: ``VALID``, or why not."""

        VALID = "valid"
        ACCEPTED = "accepted"
        DECLINED = "declined"
        REVOKED = "revoked"
        EXPIRED = "expired"
        CLOSED = "closed"  # the organization withdrew, or a colleague's is not an active member
        REPLACED = "replaced"  # a resend killed this link
        UNKNOWN = "unknown"  # a link the portal never issued
        OTHER_ACCOUNT = "other-account"  # signed in as someone else than the invitee
        # The account belongs to another active organization: a coordinator must confirm a move.
        MOVE_NEEDS_CONFIRMATION = "move-needs-confirmation"

    STATES = State.choices

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ORGANIZATION)
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True, validators=[no_control_characters])
    message = models.TextField(blank=True)
    invited_by = models.ForeignKey("members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mailing = models.ForeignKey("notifications.Mailing", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now, help_text="When the current link was sent.")
    times_sent = models.PositiveSmallIntegerField(default=1, help_text="1, plus one for each resend.")
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    accepted_by = models.ForeignKey("members.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="accepted_invitations")
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # The automatic reminder of the current link went out (a resend clears it).
    auto_reminded = models.BooleanField(default=False)
    revoked_by = models.ForeignKey("members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "organization", condition=models.Q(status="pending"),
                name="invitation_one_pending_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self):
        return f"{self.email} for {self.organization} ({self.state})"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def state(self) -> "Invitation.State":
        return self.State.EXPIRED if self.is_expired else self.State(self.status)

    def get_state_display(self) -> str:
        return self.state.label

    @property
    def availability(self) -> "Invitation.Availability":
        """Whether the link may still be used: "valid", or why not.

        A withdrawn organization's invitations cannot be accepted: withdrawing
        takes access away at once, and an old link must not give it back. A
        colleague joins only an organization that is an active member.
        """
        if self.status != self.Status.PENDING:
            return self.Availability(self.status)
        if self.is_expired:
            return self.Availability.EXPIRED
        org_status = self.organization.status
        if org_status == Organization.Status.WITHDRAWN or (
            self.kind == self.Kind.COLLEAGUE and org_status != Organization.Status.ACTIVE
        ):
            return self.Availability.CLOSED
        return self.Availability.VALID


class InvitationToken(models.Model):
    """The hash of one link sent for an invitation.

    The first email and every reminder carry a link of their own; all stay good
    until the invitation is answered, revoked, expires, or is resent (resending
    kills every earlier link, so that a forwarded old email stops working).
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"link {self.token_hash[:8]}… of {self.invitation_id}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
