"""How much the Word record costs over writing the same words with bare python-docx.

Builds the session minutes of eight families with full content (fictional, in memory, no
database) and writes them to memory, against adding the same text as plain paragraphs.
Run: python -m benchmarks.record_export [--repeat N]
"""
from __future__ import annotations

import argparse
import io
import statistics
import time
from dataclasses import fields, is_dataclass

from docx import Document

from supervision.export.docx_writer import write_document
from supervision.export.record import RecordData
from supervision.export.sample import sample_record

FAMILIES = 8


def strings_in(value) -> list[str]:
    """Every piece of text in the record, in order: what the bare version writes."""
    if isinstance(value, str):
        return [value]
    if is_dataclass(value):
        return [s for f in fields(value) for s in strings_in(getattr(value, f.name))]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in strings_in(item)]
    return []


def full_record(record: RecordData) -> bytes:
    buffer = io.BytesIO()
    write_document(record, buffer)
    return buffer.getvalue()


def bare_paragraphs(texts: list[str]) -> bytes:
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(function, argument, repeat: int) -> list[float]:
    function(argument)  # warm up imports and caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv if argv is not None else [])
    record = sample_record(FAMILIES)
    texts = strings_in(record)
    full = statistics.median(timed(full_record, record, args.repeat))
    bare = statistics.median(timed(bare_paragraphs, texts, args.repeat))
    characters = sum(map(len, texts))
    print(f"Session minutes, {FAMILIES} families, {len(texts)} pieces of text, {characters:,} characters; "
          f"median of {args.repeat} runs")
    print(f"  full record (styles, tables, headers, fields): {full * 1000:8.1f} ms")
    print(f"  bare python-docx paragraphs, same text:        {bare * 1000:8.1f} ms")
    print(f"  ratio full / bare:                             {full / bare:8.2f}x")
    return {"full": full, "bare": bare, "ratio": full / bare}


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
