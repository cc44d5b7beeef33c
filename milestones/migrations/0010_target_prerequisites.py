"""Targets can need others met first (issue 17): a trust's stage is the highest target met with all
its prerequisites met. Full digitisation needs the core level of digitisation first."""

from django.db import migrations, models


def seed(apps, schema_editor):
    Target = apps.get_model("milestones", "Target")
    targets = Target.objects.in_bulk(["full-2024", "core-2023"], field_name="code")
    if len(targets) == 2:
        targets["full-2024"].prerequisites.add(targets["core-2023"])


def unseed(apps, schema_editor):
    Target = apps.get_model("milestones", "Target")
    Target.prerequisites.through.objects.filter(from_target__code="full-2024", to_target__code="core-2023").delete()


class Migration(migrations.Migration):
    dependencies = [("milestones", "0009_requirements_follow_national_definitions")]

    operations = [
        migrations.AddField(
            model_name="target",
            name="prerequisites",
            field=models.ManyToManyField(
                blank=True,
                help_text="Targets a trust must meet before this one counts as its stage (full digitisation needs core).",
                related_name="dependents",
                to="milestones.target",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
