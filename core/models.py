"""The floor's one record: refused attempts at deciding one's own case, kept for the audit."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OwnCaseRefusal(models.Model):
    """A member of staff tried to decide on a case of their own (core.duties) and was refused.
    Written before the deciding service opens its transaction, so the refusal's rollback keeps it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    subject = models.CharField(_("case"), max_length=120, help_text='e.g. "points.redemption:12"')
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("refused own-case decision")
        verbose_name_plural = _("refused own-case decisions")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.subject} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
