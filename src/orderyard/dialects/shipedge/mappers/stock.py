"""Stock views to ShipEdge's wire shape."""

from orderyard.dialects.shipedge.schemas.stock import (
    DistributionCenterStockOut,
    StockFiguresOut,
    StockOut,
)
from orderyard.domain.inventory import StockFigures
from orderyard.services.catalog import StockView


def _figures(figures: StockFigures) -> dict[str, int]:
    return {
        "on_hand": figures.on_hand,
        "allocated": figures.allocated,
        "reserved": figures.reserved,
        "safety_stock": figures.safety_stock,
        "available": figures.available,
    }


def stock_out(view: StockView) -> StockOut:
    """The wire form of one SKU's stock."""
    return StockOut(
        sku=view.sku,
        product_id=view.item_id,
        is_synset=view.is_kit,
        distribution_centers=[
            DistributionCenterStockOut(
                distribution_center=row.code,
                distribution_center_id=row.location_id,
                **_figures(row.figures),
            )
            for row in view.locations
        ],
        total=StockFiguresOut(**_figures(view.total)),
    )
