"""The HTTP API: search, quotations, entity trends, articles, health, metrics, and the web page.

Every error leaves as JSON `{"error": "..."}` with a fitting status: 400 for a query the user can
fix, 401 for a missing/wrong API key, 404 for an unknown article, 503 when Elasticsearch is away.
"""

from __future__ import annotations

import logging
import secrets
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from pipeline import metrics
from pipeline.config import Settings
from pipeline.index import search as queries
from pipeline.index.client import make_client
from pipeline.index.search import QueryError, SearchParams

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"

# Query parameter types; module level because FastAPI resolves the (postponed) annotations here.
Text = Annotated[str | None, Query(max_length=queries.MAX_QUERY_CHARS)]
Name = Annotated[str | None, Query(max_length=queries.MAX_FILTER_CHARS)]
Size = Annotated[int, Query(ge=1, le=10_000, description="page size, capped at api.max_page_size")]
DateParam = Annotated[str | None, Query(max_length=40)]
Cursor = Annotated[str | None, Query(max_length=2000, description="`next` of the previous page")]


def _warm_up_lemmatizer() -> None:
    # Loading the spaCy models takes seconds: do it now rather than in the first user's request.
    from pipeline.index.lemmatize import available_languages, lemmatize

    for lang in available_languages():
        lemmatize("warm up", lang)


def create_app(settings: Settings, es: Elasticsearch | None = None, warm_up: bool = True) -> FastAPI:
    """The FastAPI application for `settings` (an Elasticsearch client is made unless given)."""
    client = es or make_client(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        if warm_up:
            threading.Thread(target=_warm_up_lemmatizer, name="lemmatizer-warm-up", daemon=True).start()
        yield
        if es is None:
            client.close()

    app = FastAPI(
        title="depeche", version="0.1.0", lifespan=lifespan,
        description="Search news articles as they come in: words, people, places, quotations, trends.",
    )

    def require_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
        expected = settings.api.api_key
        if expected and not (x_api_key and secrets.compare_digest(x_api_key.encode(), expected.encode())):
            raise HTTPException(status_code=401, detail="missing or wrong X-API-Key header")

    guarded = [Depends(require_key)]

    # --- errors as clean JSON ---------------------------------------------------------------
    @app.exception_handler(QueryError)
    async def _query_error(_: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(HTTPException)
    async def _http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
                             for e in exc.errors())
        return JSONResponse({"error": problems}, status_code=400)

    @app.exception_handler(TransportError)
    async def _es_down(_: Request, exc: TransportError) -> JSONResponse:
        log.warning("elasticsearch unreachable", extra={"error": repr(exc)[:300]})
        return JSONResponse({"error": "search backend unavailable, retry shortly"}, status_code=503)

    @app.exception_handler(ApiError)
    async def _es_error(_: Request, exc: ApiError) -> JSONResponse:
        if exc.meta.status == 404:
            return JSONResponse({"error": "no index yet: nothing has been indexed"}, status_code=503)
        log.warning("elasticsearch error", extra={"status": exc.meta.status, "error": str(exc)[:300]})
        return JSONResponse({"error": "the search backend refused the request"}, status_code=502)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected API error")
        return JSONResponse({"error": "internal error"}, status_code=500)

    # --- endpoints --------------------------------------------------------------------------
    @app.get("/search", dependencies=guarded, summary="Search articles")
    def search(q: Text = None, entity: Name = None, speaker: Name = None, feed: Name = None,
               lang: Name = None, since: Name = None,
               date_from: Annotated[DateParam, Query(alias="from")] = None,
               date_to: Annotated[DateParam, Query(alias="to")] = None,
               sort: Literal["newest", "relevance"] | None = None, size: Size = 10,
               after: Cursor = None) -> dict[str, Any]:
        params = SearchParams(query=q or "", entity=entity, speaker=speaker, feed=feed, lang=lang, since=since,
                              date_from=date_from, date_to=date_to, sort=sort, size=size, after=after)
        return queries.search_articles(client, settings, params)

    @app.get("/quotes", dependencies=guarded, summary="Search quotations (who said what)")
    def quotes(q: Text = None, speaker: Name = None, entity: Name = None, feed: Name = None,
               lang: Name = None, since: Name = None,
               date_from: Annotated[DateParam, Query(alias="from")] = None,
               date_to: Annotated[DateParam, Query(alias="to")] = None,
               size: Size = 10, after: Cursor = None) -> dict[str, Any]:
        params = SearchParams(query=q or "", speaker=speaker, entity=entity, feed=feed, lang=lang, since=since,
                              date_from=date_from, date_to=date_to, size=size, after=after)
        return queries.search_quotes(client, settings, params)

    @app.get("/entities/top", dependencies=guarded, summary="Most mentioned entities over a time window")
    def entities_top(hours: Annotated[int, Query(ge=1, le=2160)] = 24,
                     label: Literal["PER", "ORG", "LOC", "MISC"] | None = None,
                     size: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
        return queries.top_entities(client, settings, hours=hours, label=label, size=size)

    @app.get("/articles/{article_id}", dependencies=guarded, summary="One article by id")
    def article(article_id: str) -> dict[str, Any]:
        found = queries.get_article(client, settings, article_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
        return found

    @app.get("/health", summary="Liveness and Elasticsearch reachability")
    def health() -> JSONResponse:
        try:
            cluster = client.cluster.health(timeout="2s")
            has_index = bool(client.indices.exists_alias(name=settings.index_alias))
        except (TransportError, ApiError) as exc:
            return JSONResponse({"status": "degraded", "elasticsearch": f"unreachable: {exc}"}, status_code=503)
        return JSONResponse({"status": "ok", "elasticsearch": cluster["status"], "index": has_index,
                             "alias": settings.index_alias})

    @app.get("/metrics", dependencies=guarded, summary="Prometheus metrics of every stage")
    def prometheus() -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
