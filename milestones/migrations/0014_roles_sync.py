"""The roles as milestones.roles defines them now: Admin may also view requirement revisions and the
published data snapshots and their rows."""

from django.db import migrations

from milestones.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0013_day_statuses_for_as_of_views"),
        ("trusts", "0005_icb_validity_and_trust_memberships"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
