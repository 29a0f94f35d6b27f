"""Read side of the communes app: filters and the scoping predicate."""

from django.db import models
from django.db.models import Q

from .text import fold


def active_on_q(day, prefix=""):
    """Units valid on `day` (open ends count as unbounded)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class ProvinceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reference data: every signed-in user may read every province."""
        return self if user is not None and user.is_authenticated else self.none()

    def active_on(self, day):
        return self.filter(active_on_q(day))


class CommuneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reference data: every signed-in user may read every unit (dossiers are what is scoped)."""
        return self if user is not None and user.is_authenticated else self.none()

    def active_on(self, day):
        return self.filter(active_on_q(day))

    def current(self):
        """Units that have not ended."""
        return self.filter(valid_to__isnull=True)

    def search(self, text):
        """Every word must appear, diacritics and case ignored: 'thuong coc' finds 'Thượng Cốc'."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def with_merger_links(self):
        """Prefetch both directions of the merger links, ordered by code, in one query each.

        Rows get `predecessor_links` (mergers into this unit, with `absorbed` and its province)
        and `successor_links` (mergers out of it, with `successor`).
        """
        from .models import Merger

        return self.prefetch_related(
            models.Prefetch(
                "absorptions",
                queryset=Merger.objects.select_related("absorbed__province").order_by("absorbed__code"),
                to_attr="predecessor_links",
            ),
            models.Prefetch(
                "successions",
                queryset=Merger.objects.select_related("successor").order_by("successor__code"),
                to_attr="successor_links",
            ),
        )

    def latest_version(self, code):
        """The newest unit that carries `code` (the current one if it still exists)."""
        return self.filter(code=code).order_by(models.F("valid_from").desc(nulls_last=True)).first()
