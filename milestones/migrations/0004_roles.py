"""The three roles as Django groups: programme staff, trust CIOs and admins."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Programme staff": [
        ("trusts", "view_all_trusts"),
        ("milestones", "review_evidencesubmission"),
        ("milestones", "view_evidencesubmission"),
    ],
    "Trust CIO": [
        ("milestones", "submit_evidencesubmission"),
    ],
    "Admin": [
        ("trusts", "view_all_trusts"),
        ("milestones", "review_evidencesubmission"),
        ("milestones", "view_evidencesubmission"),
        *[
            ("trusts", f"{action}_{model}")
            for model in ("region", "integratedcareboard", "trust")
            for action in ("add", "change", "view")
        ],
        *[
            ("milestones", f"{action}_{model}")
            for model in ("target", "requirement", "targetrevision", "dsptsubmissiondeadline")
            for action in ("add", "change", "view")
        ],
        ("milestones", "view_compliancestatus"),
        ("milestones", "view_dsptassessment"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("auth", "view_group"),
        ("auditlog", "view_logentry"),
    ],
}


def add_roles(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in perms]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0003_permissions"),
        ("trusts", "0003_permissions"),
        ("auditlog", "__latest__"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
