"""The floor's records: refused attempts at deciding one's own case, kept for the audit, and the
answers to the app's writes by their `Idempotency-Key` (core.api.idempotency)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.privacy import GuardedQuerySet

GuardedManager = models.Manager.from_queryset(GuardedQuerySet)


class GuardedModel(models.Model):
    """The base of every model of the project's apps: its manager's bulk writes (bulk_create,
    bulk_update, update), which send no pre_save, are checked for individual numbers like a save
    (core.privacy.GuardedQuerySet; a test holds every model to it)."""

    objects = GuardedManager()

    class Meta:
        abstract = True


class OwnCaseRefusal(GuardedModel):
    """A member of staff tried to decide on a case of their own (core.duties) and was refused.
    Written before the deciding service opens its transaction, so the refusal's rollback keeps it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    subject = models.CharField(_("case"), max_length=120, help_text=_('For example "points.redemption:12".'))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("refused own-case decision")
        verbose_name_plural = _("refused own-case decisions")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.subject} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"


class IdempotencyKey(GuardedModel):
    """A client's `Idempotency-Key` on a write: a repeat returns the stored answer; the same key
    with another body is refused with 409."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"key", "fingerprint"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("The SHA-256 of the method, path and body.")
    )
    status_code = models.PositiveSmallIntegerField(_("status code"))
    body = models.JSONField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
