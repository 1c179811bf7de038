"""How much the Word record costs over writing the same words with bare python-docx.

Builds the session minutes of eight families and one family's record, with full content
(fictional, in memory, no database), and writes each to memory, against adding the same
text as plain paragraphs. benchmarks.board_page times the same records from a database.
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
from supervision.export.record import FAMILY, RecordData
from supervision.export.sample import sample_record

from . import harness

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
    results = {}
    rows = []
    for name, record in (("session minutes, 8 families", sample_record(FAMILIES)),
                         ("one family's record", sample_record(1, kind=FAMILY))):
        texts = strings_in(record)
        full = statistics.median(timed(full_record, record, args.repeat))
        bare = statistics.median(timed(bare_paragraphs, texts, args.repeat))
        results[name] = {"full": full, "bare": bare, "ratio": full / bare}
        rows.append([name, f"{len(texts)}", f"{sum(map(len, texts)):,}", f"{full * 1000:.1f}", f"{bare * 1000:.1f}",
                     f"{full / bare:.2f}x"])
    print(f"Word records written to memory, median of {args.repeat} runs; bare = python-docx paragraphs, same text")
    print("\n".join("  " + line for line in harness.table(
        ["record", "pieces of text", "characters", "full ms", "bare ms", "full / bare"], rows).splitlines()))
    return results


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
