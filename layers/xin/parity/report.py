"""The parity report: a markdown file with figures and PNG plots (matplotlib, optional)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from xin.parity.compare import Comparison, auc


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _quantiles(values: Sequence[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=10)
    return f"{cuts[0]:.3f} / {statistics.median(values):.3f} / {cuts[-1]:.3f}"


def summary(result: Comparison) -> dict[str, float]:
    return {
        "ndcg@10_a": _mean(result.ndcg_a),
        "ndcg@10_b": _mean(result.ndcg_b),
        f"overlap@{result.k}": _mean(result.overlap),
        "spearman": _mean(result.spearman),
        "kendall": _mean(result.kendall),
        "auc_a": auc(result.relevant_a, result.irrelevant_a),
        "auc_b": auc(result.relevant_b, result.irrelevant_b),
        "score_correlation": result.score_correlation,
    }


def _by_language(result: Comparison) -> list[str]:
    rows = []
    for lang in sorted(set(result.query_langs)):
        picked = [i for i, q in enumerate(result.query_langs) if q == lang]
        rows.append(
            f"| {lang or '?'} | {len(picked)} "
            f"| {_mean([result.ndcg_a[i] for i in picked]):.3f} "
            f"| {_mean([result.ndcg_b[i] for i in picked]):.3f} "
            f"| {_mean([result.overlap[i] for i in picked]):.2f} "
            f"| {_mean([result.spearman[i] for i in picked]):.2f} "
            f"| {_mean([result.kendall[i] for i in picked]):.2f} |"
        )
    return rows


def render_markdown(result: Comparison, dataset: str, plots: Sequence[str]) -> str:
    a, b, k = result.a, result.b, result.k
    figures = summary(result)
    lines = [
        f"# Embedding parity: `{a.name}` vs `{b.name}`",
        "",
        f"Dataset: `{dataset}` — {len(result.query_ids)} judged queries, "
        f"{a.similarities.shape[1]} documents. Exact cosine ranking over the whole corpus.",
        "",
        "| | A | B |",
        "|---|---|---|",
        f"| provider | `{a.name}` | `{b.name}` |",
        f"| model id | `{a.model_id}` | `{b.model_id}` |",
        f"| dimension | {a.dimension} | {b.dimension} |",
        f"| nDCG@10 | {figures['ndcg@10_a']:.3f} | {figures['ndcg@10_b']:.3f} |",
        f"| relevant-vs-irrelevant cosine AUC | {figures['auc_a']:.3f} | {figures['auc_b']:.3f} |",
        f"| cosine, relevant pairs (p10 / median / p90) | {_quantiles(result.relevant_a)} "
        f"| {_quantiles(result.relevant_b)} |",
        f"| cosine, irrelevant pairs (p10 / median / p90) | {_quantiles(result.irrelevant_a)} "
        f"| {_quantiles(result.irrelevant_b)} |",
        f"| embedding time (corpus + queries) | {a.embed_seconds:.1f} s "
        f"| {b.embed_seconds:.1f} s |",
        "",
        "Agreement between the two rankings (mean over queries):",
        "",
        f"- top-{k} overlap: **{figures[f'overlap@{k}']:.2f}** (share of A's top {k} also in B's)",
        f"- Spearman ρ: **{figures['spearman']:.2f}**, Kendall τ-b: **{figures['kendall']:.2f}** "
        "(each query's whole-corpus ordering)",
        f"- Pearson correlation of all query-document cosines: "
        f"**{figures['score_correlation']:.2f}** (low means score thresholds do not transfer)",
        "",
        "By query language:",
        "",
        "| language | queries | nDCG@10 A | nDCG@10 B | overlap | Spearman | Kendall |",
        "|---|---|---|---|---|---|---|",
        *_by_language(result),
        "",
    ]
    if plots:
        lines += ["## Plots", ""] + [f"![{name}]({name})" for name in plots] + [""]
    else:
        lines += ["(No plots: install matplotlib, e.g. `pip install 'xin[parity]'`.)", ""]
    return "\n".join(lines)


def write_plots(result: Comparison, out: Path) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    names = []
    figure, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for axis, run, relevant, irrelevant in (
        (axes[0], result.a, result.relevant_a, result.irrelevant_a),
        (axes[1], result.b, result.relevant_b, result.irrelevant_b),
    ):
        axis.hist(irrelevant, bins=40, alpha=0.6, density=True, label="irrelevant")
        axis.hist(relevant, bins=40, alpha=0.6, density=True, label="relevant")
        axis.set_title(run.name)
        axis.set_xlabel("cosine similarity")
        axis.legend()
    figure.tight_layout()
    figure.savefig(out / "cosine-distributions.png", dpi=110)
    plt.close(figure)
    names.append("cosine-distributions.png")

    figure, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    axes[0].scatter(result.ndcg_a, result.ndcg_b, s=14, alpha=0.6)
    axes[0].plot([0, 1], [0, 1], linestyle="--", linewidth=1)
    axes[0].set_xlabel(f"nDCG@10 {result.a.name}")
    axes[0].set_ylabel(f"nDCG@10 {result.b.name}")
    axes[0].set_title("per-query nDCG@10")
    axes[1].hist(result.overlap, bins=[i / result.k for i in range(result.k + 2)], rwidth=0.9)
    axes[1].set_xlabel(f"top-{result.k} overlap")
    axes[1].set_ylabel("queries")
    axes[1].set_title("ranking agreement")
    figure.tight_layout()
    figure.savefig(out / "ranking-agreement.png", dpi=110)
    plt.close(figure)
    names.append("ranking-agreement.png")
    return names


def write_report(result: Comparison, dataset: str, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    plots = write_plots(result, out)
    path = out / "report.md"
    path.write_text(render_markdown(result, dataset, plots), encoding="utf-8")
    return path
