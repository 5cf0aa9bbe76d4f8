"""Zip bombs (finding 2): the upload check and text extraction refuse an archive
by its declared sizes before unpacking it."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from briefings import extraction, filetypes
from briefings.models import Document
from tests.briefings.factories import make_docx, make_odt, make_xlsx, upload

GIB = 1 << 30


def _bomb(entries: dict[str, int], *, extra: dict[str, bytes] | None = None) -> bytes:
    """A zip whose entries unpack to the given sizes of zeros (1 GiB packs into about 1 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        chunk = b"\0" * (1 << 20)
        for name, size in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                for _ in range(size >> 20):
                    entry.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """An .odt whose ``mimetype`` entry unpacks to 1 GiB: the report's attack."""
    return _bomb({"mimetype": GIB})


def _bounded(call):
    """Run ``call``; return its result or exception, the seconds and peak memory it took."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = call()
    except Exception as exc:  # noqa: BLE001 - the caller inspects it
        outcome = exc
    seconds = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return outcome, seconds, peak


def test_odt_whose_mimetype_unpacks_to_a_gibibyte_is_refused_quickly(odt_bomb):
    assert len(odt_bomb) < 2 * 1024 * 1024
    outcome, seconds, peak = _bounded(
        lambda: filetypes.inspect(upload("bomb.odt", odt_bomb), max_bytes=50 * 1024 * 1024))
    assert isinstance(outcome, ValidationError), outcome
    assert outcome.code == "archive"
    assert seconds < 2 and peak < 20 * 1024 * 1024


def test_bomb_upload_through_the_page_is_refused_and_stores_nothing(client, member, odt_bomb):
    client.force_login(member)
    response = client.post(reverse("briefings:upload"), {
        "title": "Bomb", "kind": "report", "access_level": "members",
        "file": upload("bomb.odt", odt_bomb, "application/vnd.oasis.opendocument.text"),
    })
    assert response.status_code == 200
    assert "cannot be accepted" in " ".join(response.context["form"].errors["file"])
    assert Document.objects.count() == 0


def test_many_parts_adding_up_past_the_limit_are_refused(settings):
    settings.DOCUMENT_MAX_UNPACKED_MB = 8
    # Each part compresses "normally" on its own (ratio under the limit), the sum is too much.
    import os

    data = _bomb({}, extra={"[Content_Types].xml": "<Types/>",
                            **{f"word/part{n}.xml": os.urandom(3 << 20) for n in range(4)}})
    with pytest.raises(ValidationError) as refused:
        filetypes.inspect(upload("big.docx", data), max_bytes=50 * 1024 * 1024)
    assert "unpacks to more than 8.0" in refused.value.messages[0]


def test_real_documents_still_pass():
    assert filetypes.inspect(upload("a.odt", make_odt()), max_bytes=10**7).key == "odt"
    assert filetypes.inspect(upload("a.docx", make_docx()), max_bytes=10**7).key == "docx"


def _swap_in_bomb(document: bytes, name: str, size: int) -> bytes:
    """A real document whose part ``name`` is replaced by ``size`` bytes of zeros."""
    with zipfile.ZipFile(io.BytesIO(document)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist() if info.filename != name}
    return _bomb({name: size}, extra=parts)


@pytest.mark.parametrize("key,name,document", [
    ("docx", "word/document.xml", make_docx), ("odt", "content.xml", make_odt),
    ("xlsx", "xl/sharedStrings.xml", make_xlsx),
])
def test_text_extraction_refuses_a_bomb_without_unpacking_it(key, name, document):
    data = _swap_in_bomb(document(), name, 512 << 20)
    outcome, seconds, peak = _bounded(lambda: extraction.extract(io.BytesIO(data), key))
    assert isinstance(outcome, extraction.Unreadable), outcome
    assert seconds < 2 and peak < 20 * 1024 * 1024


def test_text_extraction_still_reads_real_documents():
    assert "partnership" in extraction.extract(io.BytesIO(make_docx()), "docx")
    assert "protection" in extraction.extract(io.BytesIO(make_odt()), "odt")
