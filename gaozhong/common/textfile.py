"""Decode the text files Chinese spreadsheet software writes: UTF-8, UTF-8 with BOM, or GB18030.

Nothing is guessed beyond these three: a file that is none of them is an input error, not a mangled read.
GB18030 is a superset of GBK and GB2312, so files saved as "CSV (逗号分隔)" by Excel or WPS on Chinese
Windows decode with it. CSV files are opened by :mod:`gaozhong.common.csvfile`, which decodes with this module.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, Problem

__all__ = ["decode_bytes", "read_text"]


def decode_bytes(data: bytes, *, name: str) -> str:
    """Return the text of ``data``; a UTF-8 BOM is removed. Raises InputError if it is neither UTF-8 nor GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(name, None, None, f"文件以 UTF-8 BOM 开头但含有无效字节 (invalid UTF-8 at byte {exc.start + 3})")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, None, None, f"文件编码不是 UTF-8 或 GB18030 (undecodable byte at {exc.start})")]) from None


def read_text(path: str | Path, *, name: str | None = None) -> str:
    """Read and decode a file; a missing file is an InputError naming it."""
    p = Path(path)
    label = name or p.name
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(label, None, None, "文件不存在 (file not found)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(label, None, None, "是目录而不是文件 (is a directory, not a file)")]) from None
    return decode_bytes(data, name=label)
