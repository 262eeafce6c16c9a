"""Workbooks that blow up when read naively: a far cell (XFD1048576) and a shared-strings zip bomb."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

ONE_MB = b"A" * (1 << 20)


def far_cell_workbook(path: Path) -> Path:
    """A real workbook (about 5 KB) with a header, one data row and one styled cell at XFD1048576."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["respondent_id", "name", "email"])
    sheet.append(["r001", "Ana", "ana@example.org"])
    sheet["XFD1048576"] = ""
    sheet["XFD1048576"].number_format = "0.00"
    sheet["XFD1048576"].value = 0
    book.save(path)
    return path


def _members(base: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(base) as z:
        return [
            (i.filename, z.read(i.filename)) for i in z.infolist() if i.filename != "xl/sharedStrings.xml"
        ]


def shared_strings_bomb(path: Path, megabytes: int = 800) -> Path:
    """A workbook (under 1 MB) whose sharedStrings.xml unpacks to ``megabytes`` MB of one string."""
    base = path.with_name("bomb-base.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["respondent_id", "name"])
    book.active.append(["r001", "Ana"])
    book.save(base)
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>'
    )
    tail = b"</t></si><si><t>respondent_id</t></si><si><t>name</t></si><si><t>r001</t></si></sst>"
    # one deflate block per MB, each flushed so that it stands alone: the same bytes repeated
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(ONE_MB) + comp.flush(zlib.Z_FULL_FLUSH)
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(tail) + last.flush(zlib.Z_FINISH)
    data = start + block * megabytes + end
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(ONE_MB, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + megabytes * len(ONE_MB) + len(tail)
    members = [(n, b, None) for n, b in _members(base)] + [("xl/sharedStrings.xml", data, (crc, size))]
    _write_zip(path, members)
    return path


def _write_zip(path: Path, members: list[tuple[str, bytes, tuple[int, int] | None]]) -> None:
    out = bytearray()
    central = bytearray()
    for name, payload, raw in members:
        encoded = name.encode()
        if raw is None:
            crc, size = zlib.crc32(payload), len(payload)
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = comp.compress(payload) + comp.flush()
        else:
            crc, size = raw
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(payload), size, len(encoded), 0
        )
        out += encoded + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(payload),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
