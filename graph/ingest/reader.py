"""Read a survey export (CSV or XLSX, as survey tools write them) into a header and rows of text cells."""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from graph.errors import IngestError, Problem

__all__ = [
    "Table",
    "read_table",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "MAX_XLSX_UNPACKED",
    "sniff_kind",
]

#: the largest cell we accept; survey answers are short, a huge cell is a broken export
MAX_CELL_CHARS = 32 * 1024
#: most data rows and columns one export may have (checked while reading, before cells pile up)
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
#: most bytes the parts of an XLSX workbook may unpack to (a zip bomb stops here, before any parsing)
MAX_XLSX_UNPACKED = 256 * 1024 * 1024
#: a CSV field this long stops the reader at once (far above MAX_CELL_CHARS, reported with its row)
_MAX_CSV_FIELD = 1024 * 1024
_MAX_DECODE_PROBLEMS = 20
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t", "|")
_SEP_HINT = re.compile(r"^sep=(.)\r?\n")

# csv refuses fields above its limit with an error that names no column: the limit sits far above
# MAX_CELL_CHARS (cells between the two are reported per cell), and a field past it is reported by row.
csv.field_size_limit(min(sys.maxsize, _MAX_CSV_FIELD))


@dataclass
class Table:
    """The cells of one export; ``rows`` holds (row number as a spreadsheet shows it, cells)."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    kind: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None


def sniff_kind(data: bytes) -> str:
    """What the bytes are, whatever the file name says: ``xlsx``, ``ole2``, ``empty`` or ``text``."""
    if not data.strip():
        return "empty"
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    if data.startswith(_OLE2_MAGIC):
        return "ole2"
    return "text"


def read_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_cell: int = MAX_CELL_CHARS,
    display_name: str | None = None,
) -> Table:
    """Read ``path``; raises ``IngestError`` when the file as a whole cannot be read."""
    name = display_name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"{name}: cannot read the file", [Problem(name, f"cannot read: {exc.strerror}")]
        ) from exc
    kind = sniff_kind(data)
    suffix = path.suffix.lower()
    if kind == "empty":
        _fail(name, "the file is empty", expected="a header row and at least one data row")
    if kind == "ole2":
        if "EncryptionInfo".encode("utf-16-le") in data:
            _fail(name, "the workbook is password-protected (encrypted)", expected="an unprotected .xlsx")
        _fail(name, "this is a legacy .xls workbook (OLE2), not .xlsx", expected="save it as .xlsx or .csv")
    if kind == "xlsx":
        if suffix not in (".xlsx", ".xlsm"):
            _fail(
                name,
                f"this is an XLSX workbook named {suffix or 'without extension'}",
                expected="a .xlsx name",
            )
        header, rows = _xlsx_rows(name, path, sheet)
        table = Table(name, [], [], kind="xlsx")
    else:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            _fail(
                name,
                f"this is a text (CSV) file named {suffix}",
                expected="an XLSX workbook, or rename it .csv",
            )
        text, used = _decode(name, data, encoding)
        header, rows, delim = _csv_rows(text, delimiter, name)
        table = Table(name, [], [], kind="csv", encoding=used, delimiter=delim)
    _shape(table, header, rows, max_cell)
    return table


def _fail(name: str, message: str, *, expected: str | None = None) -> NoReturn:
    raise IngestError(f"{name}: {message}", [Problem(name, message, expected=expected)])


def _fail_at(name: str, row: int, message: str, expected: str) -> NoReturn:
    raise IngestError(f"{name}, row {row}: {message}", [Problem(name, message, row=row, expected=expected)])


# --- text -------------------------------------------------------------------------------------------
def _decode(name: str, data: bytes, declared: str | None) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = declared or "utf-8"
    try:
        return data.decode(encoding), encoding
    except LookupError:
        _fail(name, f"unknown encoding {encoding!r}", expected="an encoding name such as utf-8 or cp1252")
    except UnicodeDecodeError:
        pass
    problems: list[Problem] = []
    pos = 0
    while len(problems) < _MAX_DECODE_PROBLEMS:
        try:
            data[pos:].decode(encoding)
            break
        except UnicodeDecodeError as exc:
            offset = pos + exc.start
            line = data.count(b"\n", 0, offset) + 1
            problems.append(
                Problem(
                    name,
                    f"undecodable bytes at byte offset {offset} (line {line})",
                    row=line,
                    value=data[offset : offset + 4].hex(" "),
                    expected=f"{encoding} text; declare the file's encoding (e.g. cp1252) in the mapping "
                    "or with --encoding (the encoding field of an upload)",
                )
            )
            pos = offset + max(1, exc.end - exc.start)
    raise IngestError(f"{name}: the file is not valid {encoding}", problems)


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: _count_outside_quotes(first, d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, delim: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            n += 1
    return n


def _csv_rows(
    text: str, delimiter: str | None, name: str = "the file"
) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text = text.lstrip("\ufeff")
    hint = _SEP_HINT.match(text)  # Excel's "sep=;" first line
    row_offset = 0
    if hint:
        delimiter = delimiter or hint.group(1)
        text = text[hint.end() :]
        row_offset = 1
    delim = delimiter or _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                _fail_at(
                    name,
                    reader.line_num + row_offset,
                    f"the row has {len(record)} fields",
                    f"at most {MAX_COLUMNS} columns",
                )
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                _fail_at(
                    name,
                    reader.line_num + row_offset,
                    f"the file has more than {MAX_ROWS} data rows",
                    f"at most {MAX_ROWS} rows per file; split the export",
                )
    except csv.Error as exc:
        _fail_at(
            name,
            reader.line_num + row_offset,
            f"the row cannot be read as CSV ({exc})",
            f"cells of at most {MAX_CELL_CHARS} characters and balanced quotes",
        )
    if not records:
        return [], [], delim
    header = records[0]
    rows = [(i + 1 + row_offset, rec) for i, rec in enumerate(records[1:], start=1)]
    return header, rows, delim


# --- xlsx -------------------------------------------------------------------------------------------
def _xlsx_rows(name: str, path: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl  # only XLSX files need it

    _check_xlsx_size(name, path)
    try:
        # read_only streams the sheet; data_only gives cached values, so formulas are never evaluated
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any failure to open is a broken workbook, not our bug
        _fail(
            name,
            f"the XLSX workbook is truncated or corrupt ({type(exc).__name__})",
            expected="a complete .xlsx",
        )
    try:
        if sheet is not None and sheet not in book.sheetnames:
            _fail(name, f"no sheet named {sheet!r}", expected=", ".join(book.sheetnames))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        if hasattr(ws, "reset_dimensions"):  # the stated dimension may be huge: read the cells that exist
            ws.reset_dimensions()
        values = [list(r) for r in ws.iter_rows(values_only=True)]
    except IngestError:
        raise
    except Exception as exc:  # any failure to open is a broken workbook, not our bug
        _fail(
            name,
            f"the XLSX workbook is truncated or corrupt ({type(exc).__name__})",
            expected="a complete .xlsx",
        )
    finally:
        book.close()
    cells = [[_cell_text(v) for v in row] for row in values]
    if not cells:
        return [], []
    return cells[0], [(i + 1, row) for i, row in enumerate(cells[1:], start=1)]


_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_xlsx_size(name: str, path: Path) -> None:
    """Refuse a workbook that would unpack too big or holds cells beyond MAX_ROWS x MAX_COLUMNS, from the
    zip directory and a streamed scan of the sheets, before any cell is materialised."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        _fail(
            name, "the XLSX workbook is truncated or corrupt (not a zip archive)", expected="a complete .xlsx"
        )
    with archive:
        # zipfile never reads past a member's declared size, so the declared sizes bound what unpacks
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED:
            _fail(
                name,
                f"the workbook unpacks to {unpacked:,} bytes",
                expected=f"at most {MAX_XLSX_UNPACKED:,} bytes unpacked (save the sheet as CSV, or split it)",
            )
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            tail = b""
            try:
                with archive.open(info) as part:
                    while chunk := part.read(1 << 20):
                        block = tail + chunk
                        for match in _CELL_REF.finditer(block):
                            column, row = _column_number(match.group(1)), int(match.group(2))
                            if column > MAX_COLUMNS or row > MAX_ROWS + 1:
                                ref = (match.group(1) + match.group(2)).decode()
                                _fail(
                                    name,
                                    f"the sheet {info.filename.rsplit('/', 1)[-1]} has a cell at {ref}",
                                    expected=f"cells within {MAX_ROWS + 1} rows and {MAX_COLUMNS} columns",
                                )
                        tail = block[-512:]
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                _fail(
                    name,
                    f"the XLSX workbook is truncated or corrupt ({type(exc).__name__})",
                    expected="a complete .xlsx",
                )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


