"""Leaner daily figures tables, and an index for "overdue now".

The two daily tables are derived data: they are re-created with a composite primary key (no
surrogate id, no separate unique index), foreign keys without database constraints and, on
PostgreSQL, pages kept 30% free so that the beat's rewrite of today's rows is done in place.
Their rows are not copied: every unit that has dossiers is put in the figures backlog from its
first receipt, and the next run of the beat job (or `manage.py compute_stats`) recomputes them.
"""

import django.db.models.deletion
from django.db import migrations, models

FIGURE_TABLES = ("dossiers_dailyfigures", "dossiers_dailyprocedurefigures")


def _figure_fields():
    return [
        ("date", models.DateField(verbose_name="ngày")),
        ("received_online", models.PositiveIntegerField(default=0)),
        ("received_direct", models.PositiveIntegerField(default=0)),
        ("received_postal", models.PositiveIntegerField(default=0)),
        ("resolved_early", models.PositiveIntegerField(default=0)),
        ("resolved_on_time", models.PositiveIntegerField(default=0)),
        ("resolved_late", models.PositiveIntegerField(default=0)),
        ("withdrawn", models.PositiveIntegerField(default=0)),
        ("stopped", models.PositiveIntegerField(default=0)),
        ("pending_in_time", models.PositiveIntegerField(default=0)),
        ("pending_overdue", models.PositiveIntegerField(default=0)),
        ("paused", models.PositiveIntegerField(default=0)),
        ("computed_at", models.DateTimeField(verbose_name="tính lúc")),
    ]


def _commune(related_name):
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name=related_name,
        to="communes.commune",
    )


def leave_room_for_updates(apps, schema_editor):
    """The beat job rewrites today's rows every 10 minutes: with room left in each page,
    PostgreSQL updates them in place (HOT) without touching the index."""
    if schema_editor.connection.vendor == "postgresql":
        for table in FIGURE_TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = 70)")


def mark_everything_stale(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    FiguresBacklog = apps.get_model("dossiers", "FiguresBacklog")
    first_receipts = Dossier.objects.values("commune_id").annotate(first=models.Min("received_at"))
    for row in first_receipts:
        # UTC dates: at worst a day early, which only recomputes one day more.
        FiguresBacklog.objects.update_or_create(
            commune_id=row["commune_id"], defaults={"since": row["first"].date()}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0001_initial"),
        ("dossiers", "0002_daily_figures"),
    ]

    operations = [
        migrations.DeleteModel(name="DailyProcedureFigures"),
        migrations.DeleteModel(name="DailyFigures"),
        migrations.CreateModel(
            name="DailyFigures",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "commune", "date", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                *_figure_fields(),
                ("visits", models.PositiveIntegerField(default=0)),
                ("commune", _commune("daily_figures")),
            ],
            options={
                "verbose_name": "số liệu ngày",
                "verbose_name_plural": "số liệu ngày",
                "ordering": ["commune", "date"],
                "indexes": [models.Index(fields=["date", "commune"], name="daily_figures_date_commune")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("paused__lte", models.F("pending_in_time"))),
                        name="daily_figures_paused_within_in_time",
                        violation_error_message="Số hồ sơ tạm dừng không thể vượt số hồ sơ trong hạn.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DailyProcedureFigures",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "commune",
                        "date",
                        "procedure",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                *_figure_fields(),
                ("commune", _commune("+")),
                (
                    "procedure",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="dossiers.procedure",
                    ),
                ),
            ],
            options={
                "ordering": ["commune", "date", "procedure"],
                "indexes": [models.Index(fields=["date", "commune"], name="daily_proc_figures_date")],
            },
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("status__in", [2, 4])), fields=["due_at"], name="dossier_running_due"
            ),
        ),
        migrations.RunPython(leave_room_for_updates, migrations.RunPython.noop),
        migrations.RunPython(mark_everything_stale, migrations.RunPython.noop),
    ]
