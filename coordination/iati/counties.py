"""Where Kenya's counties are, for IATI locations.

IATI has no ISO 3166-2 vocabulary, so a county travels as a location with its
name and a point. The points below are APPROXIMATE centres of each county
(rounded to about 0.05 degree, within some tens of kilometres of the
geographic centroid), good for placing a project on a map, not for surveying.
The names and codes themselves come from ``pycountry`` (see ``vocabularies``).
"""

from __future__ import annotations

import re

from ..vocabularies import counties

# ISO 3166-2:KE code -> (latitude, longitude), WGS 84, approximate.
COUNTY_CENTROIDS: dict[str, tuple[float, float]] = {
    "KE-01": (0.85, 35.97),    # Baringo
    "KE-02": (-0.78, 35.34),   # Bomet
    "KE-03": (0.78, 34.72),    # Bungoma
    "KE-04": (0.43, 34.15),    # Busia
    "KE-05": (0.80, 35.52),    # Elgeyo-Marakwet
    "KE-06": (-0.65, 37.72),   # Embu
    "KE-07": (-0.55, 40.05),   # Garissa
    "KE-08": (-0.60, 34.45),   # Homa Bay
    "KE-09": (1.00, 38.65),    # Isiolo
    "KE-10": (-2.10, 36.80),   # Kajiado
    "KE-11": (0.35, 34.80),    # Kakamega
    "KE-12": (-0.35, 35.35),   # Kericho
    "KE-13": (-1.05, 36.80),   # Kiambu
    "KE-14": (-3.15, 39.60),   # Kilifi
    "KE-15": (-0.55, 37.30),   # Kirinyaga
    "KE-16": (-0.75, 34.80),   # Kisii
    "KE-17": (-0.15, 34.85),   # Kisumu
    "KE-18": (-1.45, 38.45),   # Kitui
    "KE-19": (-4.15, 39.20),   # Kwale
    "KE-20": (0.30, 36.80),    # Laikipia
    "KE-21": (-2.05, 40.85),   # Lamu
    "KE-22": (-1.30, 37.40),   # Machakos
    "KE-23": (-2.00, 37.75),   # Makueni
    "KE-24": (3.55, 40.95),    # Mandera
    "KE-25": (2.90, 37.60),    # Marsabit
    "KE-26": (0.20, 37.80),    # Meru
    "KE-27": (-1.05, 34.40),   # Migori
    "KE-28": (-4.04, 39.67),   # Mombasa
    "KE-29": (-0.80, 37.05),   # Murang'a
    "KE-30": (-1.29, 36.82),   # Nairobi City
    "KE-31": (-0.50, 36.05),   # Nakuru
    "KE-32": (0.20, 35.10),    # Nandi
    "KE-33": (-1.30, 35.60),   # Narok
    "KE-34": (-0.60, 34.95),   # Nyamira
    "KE-35": (-0.25, 36.45),   # Nyandarua
    "KE-36": (-0.40, 36.95),   # Nyeri
    "KE-37": (1.35, 37.10),    # Samburu
    "KE-38": (0.05, 34.25),    # Siaya
    "KE-39": (-3.40, 38.45),   # Taita-Taveta
    "KE-40": (-1.60, 39.60),   # Tana River
    "KE-41": (-0.25, 37.90),   # Tharaka-Nithi
    "KE-42": (1.05, 34.95),    # Trans Nzoia
    "KE-43": (3.35, 35.60),    # Turkana
    "KE-44": (0.55, 35.30),    # Uasin Gishu
    "KE-45": (0.05, 34.70),    # Vihiga
    "KE-46": (1.75, 40.05),    # Wajir
    "KE-47": (1.60, 35.35),    # West Pokot
}


def _key(name: str) -> str:
    """A county name as people and publishers write it: any case, '/' or '-' or ' ', with or without 'County'."""
    name = re.sub(r"\bcounty\b", "", name.lower())
    return re.sub(r"[^a-z]", "", name)


def county_code_by_name(name: str) -> str | None:
    """The ISO code of a county named ``name`` ("Mombasa County", "Taita-Taveta", "Nairobi"), else None."""
    wanted = _key(name)
    if not wanted:
        return None
    for code, county in counties().items():
        key = _key(county)
        if wanted == key or (key.endswith("city") and wanted == key[:-4]):
            return code
    return None
