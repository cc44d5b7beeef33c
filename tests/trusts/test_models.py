"""Trust codes and names (trusts/models.py)."""

import pytest
from django.core.exceptions import ValidationError

from trusts.models import IntegratedCareBoard, Trust, validate_trust_code


@pytest.mark.parametrize("code", ["RJ1", "TAD", "R0A", "RYJ", "G6V2S", "K0N6A"])
def test_three_and_five_character_ods_codes_are_valid(code):
    validate_trust_code(code)


@pytest.mark.parametrize("code", ["", "RJ", "AJ1", "rj1", "RJ1 ", "RJ12", "G6V2", "G6V2S1", "66V2S", "GGV2S", "001"])
def test_other_codes_are_not_trust_codes(code):
    with pytest.raises(ValidationError):
        validate_trust_code(code)


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        ("THE ONLINE NHS TRUST", "The Online NHS Trust"),
        ("NORTHUMBERLAND, TYNE AND WEAR NHS FOUNDATION TRUST", "Northumberland, Tyne and Wear NHS Foundation Trust"),
        ("EAST SUSSEX HEALTHCARE NHS TRUST", "East Sussex Healthcare NHS Trust"),
        (
            "WEST MIDLANDS AMBULANCE SERVICE UNIVERSITY NHS FOUNDATION TRUST",
            "West Midlands Ambulance Service University NHS Foundation Trust",
        ),
        (
            "BARNET, ENFIELD AND HARINGEY MENTAL HEALTH NHS TRUST",
            "Barnet, Enfield and Haringey Mental Health NHS Trust",
        ),
        ("KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST", "King's College Hospital NHS Foundation Trust"),
        (
            "NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD",
            "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        ),
        ("ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST", "Royal Brompton & Harefield NHS Foundation Trust"),
    ],
)
def test_names_published_in_upper_case_are_shown_in_title_case(published, shown):
    assert Trust(name=published).display_name == shown


def test_icb_name_is_shown_in_title_case_and_stored_as_published():
    icb = IntegratedCareBoard(name="NHS NORTH EAST AND NORTH CUMBRIA INTEGRATED CARE BOARD")
    assert str(icb) == "NHS North East and North Cumbria Integrated Care Board"
    assert icb.name == "NHS NORTH EAST AND NORTH CUMBRIA INTEGRATED CARE BOARD"


def test_trust_full_clean_rejects_a_bad_code(db):
    trust = Trust(ods_code="XJ1", name="X", opened_on="2020-01-01")
    with pytest.raises(ValidationError) as error:
        trust.full_clean(exclude=["region"])
    assert "ods_code" in error.value.message_dict
