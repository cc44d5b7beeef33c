"""Requirements follow the national definitions (issue 12).

- cyber-2021 rests on the DSPT alone: "mandated cyber security standards" are the DSPT's
  Standards Met or Exceeded. The board cyber plan and patching evidence stay as optional
  evidence that never changes the national status.
- core-2023 gains two requirements met by published national data: an EPR in use (Frontline
  Digitisation group, or the EPR supplier list) and the Minimum Digital Foundations core
  capabilities (Frontline Digitisation EPR status).

Both are corrections to the definition since the target began, so they apply from its start
date, and each is kept as a requirement revision with its reason.
"""

from django.db import migrations

CYBER_OPTIONAL = ("board-cyber-plan", "patching-compliance")
CYBER_REASON = (
    "The long-term plan's mandated cyber security standards are the DSPT's Standards Met or Exceeded: "
    "the target rests on the DSPT alone. Local evidence is kept as optional and does not count."
)
CORE_ADDED = [
    (
        "epr-in-use",
        "An electronic patient record in use",
        "epr_in_use",
        "An EPR in use: in the Frontline Digitisation programme's report, any group other than Group 0; "
        'in NHS England\'s EPR supplier list, a named supplier rather than "No EPR". Where the two '
        "disagree the later snapshot wins. That Group 0 means no EPR is inferred, not published: all 16 "
        'Group 0 trusts of May 2023 are "No EPR" in the October 2024 list, while 8 of the 11 Group 1 '
        "trusts name a supplier by then.",
    ),
    (
        "mdf-core-capabilities",
        "Minimum Digital Foundations core capabilities met",
        "mdf_core_capabilities",
        "The Frontline Digitisation programme's EPR status is \"Already meets the core capabilities in the "
        "MDF\": the programme's definition of a core level of digitisation.",
    ),
]
CORE_REASON = "National definition of a core level of digitisation: an EPR in use and the MDF core capabilities."


def apply(apps, schema_editor):
    Target = apps.get_model("milestones", "Target")
    Requirement = apps.get_model("milestones", "Requirement")
    RequirementRevision = apps.get_model("milestones", "RequirementRevision")

    def revise(requirement, change, reason, start, old_basis, new_basis):
        RequirementRevision.objects.get_or_create(
            requirement=requirement,
            change=change,
            defaults={
                "applies_from": start,
                "old_basis": old_basis,
                "new_basis": new_basis,
                "reason": reason,
                "revised_on": start,
            },
        )

    cyber = Target.objects.filter(code="cyber-2021").first()
    if cyber is not None:
        for requirement in Requirement.objects.filter(target=cyber, code__in=CYBER_OPTIONAL, optional=False):
            requirement.optional = True
            requirement.save(update_fields=["optional"])
            basis = {"rule": requirement.national_data_rule, "dma_pillar": "", "dma_threshold": None}
            revise(requirement, "made_optional", CYBER_REASON, cyber.start_date, basis, basis)

    core = Target.objects.filter(code="core-2023").first()
    if core is not None:
        order = Requirement.objects.filter(target=core).count()
        for offset, (code, title, rule, description) in enumerate(CORE_ADDED):
            requirement, created = Requirement.objects.get_or_create(
                target=core,
                code=code,
                defaults={
                    "title": title,
                    "national_data_rule": rule,
                    "description": description,
                    "display_order": order + offset,
                },
            )
            if created:
                basis = {"rule": rule, "dma_pillar": "", "dma_threshold": None}
                revise(requirement, "added", CORE_REASON, core.start_date, {}, basis)


class Migration(migrations.Migration):
    dependencies = [("milestones", "0008_source_snapshots")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
