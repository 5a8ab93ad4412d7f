"""End-to-end ingestion throughput on real text with the real local embedder.

    python scripts/bench_ingest.py                       # docs/ (English + Persian), e5-small
    python scripts/bench_ingest.py --threads 1 --json
    python scripts/bench_ingest.py --source some/dir --limit-kb 200

Times ``IngestionService.ingest_paths`` (read + parse + chunk + language detection + embed +
SQLite store) into a fresh store, then edits one paragraph in every file and ingests again
(the "document changed" path, where unchanged chunks keep their vectors). KB are source-file
bytes. Besides wall-clock KB/s it prints KB per CPU-second of this process, which moves less
than wall time when other processes share the cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from xin.adapters.e5_embedder import E5SmallEmbedder
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.config.settings import RagSettings
from xin.rag.language import LangDetectDetector
from xin.rag.loaders import SUPPORTED_EXTENSIONS
from xin.services.ingestion import IngestionService, IngestResult

ROOT = Path(__file__).resolve().parents[1]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def copy_corpus(source: Path, target: Path, limit_kb: float) -> int:
    """Copy supported files (sorted, up to ``limit_kb``) into ``target``; return bytes."""
    total = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS or any(
            part.startswith(".") for part in path.relative_to(source).parts
        ):
            continue
        if total and total + path.stat().st_size > limit_kb * 1024:
            break
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        total += path.stat().st_size
    return total


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT / "docs")
    parser.add_argument("--limit-kb", type=float, default=400.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-chars", type=int, default=12_000)
    parser.add_argument("--no-edit", action="store_true", help="skip the re-ingest phase")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    rag = RagSettings()
    embedder = E5SmallEmbedder(threads=args.threads, batch_chars=args.batch_chars)
    embedder.embed_query("warm up")  # load the engine outside the timed region
    report: dict[str, object] = {"embedder": embedder.model_id, "threads": args.threads}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        report["source_kb"] = round(copy_corpus(args.source, corpus, args.limit_kb) / 1024, 1)
        database = Database(Path(tmp) / "xin.db")
        service = IngestionService(
            SqliteVectorStore(database),
            embedder,
            LangDetectDetector(),
            chunk_size=rag.chunk_size,
            chunk_overlap=rag.chunk_overlap,
        )
        report["cold"] = timed(service, corpus)
        if not args.no_edit:
            edit_one_paragraph(corpus)
            report["edited"] = timed(service, corpus)
        database.close()
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.json:
        print(json.dumps(report))
        return
    for phase in ("cold", "edited"):
        if phase in report:
            print(f"{phase}: " + " ".join(f"{k}={v}" for k, v in dict(report[phase]).items()))  # type: ignore[call-overload]
    print(f"embedder={report['embedder']} threads={args.threads} rss_MB={report['peak_rss_mb']}")


if __name__ == "__main__":
    main()
