"""The executive report on paper: a self-contained HTML page, and a PDF printed from it by Qt.

Outside the Qt-free core on purpose: the PDF goes through `QTextDocument` and `QPdfWriter`, which work
offscreen, so the command line and the console print the same document. Every string from the report
is escaped: titles, notes and callers' words are typed by people.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from html import escape
from pathlib import Path

from noc_console.domain.i18n import translate
from noc_console.domain.report import Report, Section, format_time

FORMATS = (".pdf", ".html")
# The application made for printing when none runs: it must outlive every document drawn with it.
_made: list[object] = []

_CSS = """
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #1a1a1a; }
h1 { font-size: 17pt; margin: 0 0 0.2em 0; }
h2 { font-size: 13pt; margin: 1.2em 0 0.4em 0; padding-bottom: 0.15em; border-bottom: 1px solid #999; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.6em 0; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
table.facts th { width: 28%; font-weight: bold; }
@media print { h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""
# A browser's page: a readable column. Qt lays the PDF out on the page's own margins instead.
_SCREEN_CSS = """
@media screen { body { max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.4; } }
"""


def _cell(text: str) -> str:
    return escape(text, quote=True).replace("\n", "<br>")


def _section_html(section: Section) -> str:
    parts = [f"<h2>{_cell(section.heading)}</h2>"]
    parts += [f"<p>{_cell(p)}</p>" for p in section.paragraphs]
    if section.facts:
        rows = "".join(f"<tr><th>{_cell(k)}</th><td>{_cell(v)}</td></tr>" for k, v in section.facts)
        parts.append(
            f'<table class="facts" border="1" cellspacing="0" cellpadding="4" width="100%">{rows}</table>'
        )
    if section.table is not None:
        head = "".join(f"<th>{_cell(c)}</th>" for c in section.table.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in section.table.rows
        )
        parts.append(
            f'<table border="1" cellspacing="0" cellpadding="4" width="100%"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    return "\n".join(parts)


def render_html(report: Report, *, for_qt: bool = False) -> str:
    """The report as one self-contained HTML page (inline CSS, no scripts, nothing fetched); `for_qt`
    leaves out the browser's column layout, which Qt's rich-text engine would apply to paper."""
    css = _CSS if for_qt else _CSS + _SCREEN_CSS
    title = _cell(
        translate("report_render", "Incident #{id}: {title}").format(
            id=report.incident_id, title=report.title
        )
    )
    sections = "\n".join(_section_html(s) for s in report.sections)
    # The language the document is written in (its translators write their own code here).
    language = _cell(translate("report_render", "en"))
    generated = translate("report_render", "Generated {time} by NOC Console").format(
        time=format_time(report.generated_at)
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_cell(report.kind)}: {title}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"<h1>{_cell(report.kind)} — {title}</h1>\n"
        f'<p class="meta">{_cell(generated)}</p>\n'
        f"{sections}\n</body>\n</html>\n"
    )


def _ensure_gui_app() -> None:
    """QTextDocument needs a QGuiApplication for fonts; make an offscreen one when none exists."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _made.append(QGuiApplication(["noc-console", "-platform", "offscreen"]))


def render_pdf(report: Report, path: Path) -> None:
    """Print the HTML report to `path`: A4, 300 dpi, 15 mm margins."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    _ensure_gui_app()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle(
        translate("report_render", "{kind}: incident #{id}: {title}").format(
            kind=report.kind, id=report.incident_id, title=report.title
        )
    )
    writer.setCreator("NOC Console")
    document = QTextDocument()
    document.setHtml(render_html(report, for_qt=True))
    document.print_(writer)
    del writer  # the file is complete once the writer is gone


def write_report(report: Report, path: Path) -> None:
    """Write the report as PDF or HTML by the file's ending, atomically (a temporary file beside it,
    then a rename): a reader never sees half a report, and a failure leaves the old file alone."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            translate("report_render", "{file}: the file must end in .pdf or .html").format(file=path.name)
        )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if suffix == ".html":
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(render_html(report))
                out.flush()
                os.fsync(out.fileno())
        else:
            os.close(fd)
            render_pdf(report, Path(temporary))
            if Path(temporary).stat().st_size == 0:
                raise OSError(translate("report_render", "{file}: Qt wrote no PDF").format(file=path.name))
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
