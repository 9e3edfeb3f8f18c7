"""Product wire models: the seed's create and update bodies, and what Orderyard answers.

The seed lists the fields and their allowed values ("Add Product"); it shows no response, so
a product answers with the same field names it is created with.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.domain.catalog import PickStyle
from orderyard.http.wire import Integer


def _upper(value: Any) -> Any:
    """Accept the seed's words in any case, and JSON booleans for Yes and No."""
    if isinstance(value, bool):
        return "YES" if value else "NO"
    return value.strip().upper() if isinstance(value, str) else value


Sku = Annotated[str, Field(min_length=1, max_length=100)]
Measure = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
Name = Annotated[str, Field(max_length=200)]
Code = Annotated[str, Field(max_length=64)]
Description = Annotated[str, Field(min_length=1, max_length=4000)]
PickStyleWord = Annotated[PickStyle, BeforeValidator(_upper)]
YesNo = Annotated[Literal["YES", "Y", "NO", "N"], BeforeValidator(_upper)]
CaseQty = Annotated[Integer, Field(ge=0, le=1_000_000, description="Units per case; 0 means none.")]


class ProductIn(WireModel):
    """One product of ``POST /inventory/products``. Required fields are the seed's."""

    sku: Sku
    description: Description
    width: Measure
    length: Measure
    height: Measure
    weight: Measure
    cost: Measure
    retail: Measure
    upc: Code = ""
    harmonization_code: Annotated[str, Field(max_length=32)] = ""
    supplier: Name | None = Field(default=None, description="A registered supplier name.")
    distribution_center: Code | None = Field(
        default=None, description="A registered distribution center code."
    )
    package_type: Name | None = Field(default=None, description="A registered package type.")
    pick_style: PickStyleWord = PickStyle.STANDARD
    one_time_product: YesNo = "NO"
    case_qty: CaseQty | None = None
    category: Name = ""
    model: Name = ""
    manufacturer: Name = ""
    client_option1: Name = ""
    client_option2: Name = ""
    client_option3: Name = ""
    image_url: Annotated[str, Field(max_length=1000)] = ""


class ProductsIn(WireModel):
    """The body of ``POST /inventory/products``."""

    data: Annotated[list[ProductIn], Field(min_length=1, max_length=500)]


class ProductPatch(WireModel):
    """One product of ``PATCH /inventory/products``: its SKU plus the fields to change.

    An absent or null field is left as it is; an empty name clears a supplier, distribution
    center or package type, and ``case_qty`` 0 clears the case.
    """

    sku: Sku
    description: Description | None = None
    width: Measure | None = None
    length: Measure | None = None
    height: Measure | None = None
    weight: Measure | None = None
    cost: Measure | None = None
    retail: Measure | None = None
    upc: Code | None = None
    harmonization_code: Annotated[str | None, Field(max_length=32)] = None
    supplier: Name | None = None
    distribution_center: Code | None = None
    package_type: Name | None = None
    pick_style: PickStyleWord | None = None
    one_time_product: YesNo | None = None
    case_qty: CaseQty | None = None
    category: Name | None = None
    model: Name | None = None
    manufacturer: Name | None = None
    client_option1: Name | None = None
    client_option2: Name | None = None
    client_option3: Name | None = None
    image_url: Annotated[str | None, Field(max_length=1000)] = None


class ProductsPatch(WireModel):
    """The body of ``PATCH /inventory/products``."""

    data: Annotated[list[ProductPatch], Field(min_length=1, max_length=500)]


class ProductOut(BaseModel):
    """A product as Orderyard answers it."""

    product_id: int
    sku: str
    description: str
    width: Decimal
    length: Decimal
    height: Decimal
    weight: Decimal
    cost: Decimal
    retail: Decimal
    upc: str
    harmonization_code: str
    supplier: str | None
    distribution_center: str | None
    package_type: str | None
    pick_style: PickStyle
    one_time_product: Literal["Yes", "No"]
    case_qty: int | None
    category: str
    model: str
    manufacturer: str
    client_option1: str
    client_option2: str
    client_option3: str
    image_url: str
    is_synset: bool = Field(description="Whether the product is a synset (kit).")
    created_at: datetime
    updated_at: datetime


class ProductResultOut(BaseModel):
    """The outcome of one product of a bulk call."""

    sku: str
    product_id: int | None = None
    success: bool
    message: str | None = None
    field: str | None = None


class UomOut(BaseModel):
    """A unit of measure of a product; a null size is unknown."""

    uom: Literal["EACH", "CASE"]
    quantity: int = Field(description="Eaches in one unit.")
    width: Decimal | None
    length: Decimal | None
    height: Decimal | None
    weight: Decimal | None
