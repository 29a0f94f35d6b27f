"""Signal receivers of the communes app: keep the cached working calendar in step with CalendarDay,
and the statistics' cache generation with the units (names, lifetimes, mergers)."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from . import generation
from .calendar_store import calendar_changed, clear_calendar_cache
from .models import CalendarDay, Commune, Merger, Province


@receiver(post_save, sender=CalendarDay, dispatch_uid="communes.calendar_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="communes.calendar_day_deleted")
def calendar_day_changed(sender, instance, using, **kwargs):
    """A day off or make-up working day was added, edited or removed: the calendar must be rebuilt."""
    calendar_changed(using)


@receiver(post_migrate, dispatch_uid="communes.calendar_after_migrate")
def calendar_after_migrate(sender, **kwargs):
    """`flush` (run between transactional tests) empties tables without per-row signals."""
    clear_calendar_cache()


@receiver(post_save, sender=Province, dispatch_uid="communes.province_saved")
@receiver(post_delete, sender=Province, dispatch_uid="communes.province_deleted")
@receiver(post_save, sender=Commune, dispatch_uid="communes.commune_saved")
@receiver(post_delete, sender=Commune, dispatch_uid="communes.commune_deleted")
@receiver(post_save, sender=Merger, dispatch_uid="communes.merger_saved")
@receiver(post_delete, sender=Merger, dispatch_uid="communes.merger_deleted")
def units_changed(sender, **kwargs):
    """Scopes and statistics cached for the old units must not be served any more (bulk writes,
    which send no signal, bump the generation themselves: see unit_loading.load_units)."""
    generation.bump()
