import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("met", "Met"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("overdue", "Overdue"),
    ("no_current_data", "No current data"),
    ("not_applicable", "Not applicable"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0006_evidencesubmission_review_emailed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="compliancestatus",
            name="data_as_at",
            field=models.DateField(
                blank=True, help_text="As-at date of the oldest published national data behind the status.", null=True
            ),
        ),
        migrations.AddField(
            model_name="compliancestatus",
            name="met_by_deadline",
            field=models.BooleanField(
                blank=True,
                help_text="Whether the target was met on the deadline then in force, once it has passed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="requirement",
            name="applies_from",
            field=models.DateField(
                blank=True,
                help_text="The first day it counts; statuses before it do not change. Empty: always.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="requirement",
            name="dma_pillar",
            field=models.CharField(
                blank=True,
                help_text="For a DMA rule: the pillar, as the DMA names it (such as Well led).",
                max_length=60,
            ),
        ),
        migrations.AddField(
            model_name="requirement",
            name="dma_threshold",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="For a DMA rule: the lowest score that meets it.",
                max_digits=3,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="requirement",
            name="optional",
            field=models.BooleanField(
                default=False,
                help_text="Optional evidence: listed for the trust, but never changes the national status.",
            ),
        ),
        migrations.AddField(
            model_name="requirement",
            name="retired_on",
            field=models.DateField(blank=True, help_text="The first day it no longer counts.", null=True),
        ),
        migrations.AlterField(
            model_name="compliancesnapshot",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="compliancestatus",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="compliancestatuschange",
            name="new_status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="compliancestatuschange",
            name="old_status",
            field=models.CharField(blank=True, choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="requirement",
            name="national_data_rule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "None: met by evidence uploaded by the trust"),
                    ("dspt_met_or_exceeded", "DSPT status Standards Met or Exceeded"),
                    (
                        "epr_in_use",
                        "An EPR in use (Frontline Digitisation group other than Group 0, or a named supplier)",
                    ),
                    ("mdf_core_capabilities", "Already meets the core capabilities in the MDF"),
                    ("dma_pillar_at_least", "DMA pillar score at least a threshold"),
                ],
                default="",
                help_text="Met by published national data rather than uploaded evidence.",
                max_length=40,
            ),
        ),
        migrations.CreateModel(
            name="RequirementRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "change",
                    models.CharField(
                        choices=[
                            ("added", "Added"),
                            ("rebound", "Basis changed"),
                            ("made_optional", "Made optional"),
                            ("made_counting", "Made to count"),
                            ("retired", "Retired"),
                        ],
                        max_length=20,
                    ),
                ),
                ("applies_from", models.DateField()),
                ("old_basis", models.JSONField(blank=True, default=dict)),
                ("new_basis", models.JSONField(blank=True, default=dict)),
                ("reason", models.TextField()),
                ("revised_on", models.DateField()),
                (
                    "requirement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="revisions",
                        to="milestones.requirement",
                    ),
                ),
                (
                    "revised_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["requirement", "applies_from", "id"]},
        ),
    ]
