"""Upload fuzzing (hypothesis): whatever bytes and names arrive, the upload page
answers with a page (never a 500), keeps memory bounded, stores nothing on
refusal and never writes outside the media folder."""

import io
import tracemalloc
import zipfile
from pathlib import Path

from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings import extraction
from briefings.models import Document
from tests.briefings.factories import make_docx, make_odt, make_pdf

URL = reverse("briefings:upload")
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MEMORY_BOUND = 64 * 1024 * 1024

extensions = st.sampled_from(["pdf", "docx", "odt", "xlsx", "pptx", "ods", "txt", "png", "jpg", "doc", "zip",
                              "exe", "", "PDF", "docx.exe"])
name_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(["/", "\\", ".", "\x00", "\n"]),
    max_size=40,
)
names = st.one_of(
    st.builds(lambda stem, ext: f"{stem}.{ext}" if ext else stem, name_text, extensions),
    st.builds(lambda ext: "../../" * 3 + "etc/passwd." + ext, extensions),
    st.builds(lambda ext: "a" * 1000 + "." + ext, extensions),
    st.builds(lambda stem: "/tmp/" + stem + ".pdf", name_text),
)
content_types = st.sampled_from(["application/octet-stream", "application/pdf", "text/plain", "application/zip",
                                 "application/vnd.oasis.opendocument.text", "image/png", "x/\x00weird", ""])


def _zip(entries, *, declared: int | None, nested: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name or "x", data)
        if nested:
            archive.writestr("word/embeddings/inner.zip", make_docx())
        if declared is not None:
            # The central directory claims sizes the data does not have.
            for info in archive.infolist():
                info.file_size = declared
    return buffer.getvalue()


zip_entry_names = st.sampled_from(["mimetype", "[Content_Types].xml", "word/document.xml", "content.xml",
                                   "xl/sharedStrings.xml", "ppt/slides/slide1.xml", "../evil.txt", "/abs.txt"])
archives = st.builds(
    _zip,
    st.lists(st.tuples(zip_entry_names, st.binary(max_size=300)), max_size=5, unique_by=lambda entry: entry[0]),
    declared=st.none() | st.sampled_from([2**31, 2**40, 2**62]),
    nested=st.booleans(),
)
mutated = st.builds(
    lambda base, position, junk: base[:position] + junk + base[position + len(junk):],
    st.sampled_from([make_pdf(), make_odt(), make_docx()]), st.integers(0, 4000), st.binary(min_size=1, max_size=64),
)
contents = st.one_of(st.binary(max_size=2000), archives, mutated)


def _files_outside_media(root: Path) -> list[Path]:
    media = Path(django_settings.MEDIA_ROOT).resolve()
    return [p for p in root.rglob("*") if p.is_file() and media not in p.resolve().parents]


@FUZZ
@given(name=names, content=contents, content_type=content_types)
def test_any_upload_gets_an_answer_and_stays_inside_media(client, member, tmp_path, name, content, content_type):
    client.force_login(member)
    documents_before = Document.objects.count()
    media = Path(django_settings.MEDIA_ROOT)
    files_before = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()

    tracemalloc.start()
    response = client.post(URL, {
        "title": "Fuzzed upload", "kind": "report", "access_level": "members",
        "file": SimpleUploadedFile(name, content, content_type=content_type),
    })
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.status_code in {200, 302}, response.status_code
    assert peak < MEMORY_BOUND
    assert _files_outside_media(tmp_path) == []
    files_after = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    if response.status_code == 200:  # refused: the form again, with its error; nothing kept
        assert Document.objects.count() == documents_before
        assert files_after == files_before
    else:
        document = Document.objects.latest("pk")
        stored = (media / document.file.name).resolve()
        assert media.resolve() in stored.parents and stored.is_file()
        assert "\x00" not in document.original_name and "/" not in document.file.name.rsplit("/", 1)[-1]


@FUZZ
@given(content=contents, key=st.sampled_from(sorted(extraction.EXTRACTORS)))
def test_text_extraction_of_any_bytes_fails_only_as_unreadable(content, key):
    tracemalloc.start()
    try:
        extraction.extract(io.BytesIO(content), key)
    except (extraction.Unreadable, extraction.NoText):
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEMORY_BOUND
