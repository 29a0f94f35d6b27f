"""Read side of the dossiers app: scope, worklist filters and the derived flags."""

import datetime as dt

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from communes.scope import scope_q
from communes.text import fold


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue is readable by every signed-in account."""
        return self if user is not None and user.is_authenticated else self.none()

    def active(self):
        return self.filter(is_active=True)

    def search(self, text):
        """Code, name or field, every word, diacritics ignored: "khai sinh" finds "Đăng ký khai sinh"."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


def overdue_q(now=None):
    """Pending with the clock running (statuses 2 and 4) and past the due moment."""
    now = now or timezone.now()
    return Q(status__in=[2, 4], due_at__lt=now)


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping predicate: own commune (and its predecessors), own province, or all."""
        return self.filter(scope_q(user, "commune"))

    def overdue(self, now=None):
        return self.filter(overdue_q(now))

    def not_overdue(self, now=None):
        return self.exclude(overdue_q(now))

    def pending(self):
        return self.filter(status__in=[2, 4, 5, 6])

    def due_within(self, days: int, now=None):
        """Running dossiers due from now until the end of the N-th calendar day from today."""
        now = now or timezone.now()
        limit = timezone.localtime(now).replace(hour=23, minute=59, second=59) + dt.timedelta(days=days)
        return self.filter(status__in=[2, 4], due_at__gte=now, due_at__lte=limit)

    def search(self, text):
        """Dossier code or applicant name, every word, diacritics and case ignored."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def with_is_overdue(self, now=None):
        now = now or timezone.now()
        return self.annotate(
            is_overdue_now=Case(When(overdue_q(now), then=Value(True)), default=Value(False))
        )
