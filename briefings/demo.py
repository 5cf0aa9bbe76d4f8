"""The briefings the group heard by March 2007 (DESIGN.md section 2), with small real PDFs.

The PDFs are written here (a one-font, text-only PDF is a few hundred bytes of
well-defined syntax) so that the demo needs nothing more than the portal.
Their wording is illustrative; the README says so. Loading is idempotent:
documents are looked up by title, briefings by title.
"""

from __future__ import annotations

import datetime
import textwrap

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting
from members.models import Organization, User

from .models import AccessLevel, Briefing, Document, Topic
from .services import briefings as briefing_services
from .services import documents as document_services


def pdf_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A valid one-page-per-screenful PDF with the text in Helvetica (text that pypdf extracts)."""
    lines = [(title, 16)] + [("", 11)]
    for paragraph in paragraphs:
        lines += [(line, 11) for line in textwrap.wrap(paragraph, 85)] + [("", 11)]
    pages, current = [], []
    for line in lines:
        current.append(line)
        if len(current) >= 48:
            pages.append(current)
            current = []
    if current:
        pages.append(current)

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = []
    page_ids = []
    # 1: catalog, 2: pages, 3: font, then a page and its content stream per page.
    for index, page in enumerate(pages):
        stream = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
        for text, size in page:
            stream.append(f"/F1 {size} Tf ({escape(text)}) Tj T*")
        stream.append("ET")
        content = "\n".join(stream).encode("latin-1")
        page_id, content_id = 4 + 2 * index, 5 + 2 * index
        page_ids.append(page_id)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    body = head + objects
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(body) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(body) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


US, IOM, UNICEF = "U.S. Embassy", "IOM", "UNICEF"

# title, kind, source, date, topics, access, filename, description, paragraphs
DOCUMENTS = [
    (
        "Interim assessment: trafficking in persons in Kenya", Document.Kind.REPORT, US,
        datetime.date(2006, 12, 1), ["prevention", "protection", "prosecution", "partnership"], AccessLevel.MEMBERS,
        "interim-tip-report-kenya.pdf",
        "The U.S. Embassy's interim assessment of Kenya's efforts against trafficking in persons, "
        "shared with the group ahead of the annual report.",
        [
            "Kenya is a source, transit and destination country for men, women and children trafficked for "
            "forced labour and commercial sexual exploitation.",
            "The interim assessment notes progress in public awareness and in the work of the NGO network, "
            "and recommends police investigation of the two trafficking cases reported in 2006.",
            "Victims identified on the coast and in Nairobi were referred to shelters run by NGOs; the "
            "Embassy works with the NGO network to improve referral and follow-up.",
        ],
    ),
    (
        "Status of the anti-TIP bill and roles in the national strategy", Document.Kind.BRIEFING_NOTE, IOM,
        datetime.date(2006, 12, 8), ["legislation-and-policy", "partnership", "prosecution"], AccessLevel.MEMBERS,
        "anti-tip-bill-status.pdf",
        "IOM's note on where the anti-trafficking bill stands and which government agencies play which role "
        "in the national strategy and plan of action.",
        [
            "The draft counter-trafficking bill has been reviewed by the task force and awaits submission to "
            "Parliament. It defines trafficking in line with the Palermo Protocol.",
            "The national plan of action assigns prevention to the Ministry of Gender and Children's Affairs, "
            "investigation and prosecution to the police and the Attorney General's office, and victim "
            "protection to the Children's Department together with NGOs.",
            "IOM supports the task force with technical assistance and training of law enforcement officers.",
        ],
    ),
    (
        "The extent and effect of sex tourism and sexual exploitation of children on the Kenyan coast",
        Document.Kind.STUDY, UNICEF, datetime.date(2006, 12, 19),
        ["child-protection", "child-sex-tourism", "public-awareness"], AccessLevel.MEMBERS,
        "child-sex-tourism-kenya-coast.pdf",
        "UNICEF's study of child sex tourism on Kenya's coast, and the follow-up on the ECPAT code of "
        "conduct for the tourism industry.",
        [
            "Up to 30 per cent of children aged 12 to 18 living in the coastal areas of Malindi, Mombasa, "
            "Kilifi and Diani are involved in casual sex work, according to the study.",
            "The study recommends that hotels and tour operators sign and apply the ECPAT industry code of "
            "conduct for the protection of children from sexual exploitation in travel and tourism.",
            "Follow-up: UNICEF and the Kenya Association of Hotelkeepers and Caterers are training hotel "
            "staff, and a public awareness campaign is planned for the coast.",
        ],
    ),
    (
        "Survivor's account at the Mombasa TIP seminar", Document.Kind.ARTICLE, None,
        datetime.date(2007, 1, 30), ["public-awareness", "protection"], AccessLevel.MEMBERS,
        "mombasa-seminar-article.pdf",
        "Press article on the January 2007 TIP seminar in Mombasa, where a Kenyan survivor trafficked to "
        "Germany spoke.",
        [
            "At a seminar on trafficking in persons held in Mombasa in January 2007, a young Kenyan woman "
            "described how she was recruited for a job abroad and trafficked to Germany.",
            "Participants called for public awareness campaigns in the coastal towns and for better "
            "protection of returning victims.",
        ],
    ),
    (
        "Notes for the co-chairs: police follow-up of two TIP cases", Document.Kind.BRIEFING_NOTE, US,
        datetime.date(2007, 2, 20), ["prosecution"], AccessLevel.COCHAIRS,
        "cochairs-police-follow-up.pdf",
        "Confidential notes on the Embassy's request for police investigation of two trafficking cases.",
        [
            "The Embassy raised two trafficking cases with the Criminal Investigation Department and asked "
            "for an investigation. These notes are for the co-chairs only.",
        ],
    ),
]

# title, presenter, meeting number, documents (titles), summary
BRIEFINGS = [
    (
        "The interim TIP report on Kenya", US, 2, [DOCUMENTS[0][0]],
        "The U.S. Embassy briefed the group on the **interim TIP report** on Kenya:\n\n"
        "- its work with the NGO network on referral of victims;\n"
        "- its push for a police investigation of two TIP cases;\n"
        "- what the final report will look at.",
    ),
    (
        "Status of the anti-TIP bill and the national strategy and action plan", IOM, 2, [DOCUMENTS[1][0]],
        "IOM explained where the **anti-TIP bill** stands and which Kenyan government agencies play which role "
        "in the national strategy and plan of action.",
    ),
    (
        "Child sex tourism on Kenya's coast and the ECPAT code follow-up", UNICEF, 3, [DOCUMENTS[2][0]],
        "UNICEF presented its study of **child sex tourism** on Kenya's coast and the follow-up on the "
        "ECPAT industry code of conduct with hotels and tour operators.",
    ),
]


# The agenda item of the meetings demo at which each briefing was given.
AGENDA_ITEMS = {
    "The interim TIP report on Kenya": "Interim TIP report on Kenya",
    "Status of the anti-TIP bill and the national strategy and action plan": "Status of the anti-TIP bill",
    "Child sex tourism on Kenya's coast and the ECPAT code follow-up": "Study of child sex tourism on Kenya's coast",
}


def _organization(name: str | None):
    if not name:
        return None
    return Organization.objects.filter(acronym=name).first() or Organization.objects.filter(name=name).first()


def _meeting(number: int):
    # The meetings demo may not have run: then briefings stand alone.
    return Meeting.objects.filter(number=number).order_by("start").first()


def _uploader(source_acronym: str):
    by_org = {US: "cochair@usembassy.example", UNICEF: "cochair@unicef.example",
              IOM: "counter-trafficking@iom.example"}
    return (
        User.objects.filter(email=by_org.get(source_acronym, "")).first()
        or User.objects.filter(email="secretariat@wgportal.example").first()
    )


@transaction.atomic
def seed(*, password: str, **_) -> dict:
    """Load the demo documents and briefings; a second run creates nothing."""
    counts = {"documents": 0, "briefings": 0}
    topics = {t.slug: t for t in Topic.objects.all()}
    for title, kind, source, date, slugs, access, filename, description, paragraphs in DOCUMENTS:
        if Document.objects.filter(title=title).exists():
            continue
        upload = SimpleUploadedFile(filename, pdf_bytes(title, paragraphs), content_type="application/pdf")
        document_services.document_upload(
            upload=upload, by=_uploader(source), title=title, kind=kind, description=description,
            source=_organization(source), publication_date=date, topics=[topics[s] for s in slugs if s in topics],
            access_level=access,
        )
        # Uploaded a few days after publication, as the group shared them then: the
        # library reads "added 4 Dec 2006", not the day the demo was loaded.
        added = timezone.make_aware(datetime.datetime.combine(date + datetime.timedelta(days=3), datetime.time(9)))
        Document.objects.filter(title=title).update(created_at=added, updated_at=added)
        counts["documents"] += 1
    for title, presenter, meeting_number, document_titles, summary in BRIEFINGS:
        if Briefing.objects.filter(title=title).exists():
            continue
        meeting = _meeting(meeting_number)
        agenda_item = meeting.agenda_items.filter(title=AGENDA_ITEMS.get(title)).first() if meeting else None
        briefing_services.briefing_create(
            by=_uploader(presenter), title=title, summary=summary, presenter=_organization(presenter),
            meeting=meeting, agenda_item=agenda_item, given_on=None if meeting else datetime.date(2007, 1, 25),
            documents=Document.objects.filter(title__in=document_titles),
        )
        counts["briefings"] += 1
    return counts
