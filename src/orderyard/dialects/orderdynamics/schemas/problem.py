"""The error bodies of the dialect, for its OpenAPI document."""

from pydantic import BaseModel, Field


class ProblemOut(BaseModel):
    """RFC 9457 problem details, as ASP.NET writes them."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: dict[str, list[str]] | None = Field(
        default=None, description="Per field, as the client named it: its messages."
    )
    trace_id: str = Field(alias="traceId")


class GatewayErrorOut(BaseModel):
    """The API gateway's refusal of a missing or invalid key."""

    status_code: int = Field(alias="statusCode")
    message: str
