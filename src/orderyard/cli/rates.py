"""``orderyard taxes list|set|delete`` and ``orderyard shipping-rates list|set|delete``.

The same services as ``/v1/taxes`` and ``/v1/shippingrates``: ``set`` creates the rate of
``--name`` or replaces it whole. A shipping tier is ``--tier PRICE[:WEIGHT_FROM-WEIGHT_TO]
[:SUBTOTAL_FROM-SUBTOTAL_TO]``, an end left empty for no bound (``--tier 12:10-``).
"""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from orderyard.cli.common import emit, fail, run, tenant
from orderyard.cli.pools import every
from orderyard.services import shipping_rates as shipping_service
from orderyard.services import taxes as tax_service
from orderyard.services.shipping_rates import ShippingRate, ShippingRateSpec, Tier
from orderyard.services.taxes import TaxRate, TaxRateRef, TaxRateSpec

taxes_app = typer.Typer(no_args_is_help=True, help="Tax rates (the Taxes API's).")
shipping_app = typer.Typer(no_args_is_help=True, help="Shipping rates and their tiers.")
Account = Annotated[int, typer.Option("--account", help="The AccountID.")]
Name = Annotated[str, typer.Option("--name", help="The backend name, unique in the account.")]
Country = Annotated[str, typer.Option("--country", help="ISO 3166-1 alpha-2 code.")]
Region = Annotated[str, typer.Option("--region", help="A state or province; default: all.")]
DisplayName = Annotated[str, typer.Option("--display-name", help="Default: --name.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _number(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise fail(f"{what} {text!r} is not a number") from None


def _range(text: str, what: str) -> tuple[Decimal, Decimal | None]:
    low, dash, high = text.partition("-")
    if not dash:
        raise fail(f"{what} {text!r} must be FROM-TO (an end may be empty)")
    return _number(low or "0", what), _number(high, what) if high else None


def parse_tier(text: str) -> Tier:
    """A tier from ``PRICE[:WEIGHT_FROM-WEIGHT_TO][:SUBTOTAL_FROM-SUBTOTAL_TO]``."""
    price, *bounds = text.split(":")
    if len(bounds) > 2:
        raise fail(f"tier {text!r} has more than a price and two ranges")
    weight = _range(bounds[0], "weight range") if bounds and bounds[0] else (Decimal(0), None)
    subtotal = _range(bounds[1], "subtotal range") if len(bounds) > 1 else (Decimal(0), None)
    return Tier(_number(price, "price"), *weight, *subtotal)


def _tax_line(rate: TaxRate) -> str:
    spec = rate.spec
    window = f"{spec.valid_from or ''}..{spec.valid_to or ''}"
    return (
        f"{rate.id}\t{spec.backend_name}\t{spec.rate.normalize():f}%\t{spec.country_code}"
        f"\t{spec.region or '*'}\t{spec.postal_prefix or '*'}\t{window}"
    )


@taxes_app.command("list")
def list_taxes(account: Account) -> None:
    """List the account's tax rates by id: rate, country, region, postal prefix, window."""
    for rate in every(account, tax_service.list_tax_rates):
        typer.echo(_tax_line(rate))


@taxes_app.command("set")
def set_tax(  # noqa: PLR0913 - one option per field of a rate
    account: Account,
    name: Name,
    rate: Annotated[str, typer.Option("--rate", help="Percent, 0-100 (13.5).")],
    country: Country,
    region: Region = "",
    postal_prefix: Annotated[
        str, typer.Option("--postal-prefix", help="Postal codes starting with it; default: all.")
    ] = "",
    valid_from: Annotated[
        datetime | None, typer.Option("--valid-from", help="In force from (UTC, included).")
    ] = None,
    valid_to: Annotated[
        datetime | None, typer.Option("--valid-to", help="In force until (UTC, excluded).")
    ] = None,
    display_name: DisplayName = "",
    as_json: AsJson = False,
) -> None:
    """Create the tax rate of --name, or replace it."""
    spec = TaxRateSpec(
        name,
        _number(rate, "rate"),
        country,
        region,
        postal_prefix,
        _utc(valid_from),
        _utc(valid_to),
        display_name,
    )
    saved, created = run(
        lambda e: tax_service.set_tax_rate(tenant(e, account), spec), account=account
    )
    emit(
        as_json,
        {"id": saved.id, "backend_name": saved.spec.backend_name, "created": created},
        f"tax rate {saved.spec.backend_name} {'created' if created else 'updated'}"
        f" ({saved.id}): {_tax_line(saved).split(chr(9), 2)[2]}",
    )


def _utc(moment: datetime | None) -> datetime | None:
    """A time given without an offset is UTC (the command line's convention)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@taxes_app.command("delete")
def delete_tax(account: Account, name: Name) -> None:
    """Delete the tax rate of --name."""
    run(
        lambda e: tax_service.delete_tax_rate(tenant(e, account), TaxRateRef(backend_name=name)),
        account=account,
    )
    typer.echo(f"tax rate {name} deleted")


def _tier_text(tier: Tier) -> str:
    def span(low: Decimal, high: Decimal | None) -> str:
        return f"{low.normalize():f}-{'' if high is None else f'{high.normalize():f}'}"

    weight = span(tier.min_weight, tier.max_weight)
    subtotal = span(tier.min_subtotal, tier.max_subtotal)
    return f"{tier.price.normalize():f}:{weight}:{subtotal}"


def _shipping_line(rate: ShippingRate) -> str:
    spec = rate.spec
    tiers = " ".join(_tier_text(tier) for tier in spec.tiers)
    return (
        f"{spec.backend_name}\t{spec.shipping_method}\t{spec.country_code}"
        f"\t{spec.region or '*'}\t{spec.currency}\t{tiers}"
    )


@shipping_app.command("list")
def list_shipping_rates(account: Account) -> None:
    """List the account's shipping rates by name: method, destination, currency, tiers."""
    for rate in every(account, shipping_service.list_shipping_rates):
        typer.echo(_shipping_line(rate))


@shipping_app.command("set")
def set_shipping_rate(  # noqa: PLR0913 - one option per field of a rate
    account: Account,
    name: Name,
    method: Annotated[str, typer.Option("--method", help="A registered shipping method.")],
    country: Country,
    currency: Annotated[str, typer.Option("--currency", help="3 letters (USD).")],
    tiers: Annotated[
        list[str],
        typer.Option("--tier", help="PRICE[:WEIGHT_FROM-WEIGHT_TO][:SUBTOTAL_FROM-SUBTOTAL_TO]."),
    ],
    region: Region = "",
    display_name: DisplayName = "",
    as_json: AsJson = False,
) -> None:
    """Create the shipping rate of --name, or replace it with its tiers."""
    spec = ShippingRateSpec(
        name, method, country, currency, tuple(parse_tier(t) for t in tiers), region, display_name
    )
    saved, created = run(
        lambda e: shipping_service.set_shipping_rate(tenant(e, account), spec), account=account
    )
    emit(
        as_json,
        {"backend_name": saved.spec.backend_name, "created": created,
         "tiers": [_tier_text(tier) for tier in saved.spec.tiers]},
        f"shipping rate {'created' if created else 'updated'}: {_shipping_line(saved)}",
    )  # fmt: skip


@shipping_app.command("delete")
def delete_shipping_rate(account: Account, name: Name) -> None:
    """Delete the shipping rate of --name."""
    run(lambda e: shipping_service.delete_shipping_rate(tenant(e, account), name), account=account)
    typer.echo(f"shipping rate {name} deleted")
