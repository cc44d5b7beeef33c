"""The national targets of the NHS Long Term Plan (January 2019), their requirements,
the deadline history of full digitisation, and the DSPT submission deadlines.

Dates: where a policy says "by 2023" the deadline is taken as the end of that year;
"summer 2021" for the cyber standard is the 2020-21 DSPT submission deadline, 30 June 2021.
Admins correct any of this in the admin; every deadline change is kept as a revision.
"""

import datetime

from django.db import migrations

LONG_TERM_PLAN = datetime.date(2019, 1, 7)
ALL_SECTORS = ["acute", "community", "mental_health", "ambulance", "specialist", "combined", "unclassified"]

TARGETS = [
    {
        "code": "cyber-2021",
        "title": "Mandated cyber security standards met",
        "description": "Every trust meets the mandated cyber security standards, judged by its "
        "published Data Security and Protection Toolkit (DSPT) status, by summer 2021.",
        "start_date": LONG_TERM_PLAN,
        "deadline": datetime.date(2021, 6, 30),
        "requirements": [
            (
                "dspt-standards-met",
                "DSPT standards met or exceeded",
                "dspt_met_or_exceeded",
                "The trust's published DSPT status is Standards Met or Standards Exceeded.",
            ),
            (
                "board-cyber-plan",
                "Board-approved cyber security plan",
                "",
                "A cyber security improvement plan approved by the trust board.",
            ),
            (
                "patching-compliance",
                "Patching compliance",
                "",
                "Evidence that critical and high security patches are applied within the mandated time.",
            ),
        ],
    },
    {
        "code": "core-2023",
        "title": "Core level of digitisation",
        "description": "Every trust reaches a core level of digitisation by 2023.",
        "start_date": LONG_TERM_PLAN,
        "deadline": datetime.date(2023, 12, 31),
        "requirements": [
            (
                "epr-live-acute",
                "Electronic patient record live in acute settings",
                "",
                "An electronic patient record in use in the trust's core clinical settings.",
            ),
            (
                "e-prescribing",
                "Electronic prescribing",
                "",
                "Electronic prescribing and medicines administration in use.",
            ),
            (
                "clinical-decision-support",
                "Clinical decision support",
                "",
                "Clinical decision support in use within the electronic patient record.",
            ),
        ],
    },
    {
        "code": "full-2024",
        "title": "Fully digitised",
        "description": "Every trust is fully digitised: an electronic patient record across all "
        "settings. First set as 'paperless by 2018', the deadline has slipped several times.",
        "start_date": datetime.date(2013, 1, 16),
        "deadline": datetime.date(2026, 3, 31),
        "requirements": [
            (
                "epr-all-settings",
                "Electronic patient record across all settings",
                "",
                "An electronic patient record in use across every care setting of the trust.",
            ),
            (
                "epr-all-departments",
                "All departments and locations live",
                "",
                "Every department and location of the trust works on the electronic patient record.",
            ),
            (
                "shared-care-record-connection",
                "Connected to the shared care record",
                "",
                "The trust's record is connected to its region's shared care record.",
            ),
        ],
    },
    {
        "code": "shared-care-record-2024",
        "title": "Regional shared care record",
        "description": "Every trust contributes to and uses its region's shared care record by 2024.",
        "start_date": LONG_TERM_PLAN,
        "deadline": datetime.date(2024, 12, 31),
        "requirements": [
            (
                "scr-contributes",
                "Contributes data to the shared care record",
                "",
                "The trust's clinical data flows into its region's shared care record.",
            ),
            (
                "scr-in-use",
                "Shared care record in clinical use",
                "",
                "Clinicians at the trust view the shared care record in their own systems.",
            ),
        ],
    },
]

# The full-digitisation deadline as announced: (announced on, old deadline, new deadline, reason).
FULL_DIGITISATION_SLIPPAGE = [
    (
        datetime.date(2014, 11, 13),
        datetime.date(2018, 12, 31),
        datetime.date(2020, 12, 31),
        "National Information Board, Personalised Health and Care 2020: paper-free at the point of care by 2020.",
    ),
    (
        datetime.date(2016, 9, 7),
        datetime.date(2020, 12, 31),
        datetime.date(2023, 12, 31),
        "Wachter review: the paperless target moved to 2023.",
    ),
    (
        LONG_TERM_PLAN,
        datetime.date(2023, 12, 31),
        datetime.date(2024, 12, 31),
        "NHS Long Term Plan: secondary care providers fully digitised by 2024.",
    ),
    (
        datetime.date(2022, 6, 29),
        datetime.date(2024, 12, 31),
        datetime.date(2025, 3, 31),
        "A plan for digital health and social care: every trust with an electronic patient record by March 2025.",
    ),
    (
        datetime.date(2024, 4, 1),
        datetime.date(2025, 3, 31),
        datetime.date(2026, 3, 31),
        "Frontline Digitisation programme: deadline moved to March 2026 (announcement date approximate).",
    ),
]

# DSPT submission deadlines by assessment year (2019-20 was extended because of COVID-19).
DSPT_DEADLINES = [
    ("2019-20", datetime.date(2020, 9, 30)),
    ("2020-21", datetime.date(2021, 6, 30)),
    ("2021-22", datetime.date(2022, 6, 30)),
    ("2022-23", datetime.date(2023, 6, 30)),
    ("2023-24", datetime.date(2024, 6, 30)),
    ("2024-25", datetime.date(2025, 6, 30)),
    ("2025-26", datetime.date(2026, 6, 30)),
]


def seed(apps, schema_editor):
    Target = apps.get_model("milestones", "Target")
    Requirement = apps.get_model("milestones", "Requirement")
    TargetRevision = apps.get_model("milestones", "TargetRevision")
    DsptSubmissionDeadline = apps.get_model("milestones", "DsptSubmissionDeadline")

    for order, spec in enumerate(TARGETS):
        target, _ = Target.objects.update_or_create(
            code=spec["code"],
            defaults={
                "title": spec["title"],
                "description": spec["description"],
                "start_date": spec["start_date"],
                "deadline": spec["deadline"],
                "sectors": ALL_SECTORS,
                "display_order": order,
            },
        )
        for req_order, (code, title, rule, description) in enumerate(spec["requirements"]):
            Requirement.objects.update_or_create(
                target=target,
                code=code,
                defaults={
                    "title": title,
                    "national_data_rule": rule,
                    "description": description,
                    "display_order": req_order,
                },
            )

    full = Target.objects.get(code="full-2024")
    for revised_on, old, new, reason in FULL_DIGITISATION_SLIPPAGE:
        TargetRevision.objects.get_or_create(
            target=full, revised_on=revised_on, old_deadline=old, new_deadline=new, defaults={"reason": reason}
        )

    for year, deadline in DSPT_DEADLINES:
        DsptSubmissionDeadline.objects.update_or_create(year=year, defaults={"deadline": deadline})


class Migration(migrations.Migration):
    dependencies = [("milestones", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
