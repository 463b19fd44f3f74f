"""CSV for Dutch Excel: `;`-separated, decimal comma, UTF-8 with a byte order mark, and no formula
from free text (CSV injection).

A download is streamed: lines are written as the rows come from the database (the caller passes
an `iterator(chunk_size=…)`), so an export of 100,000 rows takes the memory of one chunk, and
the first byte leaves at once. It has no Content-Length; gunicorn sends it chunked. When the
rows fail halfway (a database error, the worker's timeout) the error is raised out of the
stream: the server then drops the connection without the closing chunk, and the browser reports
the download as failed, never as a complete file (pinned in tests/signalen/test_bad_input.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header


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


# Lines per piece sent: large enough that a chunk is not a handful of bytes, small enough that
# memory stays flat.
REGELS_PER_STUK = 500


def csv_streaming_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A CSV download streamed line by line (in pieces of REGELS_PER_STUK lines)."""

    def pieces() -> Iterator[bytes]:
        buffer: list[str] = []
        for line in csv_lines(header, rows):
            buffer.append(line)
            if len(buffer) >= REGELS_PER_STUK:
                yield "".join(buffer).encode("utf-8")
                buffer.clear()
        if buffer:
            yield "".join(buffer).encode("utf-8")

    response = StreamingHttpResponse(pieces(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
