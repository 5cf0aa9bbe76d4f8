"""What an uploaded file really is, judged by its bytes rather than its name.

``inspect(upload, max_bytes=...)`` returns the accepted type or raises
``ValidationError`` with a message meant for the uploader. Signatures of
simple formats come from ``filetype``; Office and OpenDocument files are zip
archives (or, for the legacy formats, OLE compound files), so their members
are looked at to tell a Word document from any other zip.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .archives import ArchiveRefused, check_archive, read_head


@dataclass(frozen=True)
class FileType:
    key: str  # the extension used for the stored name
    label: str
    content_type: str
    extensions: frozenset[str]


def _t(key, label, content_type, *extensions):
    return FileType(key, label, content_type, frozenset(extensions or (key,)))


TYPES = {
    t.key: t
    for t in [
        _t("pdf", "PDF", "application/pdf"),
        _t("doc", "Word (97-2003)", "application/msword"),
        _t("xls", "Excel (97-2003)", "application/vnd.ms-excel"),
        _t("ppt", "PowerPoint (97-2003)", "application/vnd.ms-powerpoint"),
        _t("docx", "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        _t("xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _t("pptx", "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        _t("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text"),
        _t("ods", "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
        _t("odp", "OpenDocument presentation", "application/vnd.oasis.opendocument.presentation"),
        _t("txt", "Plain text", "text/plain", "txt", "text", "csv", "md"),
        _t("png", "PNG image", "image/png"),
        _t("jpg", "JPEG image", "image/jpeg", "jpg", "jpeg"),
    ]
}
ACCEPTED_EXTENSIONS = sorted({ext for t in TYPES.values() for ext in t.extensions})
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_KEYS = {"doc", "xls", "ppt"}
OPENDOCUMENT_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
# Programs: Windows (MZ), Linux (ELF), macOS (Mach-O, fat binaries), scripts.
EXECUTABLE_SIGNATURES = (
    b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
)
EXECUTABLE_MIMES = {"application/x-msdownload", "application/x-executable", "application/x-sharedlib"}
# What browsers claim when they do not know; never held against a file.
NEUTRAL_CLAIMS = {"", "application/octet-stream", "binary/octet-stream", "application/x-download"}
CLAIMS = {
    "txt": {"text/plain", "text/csv", "text/markdown", "text/x-markdown", "application/csv",
            "text/comma-separated-values"},
    "jpg": {"image/jpeg", "image/pjpeg", "image/jpg"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel"},
    "xls": {"application/vnd.ms-excel", "application/msexcel"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword"},
}


def _describe_accepted() -> str:
    return "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, PNG or JPEG"


def _read_head(upload, length=8192) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _zip_kind(upload) -> str | None:
    """An Office or OpenDocument type by the archive's entries; refuses a zip bomb
    before unpacking anything (the OpenDocument "mimetype" entry is read only in
    its first bytes)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = read_head(archive, "mimetype", 100).decode("ascii", "replace").strip()
                return OPENDOCUMENT_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for folder, key in OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return key
    except ArchiveRefused as exc:
        raise ValidationError(f"The file cannot be accepted: {exc}.", code="archive") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
            KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def _is_text(upload) -> bool:
    """UTF-8 from end to end with no NUL byte: read in chunks, never whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def _sniff(upload, head: bytes) -> str | None:
    if head.startswith(OLE_SIGNATURE):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    guess = filetype.guess(head)
    if guess is not None:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(guess.mime)
    if _is_text(upload):
        return "txt"
    return None


def extension_of(name: str) -> str:
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def inspect(upload, *, max_bytes: int) -> FileType:
    """The accepted type of ``upload`` (a Django UploadedFile), or a ValidationError."""
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the largest accepted is {filesizeformat(max_bytes)}.",
            code="too_large",
        )
    head = _read_head(upload)
    if not head:
        raise ValidationError("The file is empty.", code="empty")
    guess = filetype.guess(head)
    if head.startswith(EXECUTABLE_SIGNATURES) or (guess is not None and guess.mime in EXECUTABLE_MIMES):
        raise ValidationError("Programs and scripts cannot be uploaded.", code="executable")

    extension = extension_of(upload.name)
    sniffed = _sniff(upload, head)
    if sniffed == "ole":
        # The legacy formats share one container; the extension picks among them.
        sniffed = extension if extension in OLE_KEYS else None
        if sniffed is None:
            raise ValidationError(
                "The file is an old-style Office document, but its name does not end in .doc, .xls or .ppt.",
                code="mismatch",
            )
    if sniffed is None:
        raise ValidationError(
            f"This kind of file is not accepted. Upload a {_describe_accepted()} file.", code="type"
        )
    kind = TYPES[sniffed]
    if extension not in kind.extensions:
        shown = f".{extension}" if extension else "no extension"
        raise ValidationError(
            f"The file's content is {kind.label}, but its name has {shown}. "
            f"Rename it to end in .{kind.key} if that is what it is.",
            code="mismatch",
        )
    claimed = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if claimed not in NEUTRAL_CLAIMS and claimed != kind.content_type and claimed not in CLAIMS.get(kind.key, ()):
        raise ValidationError(
            f"The file was sent as {claimed}, but its content is {kind.label}.", code="mismatch"
        )
    return kind
