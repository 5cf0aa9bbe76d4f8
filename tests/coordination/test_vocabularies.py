"""Counties from pycountry with the Constitution's numbers; the 4P mapping covers every activity."""

import pycountry

from coordination.vocabularies import (
    CONSTITUTIONAL_NUMBER,
    DAC_SECTORS,
    PILLAR_OF_ACTIVITY,
    ActivityType,
    counties,
    location_choices,
)


def test_counties_are_the_47_of_iso_3166_2_ke_in_constitutional_order():
    iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code="KE")}
    assert counties() == {code: iso[code] for code in counties()} and set(counties()) == set(iso)
    assert len(counties()) == 47
    assert sorted(CONSTITUTIONAL_NUMBER.values()) == list(range(1, 48))
    names = list(counties().values())
    assert names[0] == "Mombasa" and names[1] == "Kwale" and names[2] == "Kilifi" and names[-1] == "Nairobi City"


def test_location_choices_show_number_name_and_code_with_national_first():
    choices = location_choices()
    assert choices[0][0] == "national"
    assert ("KE-28", "001 Mombasa (KE-28)") in choices and ("KE-30", "047 Nairobi City (KE-30)") in choices


def test_every_activity_has_a_pillar_and_required_sectors_exist():
    assert set(PILLAR_OF_ACTIVITY) == set(ActivityType)
    assert {"15180", "15190", "15160", "15130", "15132", "15136", "16010", "16070"} <= set(DAC_SECTORS)
