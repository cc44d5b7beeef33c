"""A trust's successors become a list: ODS names several when a trust is split (RW6 went to
R0A and RM3). Each existing single link is carried over."""

from django.db import migrations, models


def carry_over_single_successors(apps, schema_editor):
    Trust = apps.get_model("trusts", "Trust")
    Successors = Trust.successors.through
    Successors.objects.bulk_create(
        Successors(from_trust_id=pk, to_trust_id=successor_id)
        for pk, successor_id in Trust.objects.filter(successor__isnull=False).values_list("pk", "successor_id")
    )


def keep_one_successor(apps, schema_editor):
    Trust = apps.get_model("trusts", "Trust")
    for trust in Trust.objects.filter(successors__isnull=False).distinct():
        trust.successor = trust.successors.order_by("ods_code").first()
        trust.save(update_fields=["successor"])


class Migration(migrations.Migration):
    dependencies = [
        ("trusts", "0003_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="trust",
            name="successors",
            field=models.ManyToManyField(blank=True, related_name="+", to="trusts.trust"),
        ),
        migrations.RunPython(carry_over_single_successors, keep_one_successor),
        migrations.RemoveField(
            model_name="trust",
            name="successor",
        ),
        migrations.AlterField(
            model_name="trust",
            name="successors",
            field=models.ManyToManyField(blank=True, related_name="predecessors", to="trusts.trust"),
        ),
    ]
