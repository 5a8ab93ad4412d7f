"""An in-process OpenSearch for tests: an opensearch-py ``Connection`` that serves the
endpoints the store uses from memory, with real enough query semantics.

Served: ``GET /``, ``HEAD|PUT|DELETE /{index}``, ``GET /{index}/_mapping``,
``GET /_alias/{name}``, ``POST /_aliases``, ``POST /_bulk``, ``POST /{index}/_search``
(bool / term / terms / ids / match_all / multi_match with BM25 over simply analysed text /
knn with efficient filtering and the k-NN plugin's score transforms / hybrid through a search
pipeline: RRF or min-max + weighted mean), ``POST /{index}/_refresh``, ``POST /_reindex``
and ``PUT /_search/pipeline/{id}``. Every request is recorded, and when a spec validator is
given every request body is validated against the OpenSearch REST API specification first.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from opensearchpy import Connection

from tests.contract.opensearch_spec import OpenSearchSpec
from xin.rag.text import STOPWORDS, light_stem, words

Json = dict[str, Any]


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    body: Any


@dataclass
class _Index:
    mappings: Json
    settings: Json
    docs: dict[str, Json] = field(default_factory=dict)


def analyse(text: str, analyzer: str) -> list[str]:
    tokens = words(text)
    if analyzer == "english":
        return [light_stem(t) for t in tokens if t not in STOPWORDS]
    return tokens  # "persian" and "standard": normalised words


def _get(doc: Json, path: str) -> Any:
    node: Any = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _values(doc: Json, path: str) -> list[Any]:
    value = _get(doc, path)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class FakeCluster:
    def __init__(
        self,
        *,
        spec: OpenSearchSpec | None = None,
        version: str = "2.19.1",
        pipelines_supported: bool = True,
    ) -> None:
        self.spec = spec
        self.version = version
        self.pipelines_supported = pipelines_supported
        self.indices: dict[str, _Index] = {}
        self.aliases: dict[str, str] = {}
        self.pipelines: dict[str, Json] = {}
        self.requests: list[Recorded] = []
        self.validated: list[str] = []
        # (predicate on the request, status, error type) consumed once each
        self.failures: list[tuple[Callable[[Recorded], bool], int, str]] = []
        # per-item bulk rejections: _id -> list of (status, error type), consumed in order
        self.item_failures: dict[str, list[tuple[int, str]]] = {}

    # -- test controls -------------------------------------------------------------------
    def fail_next(
        self, method: str, path_part: str, status: int, kind: str, times: int = 1
    ) -> None:
        for _ in range(times):
            self.failures.append(
                (lambda r: r.method == method and path_part in r.path, status, kind)
            )

    def fail_item(self, doc_id: str, status: int, kind: str, times: int = 1) -> None:
        self.item_failures.setdefault(doc_id, []).extend([(status, kind)] * times)

    def resolve(self, target: str) -> str | None:
        if target in self.indices:
            return target
        return self.aliases.get(target)

    # -- dispatch --------------------------------------------------------------------------
    def handle(self, method: str, path: str, params: Json, body: bytes | None) -> tuple[int, Any]:
        parsed = self._parse_body(path, body)
        request = Recorded(method, path, dict(params), parsed)
        self.requests.append(request)
        if self.spec is not None:
            self.validated.append(self.spec.validate(method, path, parsed))
        for i, (matches, status, kind) in enumerate(self.failures):
            if matches(request):
                del self.failures[i]
                return status, _error(kind, "injected failure")
        return self._route(
            method, [unquote(p) for p in path.strip("/").split("/") if p], params, parsed
        )

    @staticmethod
    def _parse_body(path: str, body: bytes | None) -> Any:
        if not body:
            return None
        text = body.decode("utf-8")
        if path.endswith("/_bulk"):
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return json.loads(text)

    def _route(self, method: str, parts: list[str], params: Json, body: Any) -> tuple[int, Any]:  # noqa: C901
        if not parts:
            return 200, {"version": {"number": self.version, "distribution": "opensearch"}}
        if parts == ["_bulk"]:
            return self._bulk(body, params)
        if parts == ["_aliases"]:
            return self._update_aliases(body)
        if parts == ["_reindex"]:
            return self._reindex(body)
        if parts[0] == "_alias" and len(parts) == 2:
            index = self.aliases.get(parts[1])
            if index is None:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, {index: {"aliases": {parts[1]: {}}}}
        if parts[:2] == ["_search", "pipeline"] and method == "PUT":
            if not self.pipelines_supported:
                return 400, _error("illegal_argument_exception", "no search pipelines")
            self.pipelines[parts[2]] = body
            return 200, {"acknowledged": True}
        if len(parts) == 1:
            return self._index_op(method, parts[0], body)
        target = self.resolve(parts[0])
        if target is None:
            return 404, _error("index_not_found_exception", f"no such index [{parts[0]}]")
        if parts[1] == "_mapping":
            return 200, {target: {"mappings": self.indices[target].mappings}}
        if parts[1] == "_search":
            return 200, self._search(self.indices[target], body or {}, params)
        if parts[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        return 400, _error(
            "unsupported_operation", f"the fake does not serve {method} /{'/'.join(parts)}"
        )

    def _index_op(self, method: str, name: str, body: Any) -> tuple[int, Any]:
        if method == "HEAD":
            return (200 if self.resolve(name) else 404), ""
        if method == "PUT":
            if name in self.indices or name in self.aliases:
                return 400, _error("resource_already_exists_exception", f"index [{name}] exists")
            body = body or {}
            self.indices[name] = _Index(body.get("mappings", {}), body.get("settings", {}))
            for alias in body.get("aliases", {}):
                self.aliases[alias] = name
            return 200, {"acknowledged": True, "index": name}
        if method == "DELETE":
            if name not in self.indices:
                return 404, _error("index_not_found_exception", name)
            del self.indices[name]
            self.aliases = {a: i for a, i in self.aliases.items() if i != name}
            return 200, {"acknowledged": True}
        return 405, _error("method_not_allowed", method)

    def _update_aliases(self, body: Json) -> tuple[int, Any]:
        staged = dict(self.aliases)
        for action in body["actions"]:
            ((kind, spec),) = action.items()
            if spec["index"] not in self.indices:
                return 404, _error("index_not_found_exception", spec["index"])
            if kind == "add":
                staged[spec["alias"]] = spec["index"]
            elif kind == "remove" and staged.get(spec["alias"]) == spec["index"]:
                del staged[spec["alias"]]
        self.aliases = staged  # all actions apply at once, or none do
        return 200, {"acknowledged": True}

    def _reindex(self, body: Json) -> tuple[int, Any]:
        source = self.indices[self.resolve(body["source"]["index"]) or ""]
        dest = self.indices[self.resolve(body["dest"]["index"]) or ""]
        dest.docs.update({k: json.loads(json.dumps(v)) for k, v in source.docs.items()})
        return 200, {"total": len(source.docs), "created": len(source.docs), "failures": []}

    # -- bulk -----------------------------------------------------------------------------
    def _bulk(self, lines: list[Json], params: Json) -> tuple[int, Any]:
        items: list[Json] = []
        errors = False
        i = 0
        while i < len(lines):
            ((op, meta),) = lines[i].items()
            source = lines[i + 1] if op in ("index", "create", "update") else None
            i += 2 if source is not None else 1
            target = self.resolve(meta["_index"])
            doc_id = meta["_id"]
            pending = self.item_failures.get(doc_id)
            if pending:
                status, kind = pending.pop(0)
                items.append(
                    {
                        op: {
                            "_id": doc_id,
                            "status": status,
                            "error": {"type": kind, "reason": "injected"},
                        }
                    }
                )
                errors = True
                continue
            if target is None:
                items.append(
                    {
                        op: {
                            "_id": doc_id,
                            "status": 404,
                            "error": {"type": "index_not_found_exception"},
                        }
                    }
                )
                errors = True
                continue
            index = self.indices[target]
            if op == "delete":
                found = index.docs.pop(doc_id, None) is not None
                items.append(
                    {
                        op: {
                            "_id": doc_id,
                            "status": 200 if found else 404,
                            "result": "deleted" if found else "not_found",
                        }
                    }
                )
                continue
            problem = _check_vector(index, source or {})
            if problem:
                items.append(
                    {
                        op: {
                            "_id": doc_id,
                            "status": 400,
                            "error": {"type": "mapper_parsing_exception", "reason": problem},
                        }
                    }
                )
                errors = True
                continue
            index.docs[doc_id] = json.loads(json.dumps(source))
            items.append({op: {"_id": doc_id, "status": 201, "result": "created"}})
        return 200, {"took": 1, "errors": errors, "items": items}

    # -- search ---------------------------------------------------------------------------
    def _search(self, index: _Index, body: Json, params: Json) -> Json:
        size = int(body.get("size", 10))
        query = body.get("query", {"match_all": {}})
        if "hybrid" in query:
            pipeline = self.pipelines.get(str(params.get("search_pipeline", "")))
            if pipeline is None:
                raise_hybrid = _error(
                    "illegal_argument_exception", "hybrid needs a search pipeline"
                )
                return {"error": raise_hybrid}
            scored = self._hybrid(index, query["hybrid"]["queries"], pipeline, size)
        else:
            scored = self._score(index, query)
        if "sort" in body:
            field_name, reverse = _sort_key(body["sort"][0])
            ordered = sorted(
                scored.items(),
                key=lambda kv: str(_get(index.docs[kv[0]], field_name)),
                reverse=reverse,
            )
            after = body.get("search_after")
            if after:
                ordered = [
                    kv for kv in ordered if str(_get(index.docs[kv[0]], field_name)) > str(after[0])
                ]
            ranked = ordered[:size]
        else:
            ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        hits = []
        for doc_id, score in ranked:
            hit: Json = {"_index": "fake", "_id": doc_id, "_score": score}
            if body.get("_source", True) is not False:
                hit["_source"] = _project(index.docs[doc_id], body.get("_source"))
            if "sort" in body:
                field_name = _sort_key(body["sort"][0])[0]
                hit["sort"] = [_get(index.docs[doc_id], field_name)]
            hits.append(hit)
        return {"hits": {"total": {"value": len(scored), "relation": "eq"}, "hits": hits}}

    def _score(self, index: _Index, query: Json) -> dict[str, float]:
        ((kind, spec),) = query.items()
        docs = index.docs
        if kind == "match_all":
            return dict.fromkeys(docs, 1.0)
        if kind == "term":
            ((path, value),) = spec.items()
            value = value["value"] if isinstance(value, dict) else value
            return {d: 0.0 for d, doc in docs.items() if value in _values(doc, path)}
        if kind == "terms":
            ((path, values),) = spec.items()
            return {d: 0.0 for d, doc in docs.items() if set(values) & set(_values(doc, path))}
        if kind == "ids":
            return {d: 0.0 for d in spec["values"] if d in docs}
        if kind == "multi_match":
            total: dict[str, float] = {}
            for path in spec["fields"]:
                for d, s in self._bm25(index, path, spec["query"]).items():
                    total[d] = total.get(d, 0.0) + s
            return total
        if kind == "knn":
            ((path, knn),) = spec.items()
            allowed = self._score(index, knn["filter"]) if "filter" in knn else docs
            return self._knn(index, path, knn["vector"], int(knn["k"]), set(allowed))
        if kind == "bool":
            return self._bool(index, spec)
        raise ValueError(f"the fake does not implement query {kind!r}")

    def _bool(self, index: _Index, spec: Json) -> dict[str, float]:
        def clauses(name: str) -> list[Json]:
            value = spec.get(name, [])
            return value if isinstance(value, list) else [value]

        candidates: dict[str, float] | None = None
        for clause in clauses("filter") + clauses("must"):
            scored = self._score(index, clause)
            if candidates is None:
                candidates = scored
            else:
                candidates = {d: candidates[d] + scored[d] for d in candidates if d in scored}
        if candidates is None:
            candidates = dict.fromkeys(index.docs, 0.0)
        for clause in clauses("must_not"):
            excluded = self._score(index, clause)
            candidates = {d: s for d, s in candidates.items() if d not in excluded}
        return candidates

    def _field_analyzer(self, index: _Index, path: str) -> str:
        parts = path.split(".")
        node: Any = index.mappings.get("properties", {}).get(parts[0], {})
        for part in parts[1:]:
            node = node.get("fields", {}).get(part, {})
        return str(node.get("analyzer", "standard"))

    def _bm25(self, index: _Index, path: str, text: str) -> dict[str, float]:
        analyzer = self._field_analyzer(index, path)
        source_path = path.split(".", maxsplit=1)[0]
        terms = set(analyse(text, analyzer))
        tokenised = {
            d: analyse(str(doc.get(source_path, "")), analyzer)
            for d, doc in index.docs.items()
            if source_path in doc
        }
        if not tokenised or not terms:
            return {}
        average = sum(len(t) for t in tokenised.values()) / len(tokenised)
        scores: dict[str, float] = {}
        for term in terms:
            having = [d for d, toks in tokenised.items() if term in toks]
            idf = math.log(1 + (len(tokenised) - len(having) + 0.5) / (len(having) + 0.5))
            for d in having:
                tf = tokenised[d].count(term)
                norm = tf + 1.2 * (1 - 0.75 + 0.75 * len(tokenised[d]) / max(average, 1e-9))
                scores[d] = scores.get(d, 0.0) + idf * tf * 2.2 / norm
        return scores

    def _knn(
        self, index: _Index, path: str, vector: list[float], k: int, allowed: set[str]
    ) -> dict[str, float]:
        mapping = index.mappings["properties"][path]
        space = mapping.get("method", {}).get("space_type", "l2")
        if len(vector) != mapping["dimension"]:
            raise ValueError("query vector has the wrong dimension")
        scored = {}
        for d in allowed:
            stored = index.docs[d].get(path)
            if stored is None:
                continue
            scored[d] = _knn_score(space, vector, stored)
        best = sorted(scored.items(), key=lambda kv: -kv[1])[:k]
        return dict(best)

    def _hybrid(
        self, index: _Index, subqueries: list[Json], pipeline: Json, size: int
    ) -> dict[str, float]:
        ((processor_name, processor),) = pipeline["phase_results_processors"][0].items()
        results = [
            sorted(self._score(index, q).items(), key=lambda kv: (-kv[1], kv[0]))[:size]
            for q in subqueries
        ]
        fused: dict[str, float] = {}
        if processor_name == "score-ranker-processor":
            constant = processor["combination"].get("rank_constant", 60)
            for ranked in results:
                for rank, (d, _s) in enumerate(ranked, start=1):
                    fused[d] = fused.get(d, 0.0) + 1.0 / (constant + rank)
            return fused
        weights = processor["combination"].get("parameters", {}).get("weights") or [1.0] * len(
            results
        )
        for weight, ranked in zip(weights, results, strict=True):
            if not ranked:
                continue
            low, high = min(s for _d, s in ranked), max(s for _d, s in ranked)
            for d, s in ranked:
                normalised = 1.0 if high == low else (s - low) / (high - low)
                fused[d] = fused.get(d, 0.0) + weight * normalised
        return {d: s / sum(weights) for d, s in fused.items()}


def _sort_key(spec: Any) -> tuple[str, bool]:
    if isinstance(spec, str):
        return spec, False
    ((name, order),) = spec.items()
    order = order.get("order", "asc") if isinstance(order, dict) else order
    return name, order == "desc"


def _knn_score(space: str, a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    if space == "cosinesimil":
        norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
        return (1 + (dot / norm if norm else 0.0)) / 2
    if space == "innerproduct":
        return 1 + dot if dot >= 0 else 1 / (1 - dot)
    distance = sum((x - y) ** 2 for x, y in zip(a, b, strict=True))
    return 1 / (1 + distance)


def _check_vector(index: _Index, source: Json) -> str:
    for name, mapping in index.mappings.get("properties", {}).items():
        vector = source.get(name) if mapping.get("type") == "knn_vector" else None
        if vector is not None and len(vector) != mapping["dimension"]:
            return f"vector dimension mismatch for [{name}]"
    return ""


def _project(doc: Json, spec: Any) -> Json:
    if isinstance(spec, dict):
        excluded = set(spec.get("excludes", []))
        return {k: v for k, v in doc.items() if k not in excluded}
    return dict(doc)


def _error(kind: str, reason: str) -> Json:
    return {
        "error": {"type": kind, "reason": reason, "root_cause": [{"type": kind}]},
        "status": 400,
    }


class FakeConnection(Connection):
    """Plugs :class:`FakeCluster` into opensearch-py's transport (``connection_class=``)."""

    def __init__(self, *, cluster: FakeCluster, **kwargs: Any) -> None:
        super().__init__(**{k: v for k, v in kwargs.items() if k in _CONNECTION_ARGS})
        self.cluster = cluster

    def perform_request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: Json | None = None,
        body: bytes | None = None,
        timeout: float | None = None,
        ignore: Any = (),
        headers: Any = None,
    ) -> tuple[int, dict[str, str], str]:
        path = re.sub(r"\?.*$", "", url)
        status, payload = self.cluster.handle(method, path, dict(params or {}), body)
        raw = payload if isinstance(payload, str) else json.dumps(payload)
        if not (200 <= status < 300) and status not in (ignore or ()):
            if method == "HEAD":
                raw = ""
            self._raise_error(status, raw, "application/json")
        return status, {"content-type": "application/json"}, raw


_CONNECTION_ARGS = {
    "host",
    "port",
    "use_ssl",
    "url_prefix",
    "timeout",
    "headers",
    "http_compress",
    "opaque_id",
}


def fake_client(cluster: FakeCluster) -> Any:
    from opensearchpy import OpenSearch

    return OpenSearch(
        hosts=[{"host": "fake-opensearch", "port": 9200}],
        connection_class=FakeConnection,
        cluster=cluster,
        max_retries=0,
    )