# --- both -------------------------------------------------------------------------------------------
def _shape(table: Table, header: list[str], rows: list[tuple[int, list[str]]], max_cell: int) -> None:
    """Normalise the header, drop blank rows, check field counts and cell sizes."""
    name = table.file
    header = [h.strip().lstrip("\ufeff") for h in header]
    # trailing empty header cells (a trailing delimiter, a formatted but empty XLSX column)
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    if width == 0:
        _fail(name, "the file has no header row", expected="a header row naming the columns")
    header = header[:width]
    table.header = [h or f"column {i + 1}" for i, h in enumerate(header)]
    seen: set[str] = set()
    for h in table.header:
        if h in seen:
            table.problems.append(Problem(name, "the column appears twice in the header", row=1, column=h))
        seen.add(h)
    for rownum, cells in rows:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue  # blank rows (trailing ones above all) are not data
        if len(cells) > width:
            if any(cells[width:]):
                table.problems.append(
                    Problem(
                        name,
                        f"the row has {len(cells)} fields but the header has {width}",
                        row=rownum,
                        value=cells[width][:60],
                        expected=f"{width} fields (is a delimiter inside an unquoted cell?)",
                    )
                )
                continue
            cells = cells[:width]
        elif len(cells) < width:
            if table.kind == "csv":
                table.problems.append(
                    Problem(
                        name,
                        f"the row has {len(cells)} fields but the header has {width}",
                        row=rownum,
                        expected=f"{width} fields (is the file cut short?)",
                    )
                )
                continue
            cells = cells + [""] * (width - len(cells))
        nul = [i for i, c in enumerate(cells) if "\x00" in c]
        if nul:  # a NUL byte is never text a person typed: a binary or corrupted export
            for i in nul:
                table.problems.append(
                    Problem(
                        name,
                        "the cell holds a NUL byte",
                        row=rownum,
                        column=table.header[i],
                        value=cells[i].replace("\x00", "\\0")[:40],
                        expected="text without control characters",
                    )
                )
            continue
        big = [(i, c) for i, c in enumerate(cells) if len(c) > max_cell]
        if big:
            for i, c in big:
                table.problems.append(
                    Problem(
                        name,
                        f"the cell holds {len(c)} characters",
                        row=rownum,
                        column=table.header[i],
                        value=c[:40],
                        expected=f"at most {max_cell} characters",
                    )
                )
            continue
        table.rows.append((rownum, cells))
    if not table.rows and not table.problems:
        _fail(name, "the file has a header but no data rows", expected="at least one data row")
