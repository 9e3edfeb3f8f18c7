"""The base of every ShipEdge wire model."""

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    """Request bodies ignore fields they do not know, as the vendor's API tolerates extras."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
