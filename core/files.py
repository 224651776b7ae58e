"""Uploaded files: stored under random names, accepted by their content (not only their name) and
served only through views that first check who may read the record they belong to.

- `RandomName("proposals/%Y")` is an `upload_to`: the stored name is a random hex name with the
  (checked) extension, so a path is never guessable; the row keeps the original name for display
  and for the download's Content-Disposition.
- `check_content(upload, allowed=[...], field=...)` reads the file's magic bytes with `filetype`
  (PDF, JPEG, PNG, …) and looks inside the Office containers, whose magic bytes say only "zip" or
  "compound document": a .docx must hold `word/document.xml`, a .xlsx `xl/workbook.xml`, a .doc
  a `WordDocument` stream, a .xls a `Workbook` stream. The extension must agree with the content.
- `file_response(field, name=…)` answers the file as `settings.PROTECTED_MEDIA_SERVER` says:
  Django streams it (""), or the front server does — nginx by `X-Accel-Redirect` to the internal
  location `PROTECTED_MEDIA_URL`, Apache by `X-Sendfile` (mod_xsendfile). MEDIA_ROOT itself is
  never served.
- `DownloadFileInput` is the admin's file widget whose "currently" link is the download view;
  `download_links` lists a record's files as links to theirs (read-only admin fields).
"""

import mimetypes
import uuid
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePath
from urllib.parse import quote

import filetype
from django import forms
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.errors import Invalid

# --- Stored names -------------------------------------------------------------------------------


@deconstructible
class RandomName:
    """An `upload_to`: `folder` (strftime codes allowed) / 32 random hex digits + the extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        folder = timezone.localtime().strftime(self.folder)
        return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


# --- Content ------------------------------------------------------------------------------------

# What the content may be for each extension (the kinds `detect` answers).
# What a record's attachment may be (proposals, public-opinion pieces): documents and pictures.
DOCUMENT_TYPES = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024

KINDS = {
    "pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "xls": "xls",
    "xlsx": "xlsx",
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
}
LABELS = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "jpg": "JPEG",
    "png": "PNG",
}
# The Content-Type a download answers, by the stored name's extension (the system's mime.types
# table is not relied upon: it differs between machines).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
_HEAD = 8192
_COMPOUND = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound document (Office 97–2003)
_STREAMS = {  # a compound document's kind by the stream it must hold (directory names, UTF-16)
    "doc": "WordDocument".encode("utf-16-le"),
    "xls": "Workbook".encode("utf-16-le"),
}
_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type_of(name: str) -> str:
    return (
        CONTENT_TYPES.get(extension_of(name))
        or mimetypes.guess_type(name)[0]
        or "application/octet-stream"
    )


def media_types(extensions: Iterable[str]) -> list[str]:
    """The Content-Types downloads of these extensions answer (for the API schema)."""
    return list(dict.fromkeys(content_type_of(f"file.{e}") for e in extensions))


def detect(upload) -> str | None:
    """What the content is: "pdf", "docx", "xlsx", "doc", "xls", "jpg", "png", another kind
    filetype knows ("exe", "zip", "gif" …), or None."""
    upload.seek(0)
    try:
        head = upload.read(_HEAD)
        if head.startswith(b"PK\x03\x04"):
            return _zipped_kind(upload) or filetype.guess_extension(head) or "zip"
        if head.startswith(_COMPOUND):
            return _compound_kind(upload, head)
        return filetype.guess_extension(head)
    finally:
        upload.seek(0)


def _zipped_kind(upload) -> str | None:
    upload.seek(0)
    try:
        names = set(zipfile.ZipFile(upload).namelist())  # the central directory only
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in _PARTS.items() if part in names), None)


def _compound_kind(upload, head: bytes) -> str:
    # The directory may sit anywhere in the file: read it in chunks (overlapping by a name).
    overlap = max(len(name) for name in _STREAMS.values())
    chunk, tail = head, b""
    while chunk:
        window = tail + chunk
        for kind, name in _STREAMS.items():
            if name in window:
                return kind
        tail = window[-overlap:]
        chunk = upload.read(1024 * 1024)
    return "compound"


def check_content(upload, *, allowed: Iterable[str], field: str = "file") -> str:
    """Refuse (Invalid on `field`) a file whose extension is not allowed or whose content is not
    what its extension says; answer the content's kind."""
    allowed = list(allowed)
    extension = extension_of(upload.name)
    labels = "、".join(dict.fromkeys(LABELS[KINDS[e]] for e in allowed))
    if extension not in allowed:
        raise Invalid(_("附件类型须为：%(t)s。") % {"t": "、".join(allowed)}, field=field)
    kind = detect(upload)
    if kind is None or kind == "compound":
        raise Invalid(
            _("无法识别文件内容：只接受 %(t)s 文件。") % {"t": labels},
            field=field,
        )
    if kind != KINDS[extension]:
        raise Invalid(
            _("文件内容（%(kind)s）与扩展名 .%(ext)s 不符，已拒收。")
            % {"kind": LABELS.get(kind, kind.upper()), "ext": extension},
            field=field,
        )
    return kind


# --- Downloads ----------------------------------------------------------------------------------


def file_response(field: FieldFile, *, name: str, inline: bool = False) -> HttpResponseBase:
    """The stored file, named `name` for the browser; 404 when there is none. Call it only after
    checking that the user may read the record the file belongs to."""
    stored = field.name
    if not stored or not field.storage.exists(stored):
        raise Http404
    content_type = content_type_of(stored)
    server = settings.PROTECTED_MEDIA_SERVER
    response: HttpResponseBase
    if server == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PROTECTED_MEDIA_URL + quote(stored)
    elif server == "apache":
        response = HttpResponse(content_type=content_type)
        # Raw UTF-8 bytes (older uploads may have non-ASCII names), as mod_xsendfile reads them.
        response["X-Sendfile"] = field.path.encode().decode("latin-1")
    else:
        response = FileResponse(field.storage.open(stored, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


class DownloadFileInput(forms.ClearableFileInput):
    """The admin's file input whose "currently" link is the download view, not /media/:
    `url(instance)` gives the view's address for the row that holds the file."""

    def __init__(self, *, url: Callable[[object], str], attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and getattr(value, "instance", None) is not None:
            context["widget"]["value"] = _Link(self.url(value.instance), PurePath(value.name).name)
        return context


def download_links(files: Iterable[tuple[str, str]]):
    """(address, name) pairs as one link per line, or a dash (an admin display field)."""
    return format_html_join("", '<div><a href="{}">{}</a></div>', files) or "—"


class _Link:
    def __init__(self, url: str, text: str):
        self.url, self.text = url, text

    def __str__(self) -> str:
        return self.text
