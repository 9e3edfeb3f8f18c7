"""Aliases between ShipEdge's wire shape and the core.

On the wire, channel 0 and an empty distribution center mean "none" (as ``cart.id`` 0 does
on orders); the core takes None for "not given" and clears with 0 and "" on update.
"""

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.alias import (
    AliasIn,
    AliasOut,
    AliasPatch,
    AliasResultOut,
)
from orderyard.services.catalog import AliasOutcome, AliasView, CreateAlias, UpdateAlias


def create_alias(wire: AliasIn) -> CreateAlias:
    """The core command for one alias of ``POST /inventory/aliases``."""
    return CreateAlias(
        alias=wire.alias,
        sku=wire.sku,
        channel_id=wire.channel_id or None,
        location=wire.distribution_center or None,
    )


def update_alias(wire: AliasPatch) -> UpdateAlias:
    """The core command for one alias of ``PATCH /inventory/aliases``."""
    return UpdateAlias(
        alias=wire.alias,
        sku=wire.sku,
        channel_id=wire.channel_id,
        location=wire.distribution_center,
    )


def alias_out(view: AliasView) -> AliasOut:
    """The wire form of an alias."""
    alias = view.alias
    return AliasOut(
        alias_id=alias.id,
        alias=alias.alias,
        sku=alias.sku,
        product_id=alias.item_id,
        channel_id=alias.channel_id,
        distribution_center=view.location_code or None,
        created_at=alias.created_at,
    )


def outcome_out(outcome: AliasOutcome) -> AliasResultOut:
    """The wire form of one alias's outcome in a bulk call."""
    if outcome.error is not None:
        return AliasResultOut(
            alias=outcome.alias,
            success=False,
            message=wire_message(outcome.error.message),
            field=item_field(outcome.index, outcome.error.field, "alias"),
        )
    assert outcome.result is not None  # noqa: S101 - a success always has its alias
    return AliasResultOut(
        alias=outcome.alias, alias_id=outcome.result.id, sku=outcome.result.sku, success=True
    )
