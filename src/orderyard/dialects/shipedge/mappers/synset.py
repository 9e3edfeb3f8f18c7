"""Synsets between ShipEdge's wire shape and the core's kits."""

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.synset import (
    SynsetIn,
    SynsetItemOut,
    SynsetOut,
    SynsetResultOut,
)
from orderyard.services.catalog import KitOutcome, KitView, SetKit


def set_kit(wire: SynsetIn) -> SetKit:
    """The core command for one synset of ``POST`` or ``PATCH /inventory/synsets``."""
    return SetKit(wire.synset, tuple((item.sku, item.quantity) for item in wire.items))


def synset_out(view: KitView) -> SynsetOut:
    """The wire form of a synset."""
    kit = view.item
    return SynsetOut(
        synset=kit.sku,
        product_id=kit.id,
        description=kit.details.description,
        items=[
            SynsetItemOut(sku=c.sku, product_id=c.item_id, quantity=c.quantity)
            for c in view.components
        ],
        created_at=kit.created_at,
        updated_at=kit.updated_at,
    )


def outcome_out(outcome: KitOutcome) -> SynsetResultOut:
    """The wire form of one synset's outcome in a bulk call."""
    if outcome.error is not None:
        return SynsetResultOut(
            synset=outcome.sku,
            success=False,
            message=wire_message(outcome.error.message),
            field=item_field(outcome.index, outcome.error.field),
        )
    assert outcome.kit is not None  # noqa: S101 - a success always has its kit
    return SynsetResultOut(synset=outcome.sku, product_id=outcome.kit.id, success=True)
