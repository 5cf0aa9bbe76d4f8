"""Test data for briefings: documents (with real files) and the bytes of each accepted format."""

from __future__ import annotations

import io
import zipfile

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from briefings.demo import pdf_bytes
from briefings.models import Briefing, Document
from tests.members.factories import OrganizationFactory


def make_pdf(text="A short test document about prevention.", title="Test document") -> bytes:
    return pdf_bytes(title, [text])


def make_docx(text="Word text about partnership.") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(text="OpenDocument text about protection.") -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml",
                         '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Budget</t></si></sst>')
    return buffer.getvalue()


def make_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "just a zip")
    return buffer.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Report on trafficking in persons no. {n}")
    description = "A report the group circulated."
    kind = Document.Kind.REPORT
    source = factory.SubFactory(OrganizationFactory)
    access_level = "members"
    original_name = factory.LazyAttribute(lambda o: f"{o.title[:40]}.pdf")
    size = 0
    content_type = "application/pdf"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    text_status = Document.TextStatus.INDEXED
    uploaded_by = None
    file = factory.LazyAttribute(lambda o: ContentFile(make_pdf(o.title), name="test.pdf"))

    @factory.post_generation
    def fix_size(obj, create, extracted, **kwargs):
        if create and obj.file and not obj.size:
            obj.size = obj.file.size
            obj.save(update_fields=["size"])


class BriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Briefing

    title = factory.Sequence(lambda n: f"Briefing {n}")
    summary = "A briefing."
    summary_html = "<p>A briefing.</p>"
    presenter = factory.SubFactory(OrganizationFactory)


def add_indexed(by, title, text="", *, description="", access_level="members", name="doc.pdf", topics=()):
    """A document uploaded through the service with its text already extracted (as the worker would)."""
    from briefings.services import documents as document_services
    from briefings.services import indexing

    document = document_services.document_upload(
        upload=upload(name, make_pdf(text or title, title="")), by=by, title=title, kind="report",
        description=description, access_level=access_level, topics=topics,
    )
    indexing.document_text_extract(document_id=document.pk)
    document.refresh_from_db()
    return document
