"""Text inside documents, for search: PDF (pypdf), Word (python-docx), OpenDocument (odfpy), plain text.

``extract(fileobj, key)`` returns the text, or raises ``Unreadable`` with a
reason to show on the document's page; formats without text (images, the
legacy Office formats) raise ``NoText``.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from .archives import ArchiveRefused, check_archive

# Search vectors have a size limit (1 MB in PostgreSQL); the first part of a
# very long text is enough to find it.
MAX_CHARS = 400_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Unreadable(Exception):
    pass


class NoText(Exception):
    pass


def _clean(text: str) -> str:
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_CHARS]


def _pdf(data: io.BytesIO) -> str:
    from pypdf import PdfReader

    reader = PdfReader(data)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as exc:  # noqa: BLE001 - any failure means we cannot read it
            raise Unreadable("the PDF is encrypted") from exc
    parts, total = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > MAX_CHARS:
            break
    return "\n".join(parts)


def _checked_archive(data) -> None:
    """Refuse an archive that would unpack to too much before a parser opens it
    (python-docx and odfpy read whole entries)."""
    data.seek(0)
    try:
        with zipfile.ZipFile(data) as archive:
            check_archive(archive)
    except ArchiveRefused as exc:
        raise Unreadable(str(exc)) from None
    finally:
        data.seek(0)


def _docx(data) -> str:
    import docx

    _checked_archive(data)
    document = docx.Document(data)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx_or_pptx(data) -> str:
    """Spreadsheets and slides: the text runs of their XML parts, streamed (never a
    whole part in memory) and only until there is enough text."""
    _checked_archive(data)
    texts, total = [], 0
    with zipfile.ZipFile(data) as archive:
        for name in sorted(archive.namelist()):
            if not (name.endswith(".xml") and (name.startswith("ppt/slides/slide") or name == "xl/sharedStrings.xml")):
                continue
            with archive.open(name) as part:
                for _event, element in ElementTree.iterparse(part):
                    if element.tag.endswith("}t") and element.text:
                        texts.append(element.text)
                        total += len(element.text)
                    element.clear()
                    if total > MAX_CHARS:
                        return "\n".join(texts)
    return "\n".join(texts)


def _opendocument(data) -> str:
    from odf import teletype
    from odf import text as odftext
    from odf.opendocument import load

    _checked_archive(data)
    document = load(data)
    parts = []
    for element_type in (odftext.H, odftext.P):
        parts.extend(teletype.extractText(el) for el in document.getElementsByType(element_type))
    return "\n".join(parts)


def _plain(data) -> str:
    return data.read(MAX_CHARS * 4).decode("utf-8", "replace")


EXTRACTORS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx_or_pptx,
    "pptx": _xlsx_or_pptx,
    "odt": _opendocument,
    "ods": _opendocument,
    "odp": _opendocument,
    "txt": _plain,
}


def extract(fileobj, key: str) -> str:
    extractor = EXTRACTORS.get(key)
    if extractor is None:
        raise NoText(f"{key.upper()} files have no text to index")
    try:
        text = extractor(fileobj)
    except (NoText, Unreadable):
        raise
    except Exception as exc:  # noqa: BLE001 - parsers raise many kinds; all mean "unreadable"
        raise Unreadable(f"the file could not be read ({type(exc).__name__})") from exc
    return _clean(text)
