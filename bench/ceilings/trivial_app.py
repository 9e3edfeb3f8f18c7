"""Ceiling: the web stack alone, answering a small JSON document with no I/O.

Served the same way as Orderyard (uvicorn, uvloop, httptools, the same worker count); the body
is the ShipEdge ping answer.
"""

from fastapi import FastAPI

from bench.ceilings.responses import OrjsonResponse

PONG = {"data": {"status": "Successful", "result": "pong!"}}

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/ping")
async def ping() -> OrjsonResponse:
    """Answer the ShipEdge ping document."""
    return OrjsonResponse(PONG)
