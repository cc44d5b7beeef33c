"""The three roles, as Django groups with their permissions: the one definition.

A data migration and the tests call `roles_sync()`; it is idempotent, so a new permission is
granted by adding it here and shipping a migration that calls it again (0014_roles_sync).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from trusts.models import VIEW_ALL_TRUSTS_CODENAME

from .models import REVIEW_EVIDENCE_CODENAME, SUBMIT_EVIDENCE_CODENAME

PROGRAMME_STAFF = "Programme staff"
TRUST_CIO = "Trust CIO"
ADMIN = "Admin"

ROLES: dict[str, list[tuple[str, str]]] = {
    PROGRAMME_STAFF: [
        ("trusts", VIEW_ALL_TRUSTS_CODENAME),
        ("milestones", REVIEW_EVIDENCE_CODENAME),
        ("milestones", "view_evidencesubmission"),
    ],
    TRUST_CIO: [
        ("milestones", SUBMIT_EVIDENCE_CODENAME),
    ],
    ADMIN: [
        ("trusts", VIEW_ALL_TRUSTS_CODENAME),
        ("milestones", REVIEW_EVIDENCE_CODENAME),
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
        ("milestones", "view_dsptdeadlinerevision"),
        ("milestones", "view_requirementrevision"),
        ("milestones", "view_sourcesnapshot"),
        ("milestones", "view_sourcerow"),
        ("milestones", "view_compliancestatus"),
        ("milestones", "view_dsptassessment"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("auth", "view_group"),
        ("auditlog", "view_logentry"),
    ],
}


def roles_sync(*, apps=global_apps) -> None:
    """Create or update each role's group to hold exactly its permissions.

    `apps` is a migration's historical registry when called from one. Permissions are normally
    created after migrations run, so they are made here first.
    """
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)  # a migration's stubs have none
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.clear_cache()
    by_key = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.select_related("content_type")
    }
    for name, keys in ROLES.items():
        missing = [key for key in keys if key not in by_key]
        if missing and apps is global_apps:
            raise LookupError(f"Role {name!r} names permissions that do not exist: {missing}")
        # In a migration, a permission of a model a later migration makes is granted when a later
        # migration syncs again.
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([by_key[key] for key in keys if key in by_key])
