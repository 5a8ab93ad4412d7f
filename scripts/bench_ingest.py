"""End-to-end ingestion throughput on real text with the real local embedder.

    python scripts/bench_ingest.py                       # docs/ (English + Persian), e5-small
    python scripts/bench_ingest.py --threads 1 --json
    python scripts/bench_ingest.py --source some/dir --limit-kb 200
    python scripts/bench_ingest.py --sizes 2,8,32 --total-kb 16 --json   # KB/s vs document size

Times ``IngestionService.ingest_paths`` (read + parse + chunk + language detection + embed +
SQLite store) into a fresh store, then edits one paragraph in every file and ingests again
(the "document changed" path, where unchanged chunks keep their vectors). KB are source-file
bytes. Besides wall-clock KB/s it prints KB per CPU-second of this process, which moves less
than wall time when other processes share the cores. The source's ``.xinignore`` applies, as
in ``xin ingest``.

``--sizes`` instead cuts the same text (consecutive slices of the source's Markdown) into
documents of each size, ``--total-kb`` in all per size, and times a cold ingest of each set
into its own fresh store, with one embedder for all of them.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xin.adapters.e5_embedder import E5SmallEmbedder
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.config.settings import RagSettings
from xin.rag.language import LangDetectDetector
from xin.rag.loaders import SUPPORTED_EXTENSIONS
from xin.services.ingestion import IngestionService, IngestResult, iter_sources

ROOT = Path(__file__).resolve().parents[1]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def copy_corpus(source: Path, target: Path, limit_kb: float) -> int:
    """Copy supported files (sorted, up to ``limit_kb``) into ``target``; return bytes."""
    total = 0
    for path, name, _ in iter_sources([source]):
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            continue
        if total and total + path.stat().st_size > limit_kb * 1024:
            break
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        total += path.stat().st_size
    return total


def cut_corpus(source: Path, target: Path, total_kb: float, size_kb: float) -> None:
    """``total_kb`` of the source's Markdown as documents of ``size_kb`` each (consecutive
    slices of the concatenated text, cut on UTF-8 boundaries)."""
    docs = [path for path, _, _ in iter_sources([source]) if path.suffix == ".md"]
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in docs).encode("utf-8")
    count, length = max(1, round(total_kb / size_kb)), int(size_kb * 1024)
    target.mkdir(parents=True)
    for i in range(count):
        start = (i * length) % max(1, len(text) - length)
        piece = text[start : start + length].decode("utf-8", errors="ignore")
        (target / f"doc{i:03d}.md").write_text(piece, encoding="utf-8")


def edit_one_paragraph(root: Path) -> None:
    """Change one paragraph in the middle of every text file, as an author fixing a fact
    would (titles and the other paragraphs stay as they were)."""
    for path in root.rglob("*"):
        if path.suffix.lower() in {".md", ".txt"}:
            text = path.read_text(encoding="utf-8")
            cut = text.find("\n\n", len(text) // 2)
            cut = cut if cut > 0 else len(text)
            path.write_text(text[:cut] + " (revised)" + text[cut:], encoding="utf-8")


def timed(service: IngestionService, root: Path) -> dict[str, float]:
    cpu, wall = _cpu_seconds(), time.perf_counter()
    results: list[IngestResult] = service.ingest_paths([root], tenant="bench")
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    kb = sum(r.bytes for r in results if r.status == "indexed") / 1024
    failed = [r.source for r in results if r.status == "failed"]
    if failed:
        raise SystemExit(f"ingestion failed for {failed}")
    return {
        "kb": round(kb, 1),
        "docs": sum(r.status == "indexed" for r in results),
        "chunks": sum(r.chunks for r in results if r.status == "indexed"),
        "reused": sum(r.reused for r in results),
        "seconds": round(wall, 2),
        "kb_per_s": round(kb / wall, 2),
        "kb_per_cpu_s": round(kb / max(cpu, 1e-9), 2),
    }


@contextmanager
def _service(embedder: E5SmallEmbedder, db: Path) -> Iterator[IngestionService]:
    rag = RagSettings()
    database = Database(db)
    try:
        yield IngestionService(
            SqliteVectorStore(database),
            embedder,
            LangDetectDetector(),
            chunk_size=rag.chunk_size,
            chunk_overlap=rag.chunk_overlap,
        )
    finally:
        database.close()


def by_size(
    embedder: E5SmallEmbedder, source: Path, total_kb: float, sizes: list[float]
) -> dict[str, object]:
    """A cold ingest of ``total_kb`` cut into documents of each size, each into a fresh store."""
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            cut_corpus(source, Path(tmp) / "corpus", total_kb, size)
            with _service(embedder, Path(tmp) / "xin.db") as service:
                figures = timed(service, Path(tmp) / "corpus")
                rows.append({"doc_kb": int(size) if size.is_integer() else size, **figures})
    return {"total_kb": total_kb, "sizes": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT / "docs")
    parser.add_argument("--limit-kb", type=float, default=400.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-chars", type=int, default=12_000)
    parser.add_argument("--no-edit", action="store_true", help="skip the re-ingest phase")
    parser.add_argument("--sizes", help="comma-separated document sizes in KB (see above)")
    parser.add_argument("--total-kb", type=float, default=32.0, help="per size, with --sizes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    embedder = E5SmallEmbedder(threads=args.threads, batch_chars=args.batch_chars)
    embedder.embed_query("warm up")  # load the engine outside the timed region
    report: dict[str, object] = {"embedder": embedder.model_id, "threads": args.threads}
    if args.sizes:
        sizes = [float(size) for size in args.sizes.split(",")]
        report |= by_size(embedder, args.source, args.total_kb, sizes)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            source_kb = copy_corpus(args.source, corpus, args.limit_kb) / 1024
            report["source_kb"] = round(source_kb, 1)
            with _service(embedder, Path(tmp) / "xin.db") as service:
                report["cold"] = timed(service, corpus)
                if not args.no_edit:
                    edit_one_paragraph(corpus)
                    report["edited"] = timed(service, corpus)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.json:
        print(json.dumps(report))
        return
    for row in report.get("sizes", []):  # type: ignore[attr-defined]
        print(" ".join(f"{k}={v}" for k, v in row.items()))
    for phase in ("cold", "edited"):
        if phase in report:
            print(f"{phase}: " + " ".join(f"{k}={v}" for k, v in dict(report[phase]).items()))  # type: ignore[call-overload]
    print(f"embedder={report['embedder']} threads={args.threads} rss_MB={report['peak_rss_mb']}")


if __name__ == "__main__":
    main()
