"""Checking and reading an uploaded IATI activities file.

The file is untrusted: it is read with entities unresolved, no network and no
huge trees (no XXE, no billion laughs), a file with a document type
declaration is refused outright (IATI files have none), and the whole file must
be valid against the official 2.03 schema (``schema/``) before anything of it
is used. What comes out is plain data (``ActivityRecord``), JSON-safe so that
the preview can be kept in the session and applied later without reading the
upload again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from lxml import etree

SCHEMA = Path(__file__).parent / "schema" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_ERRORS_SHOWN = 3


def max_bytes() -> int:
    return getattr(settings, "IATI_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_activities() -> int:
    return getattr(settings, "IATI_IMPORT_MAX_ACTIVITIES", 2000)


class IatiFileError(ValueError):
    """The file cannot be imported at all; the message says why, for the person who uploaded it."""


@dataclass
class ActivityRecord:
    """One ``iati-activity`` as read, before any judgement on it."""

    index: int
    identifier: str = ""
    reporting_ref: str = ""
    reporting_name: str = ""
    title: str = ""
    description: str = ""
    status: int | None = None
    default_currency: str = ""
    dates: dict[str, str] = field(default_factory=dict)  # IATI activity-date type -> ISO date
    budget: str | None = None  # the sum of the budget values, as a decimal string
    budget_currency: str = ""
    budget_note: str = ""
    sectors: list[tuple[str, str, str | None]] = field(default_factory=list)  # vocabulary, code, percentage
    countries: list[str] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)  # ref, name
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # vocabulary, vocabulary-uri, code
    participants: list[tuple[str, str, str]] = field(default_factory=list)  # role, ref, name
    contact_name: str = ""
    contact_email: str = ""

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ActivityRecord:
        data = dict(data)
        for name in ("sectors", "locations", "tags", "participants"):
            data[name] = [tuple(row) for row in data.get(name, [])]
        return cls(**data)


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _narrative(element, lang: str) -> str:
    """The narrative in the activity's language (or one without a language), else the first one."""
    if element is None:
        return ""
    narratives = element.findall("narrative")
    for narrative in narratives:
        if narrative.get(XML_LANG, lang) == lang and _text(narrative):
            return _text(narrative)
    return next((_text(n) for n in narratives if _text(n)), "")


def _budget(activity, default_currency: str) -> tuple[str | None, str, str]:
    """The budget total: the original budgets (type 1), else the revised ones; one currency only."""
    budgets = activity.findall("budget")
    chosen = [b for b in budgets if b.get("type", "1") == "1"] or budgets
    if not chosen:
        return None, "", ""
    total, currencies = Decimal(0), set()
    for budget in chosen:
        value = budget.find("value")
        try:
            total += Decimal(_text(value))
        except InvalidOperation:
            return None, "", "a budget value is not a number; budget left out"
        currencies.add(value.get("currency") or default_currency)
    if len(currencies) != 1 or not next(iter(currencies)):
        return None, "", "budgets in several currencies (or none); budget left out"
    return str(total), currencies.pop(), ""


def _record(index: int, activity) -> ActivityRecord:
    lang = activity.get(XML_LANG, "en")
    currency = activity.get("default-currency", "")
    reporting = activity.find("reporting-org")
    status = activity.find("activity-status")
    budget, budget_currency, budget_note = _budget(activity, currency)
    contact = activity.find("contact-info")
    return ActivityRecord(
        index=index,
        identifier=_text(activity.find("iati-identifier")),
        reporting_ref=(reporting.get("ref") or "").strip() if reporting is not None else "",
        reporting_name=_narrative(reporting, lang),
        title=_narrative(activity.find("title"), lang),
        description=_narrative(activity.find("description"), lang),
        status=int(status.get("code")) if status is not None and (status.get("code") or "").isdigit() else None,
        default_currency=currency,
        dates={d.get("type"): d.get("iso-date") for d in activity.findall("activity-date") if d.get("iso-date")},
        budget=budget, budget_currency=budget_currency, budget_note=budget_note,
        sectors=[(s.get("vocabulary", "1"), (s.get("code") or "").strip(), s.get("percentage"))
                 for s in activity.findall("sector")],
        countries=[(c.get("code") or "").upper() for c in activity.findall("recipient-country")],
        locations=[((loc.get("ref") or "").strip(), _narrative(loc.find("name"), lang))
                   for loc in activity.findall("location")],
        tags=[(t.get("vocabulary", "1"), t.get("vocabulary-uri", ""), (t.get("code") or "").strip())
              for t in activity.findall("tag")],
        participants=[(p.get("role", ""), (p.get("ref") or "").strip(), _narrative(p, lang))
                      for p in activity.findall("participating-org")],
        contact_name=_narrative(contact.find("person-name"), lang) if contact is not None else "",
        contact_email=_text(contact.find("email")) if contact is not None else "",
    )


def read_activities(data: bytes) -> list[ActivityRecord]:
    """The activities of an IATI 2.x activities file, or ``IatiFileError`` saying why the file is refused."""
    if len(data) > max_bytes():
        raise IatiFileError(f"The file is too large: at most {max_bytes() // (1024 * 1024)} MB.")
    if not data.strip():
        raise IatiFileError("The file is empty.")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as error:
        raise IatiFileError(f"This is not a well-formed XML file ({error.msg}).") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise IatiFileError("The file declares a document type (DOCTYPE); IATI files have none, so it is refused.")
    root = tree.getroot()
    if root.tag != "iati-activities":
        if root.tag == "iati-organisations":
            raise IatiFileError("This is an IATI organisation file; upload an activities file (iati-activities).")
        raise IatiFileError(f"This is not an IATI activities file: its root element is <{root.tag}>, "
                            "not <iati-activities>.")
    if not str(root.get("version", "")).startswith("2."):
        raise IatiFileError(f"IATI version {root.get('version') or '(none)'} is not supported: export the "
                            "activities as IATI 2.0x.")
    schema = _schema()
    if not schema.validate(tree):
        errors = [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:MAX_ERRORS_SHOWN]]
        raise IatiFileError("The file is not valid against the IATI 2.03 schema, so nothing of it is imported: "
                            + "; ".join(errors))
    activities = root.findall("iati-activity")
    if not activities:
        raise IatiFileError("The file holds no activity.")
    if len(activities) > max_activities():
        raise IatiFileError(f"The file holds {len(activities)} activities; at most {max_activities()} at once.")
    return [_record(index, activity) for index, activity in enumerate(activities, start=1)]
