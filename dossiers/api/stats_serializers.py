"""Response shapes of the statistics API (DOMAIN.md §5): output only, from plain dicts.

The figure names are the contract; every shape lists them explicitly so the OpenAPI schema shows
them. Counts are integers, rates are JSON numbers with 2 decimals (58.72) or null when their
denominator is 0.
"""

from rest_framework import serializers

from dossiers.figures_read import SUMMARY_FIGURES

#: The contract's figures, in the order of DOMAIN.md §5 and of the issue.
FIGURE_NAMES = SUMMARY_FIGURES


def _count(text):
    return serializers.IntegerField(read_only=True, min_value=0, help_text=text)


def _rate(text):
    return serializers.FloatField(read_only=True, allow_null=True, help_text=text)


class _OrderedFields(serializers.Serializer):
    """Fields in reading order: the identifying ones (`leading`), the figures, then the rest.

    DRF puts a base class's fields first; the figures are declared in bases, the identifying
    fields in subclasses, so this puts them back where a reader expects them.
    """

    leading: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        order = {name: i for i, name in enumerate((*self.leading, *FIGURE_NAMES))}
        return dict(sorted(fields.items(), key=lambda item: order.get(item[0], len(order))))


class StatsFigureCountsSerializer(_OrderedFields):
    """The figures of a unit and period, without walk-in visits (counted per centre only)."""

    carried_over = _count("Pending at the end of the day before the period (kỳ trước chuyển qua).")
    received_total = _count("received_online + received_direct + received_postal.")
    received_online = _count("Received (status 2) in the period online (trực tuyến).")
    received_direct = _count("Received in the period in person (trực tiếp).")
    received_postal = _count("Received in the period by public postal service (bưu chính công ích).")
    resolved_total = _count("resolved_early + resolved_on_time + resolved_late.")
    resolved_early = _count("Reached status 9 in the period before the due date (trước hạn).")
    resolved_on_time = _count("Reached status 9 in the period on the due date (đúng hạn).")
    resolved_late = _count("Reached status 9 in the period after the due date (quá hạn).")
    withdrawn = _count("Withdrawn by the citizen (status 7) in the period.")
    stopped = _count("Processing stopped (status 8) in the period.")
    pending_total = _count("Pending at the end of the period: pending_in_time + pending_overdue.")
    pending_in_time = _count("Pending within the deadline at the end of the period (paused ones included).")
    pending_overdue = _count("Pending with the clock running and past the due date at the end of the period.")
    paused = _count("Paused (status 5 or 6) at the end of the period; part of pending_in_time.")
    online_rate = _rate("received_online / received_total × 100, 2 decimals; null when nothing was received.")
    on_time_rate = _rate(
        "(resolved_early + resolved_on_time) / resolved_total × 100, 2 decimals; "
        "null when nothing was resolved."
    )


class StatsFiguresSerializer(StatsFigureCountsSerializer):
    """All the figures of DOMAIN.md §5, walk-in visits included."""

    visits = _count("Walk-in visits (lượt người dân đến giao dịch) recorded in the period.")


def _computed_at():
    return serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the oldest daily row read was computed; null when no row exists for the period.",
    )


class StatsSummarySerializer(StatsFiguresSerializer):
    """One unit's (or the whole scope's) figures for a period."""

    leading = ("commune", "province", "date_from", "date_to")
    commune = serializers.CharField(
        read_only=True, allow_null=True, help_text="5-digit code of the commune asked for, or null."
    )
    province = serializers.CharField(
        read_only=True, allow_null=True, help_text="2-digit code of the province asked for, or null."
    )
    date_from = serializers.DateField(read_only=True, help_text="First day of the period (inclusive).")
    date_to = serializers.DateField(read_only=True, help_text="Last day of the period (inclusive).")
    computed_at = _computed_at()


class StatsDailyRowSerializer(StatsFiguresSerializer):
    """One unit's figures for one day: that day's flows, stocks at its end, rates of the day."""

    leading = ("commune", "date")
    commune = serializers.CharField(read_only=True, help_text="5-digit code of the unit.")
    date = serializers.DateField(read_only=True, help_text="The local day (Asia/Ho_Chi_Minh).")
    computed_at = serializers.DateTimeField(read_only=True, help_text="When this day's rows were computed.")


class StatsCommuneRowSerializer(StatsFiguresSerializer):
    """One current commune's figures for the period: a row of the ranking."""

    leading = ("rank", "commune", "name", "province", "date_from", "date_to")
    rank = serializers.IntegerField(read_only=True, help_text="Position in the requested ordering, from 1.")
    commune = serializers.CharField(read_only=True, help_text="5-digit code of the commune.")
    name = serializers.CharField(read_only=True, help_text='Name of the commune, e.g. "Thượng Cốc".')
    province = serializers.CharField(read_only=True, help_text="2-digit code of its province.")
    date_from = serializers.DateField(read_only=True)
    date_to = serializers.DateField(read_only=True)
    computed_at = _computed_at()


class StatsProcedureRowSerializer(StatsFigureCountsSerializer):
    """One procedure's figures for the period (a row of form II.06a)."""

    leading = ("procedure", "name")
    procedure = serializers.CharField(read_only=True, help_text='Procedure code, e.g. "1.001193".')
    name = serializers.CharField(read_only=True, help_text="Procedure name.")


class StatsFieldRowSerializer(StatsFigureCountsSerializer):
    """One field's figures (the sum of its procedures) and its procedures' rows."""

    leading = ("field",)
    field = serializers.CharField(read_only=True, help_text='Field (lĩnh vực), e.g. "Hộ tịch".')
    procedures = StatsProcedureRowSerializer(many=True, read_only=True, help_text="By procedure code.")


class StatsFieldsSerializer(serializers.Serializer):
    """Form II.06a: the figures by field and by procedure, and the unit's total."""

    commune = serializers.CharField(
        read_only=True, allow_null=True, help_text="5-digit code of the commune asked for, or null."
    )
    province = serializers.CharField(
        read_only=True, allow_null=True, help_text="2-digit code of the province asked for, or null."
    )
    date_from = serializers.DateField(read_only=True)
    date_to = serializers.DateField(read_only=True)
    fields = StatsFieldRowSerializer(
        many=True, read_only=True, help_text="Fields with any figure in the period, by name."
    )
    total = StatsFiguresSerializer(
        read_only=True, help_text="The whole unit's figures (as /stats/summary/), walk-in visits included."
    )
    computed_at = _computed_at()
