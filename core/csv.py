"""CSV for Dutch Excel: `;`-separated, decimal comma, UTF-8 with a byte order mark, and no formula
from free text (CSV injection).

A download is written whole before the first byte leaves, into a temporary file that spills to
disk (so memory stays flat), and sent with its Content-Length. A streamed response that fails
halfway (a database error, the worker's timeout) has already said 200 and ends as a truncated
file nobody notices; this way it fails as a whole, or a browser sees a short body as an error.
Callers cap the rows (the signal export refuses above a limit) so the writing fits the timeout.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import FileResponse


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_cell(value: Any) -> str:
    """A CSV cell for Dutch Excel: ja/nee, decimal comma, and text that cannot start a formula."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".").replace(".", ",") if value else "0"
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header and then each row, one line at a time, every cell through `csv_cell`."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    # A byte order mark tells Excel the file is UTF-8 (otherwise ë and ö break).
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


# Up to this much of a download is kept in memory; the rest goes to a temporary file.
IN_GEHEUGEN = 5 * 1024 * 1024


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    """A complete CSV download with its Content-Length; an error while writing raises, no partial 200."""
    bestand = tempfile.SpooledTemporaryFile(max_size=IN_GEHEUGEN)  # noqa: SIM115  FileResponse closes it
    try:
        for line in csv_lines(header, rows):
            bestand.write(line.encode("utf-8"))
        bestand.seek(0)
    except BaseException:
        bestand.close()
        raise
    return FileResponse(
        bestand, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
    )
