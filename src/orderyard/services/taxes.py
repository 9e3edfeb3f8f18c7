"""Tax rates: defining, reading and deleting them, and the rates in force for an address.

The rule of which rate applies and how a line is taxed is ``domain/tax.py``; the store
answers the rates of an address in one statement (``TaxRepository.in_force_for``), which
order placement can call inside its own unit of work.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from orderyard.domain.errors import DuplicateError, NotFoundError
from orderyard.domain.invoice import cent_of
from orderyard.domain.tax import Destination, TaxLine, TaxRate, TaxRateSpec, check_spec, line_tax
from orderyard.domain.values import Address, Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.order.commands import LineInput, PlaceOrder
from orderyard.store.repositories.tax import SORTS
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["SORTS", "TaxRate", "TaxRateRef", "TaxRateSpec"]


@dataclass(frozen=True, slots=True)
class TaxRateRef:
    """How a client names a rate: by id, by backend name, or by both (the same rate)."""

    rate_id: int | None = None
    backend_name: str | None = None


def _missing(ref: TaxRateRef) -> NotFoundError:
    named = " with ".join(
        part
        for part in (
            None if ref.rate_id is None else f"{ref.rate_id}",
            None if ref.backend_name is None else f"backend name {ref.backend_name!r}",
        )
        if part
    )
    return NotFoundError(f"tax rate {named} not found", field="tax_rate")


async def _locked(uow: UnitOfWork, ref: TaxRateRef) -> TaxRate:
    """The rate ``ref`` names, locked; both parts of it must name the same one.

    Raises:
        NotFoundError: no such rate in this account (or the two parts disagree).
    """
    if ref.rate_id is not None:
        found = await uow.taxes.by_id(ref.rate_id, lock=True)
    else:
        found = await uow.taxes.by_name(ref.backend_name or "", lock=True)
    if found is None or (
        ref.backend_name is not None and found.spec.backend_name != ref.backend_name
    ):
        raise _missing(ref)
    return found


async def set_tax_rate(
    uow: UnitOfWork, spec: TaxRateSpec, *, rate_id: int | None = None
) -> tuple[TaxRate, bool]:
    """Create or replace a rate; the rate and whether it was created.

    With ``rate_id``, that rate is replaced (its backend name may change). Without, the rate
    of the backend name is replaced, or created when the account has none: a concurrent
    create of the same name makes this call replace it instead.

    Raises:
        InvalidRequestError: a field is wrong (``domain.tax.check_spec``).
        NotFoundError: ``rate_id`` is no rate of this account.
        DuplicateError: the new backend name of ``rate_id`` is another rate's.
    """
    checked = check_spec(spec)
    async with uow:
        if rate_id is not None:
            target: TaxRate | None = await _locked(uow, TaxRateRef(rate_id))
        else:
            target = await uow.taxes.by_name(checked.backend_name, lock=True)
        created = target is None
        if target is None:
            try:
                saved_id = await uow.taxes.add(checked)
            except DuplicateError:
                target = await uow.taxes.by_name(checked.backend_name, lock=True)
                created = target is None
                if target is None:
                    raise
        if target is not None:
            saved_id = target.id
            await uow.taxes.save(saved_id, checked)
        saved = await uow.taxes.by_id(saved_id)
        assert saved is not None  # noqa: S101 - written just above, in this transaction
        kind = "tax_rate_created" if created else "tax_rate_updated"
        await uow.events.record(kind, "tax_rate", saved_id, {"backend_name": checked.backend_name})
        await uow.commit()
    return saved, created


async def delete_tax_rate(uow: UnitOfWork, ref: TaxRateRef) -> None:
    """Delete the rate ``ref`` names; its backend name may then be used again.

    Raises:
        NotFoundError: no such rate in this account.
    """
    async with uow:
        found = await _locked(uow, ref)
        await uow.taxes.remove(found.id)
        await uow.events.record(
            "tax_rate_deleted", "tax_rate", found.id, {"backend_name": found.spec.backend_name}
        )
        await uow.commit()


async def get_tax_rate(uow: ReadUnitOfWork | UnitOfWork, backend_name: str) -> TaxRate:
    """The rate of this backend name.

    Raises:
        NotFoundError: the account has none of that name.
    """
    async with uow:
        found = await uow.taxes.by_name(backend_name)
    if found is None:
        raise _missing(TaxRateRef(backend_name=backend_name))
    return found


async def list_tax_rates(
    uow: ReadUnitOfWork | UnitOfWork,
    page: PageRequest,
    *,
    sort: str = "id",
    descending: bool = False,
) -> Page[TaxRate]:
    """A page of the account's rates sorted by one of ``SORTS`` (ties by id)."""
    async with uow:
        return await uow.taxes.page(page, sort=sort, descending=descending)


async def rates_in_force(
    uow: ReadUnitOfWork | UnitOfWork, address: Address, at: datetime | None = None
) -> list[TaxRate]:
    """The rates that apply to ``address`` at ``at`` (now by default), the one in force first.

    One statement; inside an open unit of work call ``uow.taxes.in_force_for`` instead.
    """
    async with uow:
        return await uow.taxes.in_force_for(Destination.of(address), at or utcnow())


async def tax_new_order(uow: UnitOfWork, command: PlaceOrder) -> PlaceOrder:
    """The order with its tax from the rates in force for its address, when it carries none.

    For the placement, inside its unit of work, and only when the account defines rates
    (``PlacementContext.has_tax_rates``): one statement. An order whose lines carry any tax
    keeps its own; an address no rate covers leaves the order untaxed. Each line's tax is its
    net (price x quantity - discount) at the rate in force now, rounded half up to the minor
    unit of the order's currency, per line (``domain/tax.py``).
    """
    if any(line.tax for line in command.lines):
        return command
    rates = await uow.taxes.in_force_for(Destination.of(command.address), utcnow())
    if not rates:
        return command
    rate, cent = rates[0].spec.rate, cent_of(command.currency)
    return replace(command, lines=tuple(_taxed(line, rate, cent) for line in command.lines))


def _taxed(line: LineInput, rate: Decimal, cent: Decimal) -> LineInput:
    tax = line_tax(TaxLine(line.unit_price, line.quantity, line.discount), rate, cent)
    return replace(line, tax=tax)
