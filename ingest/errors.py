"""What can go wrong when a file is ingested, each with a message that says what to do about it.

::

    IngestError                 base of every ingestion failure; catch this one at the CLI/API edge
    ├── UnsupportedFormat       the file suffix is not one we read (see SUPPORTED_SUFFIXES)
    ├── UnreadableDocument      the bytes are not readable text: binary or garbled input, a corrupt
    │                           DOCX/PDF/spreadsheet/image, a scan OCR finds no text on, a .doc
    │                           or .wps without LibreOffice to convert it
    ├── EmptyDocument           the file was read but holds no text
    └── MetadataMissing         no agency or statistics year could be read from the title or text

Every exception carries the file name it is about (``filename``, "" when unknown) and its
specific facts as attributes, so callers can react without parsing the message.
"""

from __future__ import annotations

from collections.abc import Sequence

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps", ".xlsx", ".xls", ".png", ".jpg", ".jpeg",
)  # fmt: skip

# Formats people commonly try that we cannot read, and the conversion that makes them readable.
_CONVERSION_HINTS: dict[str, str] = {
    ".rtf": "open it in Word or LibreOffice and save it as .docx",
    ".odt": "open it in LibreOffice and save it as .docx",
    ".et": "open it in WPS or LibreOffice and save it as .xlsx",
    ".mhtml": "open the page in a browser and save it as .html",
    ".tif": "it is an image: save it as PNG or JPEG",
    ".tiff": "it is an image: save it as PNG or JPEG",
}


def _about(filename: str) -> str:
    return f"{filename}: " if filename else ""


class IngestError(Exception):
    """Base of all ingestion errors; ``str(error)`` is a message fit to show the user."""

    def __init__(self, message: str, *, filename: str = "") -> None:
        super().__init__(f"{_about(filename)}{message}")
        self.filename = filename


class UnsupportedFormat(IngestError):
    """The file's suffix is not one of :data:`SUPPORTED_SUFFIXES`."""

    def __init__(self, suffix: str, *, filename: str = "") -> None:
        shown = suffix or "(no suffix)"
        message = f"unsupported file format {shown!r}; supported formats are {' '.join(SUPPORTED_SUFFIXES)}"
        hint = _CONVERSION_HINTS.get(suffix.lower())
        if hint:
            message += f" ({hint})"
        super().__init__(message, filename=filename)
        self.suffix = suffix


class UnreadableDocument(IngestError):
    """The bytes could not be turned into text; ``reason`` says why and ``remedy`` what to do."""

    def __init__(self, reason: str, *, remedy: str = "", filename: str = "") -> None:
        remedy = remedy or (
            "check that this is the report itself (not an archive or a download error page) "
            "and save it as UTF-8 text, HTML, DOCX or a PDF with a text layer"
        )
        super().__init__(f"cannot read the document: {reason}; {remedy}", filename=filename)
        self.reason = reason
        self.remedy = remedy


class EmptyDocument(IngestError):
    """The file was read without error but contains no text (or none once boilerplate is gone)."""

    def __init__(self, message: str = "", *, filename: str = "") -> None:
        super().__init__(
            message
            or "the document contains no text; check that the right file was given "
            "(a saved page may be only the portal frame, with the report in an attachment)",
            filename=filename,
        )


class MetadataMissing(IngestError):
    """The agency and/or the statistics year could not be read; ``missing`` names which."""

    def __init__(
        self,
        message: str = "",
        *,
        missing: Sequence[str] = ("agency", "year"),
        filename: str = "",
    ) -> None:
        # a single field name is a str, which is itself a Sequence: don't split it into characters
        self.missing = (missing,) if isinstance(missing, str) else tuple(missing)
        flags = " and ".join("--agency NAME" if field == "agency" else "--year YYYY" for field in self.missing)
        message = message or (f"could not read the report's {' or '.join(self.missing)} from its title or text")
        if "--agency" not in message and "--year" not in message:
            message += f"; pass {flags} to say it explicitly"
        super().__init__(message, filename=filename)
