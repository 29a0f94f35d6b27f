"""Signal receivers of the communes app: keep the cached working calendar in step with CalendarDay."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .calendar_store import calendar_changed, clear_calendar_cache
from .models import CalendarDay


@receiver(post_save, sender=CalendarDay, dispatch_uid="communes.calendar_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="communes.calendar_day_deleted")
def calendar_day_changed(sender, instance, using, **kwargs):
    """A day off or make-up working day was added, edited or removed: the calendar must be rebuilt."""
    calendar_changed(using)


@receiver(post_migrate, dispatch_uid="communes.calendar_after_migrate")
def calendar_after_migrate(sender, **kwargs):
    """`flush` (run between transactional tests) empties tables without per-row signals."""
    clear_calendar_cache()
