"""Stock wire models: quantities per SKU and distribution center, and their totals."""

from pydantic import BaseModel, Field


class StockFiguresOut(BaseModel):
    """Quantities of one SKU; ``available = max(0, on_hand - allocated - reserved - safety)``.

    A distribution center where a pre-order release allocated units ahead of their stock
    shows that shortfall as a negative ``available``; the total counts it as zero.
    """

    on_hand: int
    allocated: int
    reserved: int
    safety_stock: int
    available: int


class DistributionCenterStockOut(StockFiguresOut):
    """The quantities at one distribution center."""

    distribution_center: str
    distribution_center_id: int


class StockOut(BaseModel):
    """One SKU's stock per distribution center and in total."""

    sku: str
    product_id: int
    is_synset: bool = Field(
        description="A synset (kit) shows what its components allow; it holds no stock itself."
    )
    distribution_centers: list[DistributionCenterStockOut]
    total: StockFiguresOut
