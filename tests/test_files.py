"""core.files: what `detect` reads from a file's content, and the random stored names."""

import io
import zipfile

import pytest

from core.files import RandomName, detect
from tests import samples


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (samples.PDF, "pdf"),
        (samples.PNG, "png"),
        (samples.JPEG, "jpg"),
        (samples.xlsx(), "xlsx"),
        (samples.docx(), "docx"),
        (samples.doc(), "doc"),
        (samples.xls(), "xls"),
        (samples.EXE, "exe"),
        (_zip(), "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "compound"),  # e.g. an .msi
        (b"plain text", None),
    ],
)
def test_detect_reads_the_content(content, kind):
    upload = samples.upload("whatever.bin", content)
    assert detect(upload) == kind
    assert upload.tell() == 0  # left ready to be stored


def test_a_compound_documents_stream_is_found_past_the_first_chunk():
    far = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * (3 * 1024 * 1024) + samples.doc()[1024:]
    assert detect(samples.upload("big.doc", far)) == "doc"


def test_random_names_keep_only_the_extension():
    name = RandomName("proposals/%Y")(None, "../../关于 <script>.PDF")
    folder, _, stored = name.rpartition("/")
    assert folder.startswith("proposals/20") and stored.endswith(".pdf") and len(stored) == 36
    assert RandomName("proposals/%Y").deconstruct() == (
        "core.files.RandomName",
        ("proposals/%Y",),
        {},
    )
