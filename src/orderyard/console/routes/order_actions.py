"""What staff do to an order: hold, resume, cancel (whole or lines), ship.

Each action is the same service call the APIs make, in one transaction, recorded in the
event log as the staff member's (``staff:<id>``). A read-only staff member is refused (403)
before anything is read; a refused action answers the order's page with the reason in plain
words and the status the APIs would use, and changes nothing. A success redirects to the
order's page (post, redirect, get), which says what was done.
"""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from orderyard.console.forms import quantity, text
from orderyard.console.routes.orders import order_id_of, order_page
from orderyard.console.session import Change, ChangeDep
from orderyard.console.web import redirect, status_of
from orderyard.domain.errors import DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.event_log import staff_actor
from orderyard.domain.order import HoldState
from orderyard.domain.staff import require_write
from orderyard.domain.values import parse_id
from orderyard.http.deps import UnitOfWork, read_uow, write_uow
from orderyard.services import order as order_service
from orderyard.services.order import CancelLine, CancelOrder, OrderRef, UpdateOrder
from orderyard.services.shipment import flow as shipment_flow
from orderyard.services.shipment.read import get_shipment

router = APIRouter()
Action = Callable[[UnitOfWork, int], Awaitable[object]]


async def _act(
    request: Request, change: Change, raw_id: str, action: Action, done: str
) -> Response:
    """Run ``action`` on the order as the signed-in staff member, then show the order."""
    order_id = order_id_of(raw_id)
    session = change.session
    try:
        require_write(session.role)
        uow = write_uow(request, session.account_id, actor=staff_actor(session.staff_id))
        await action(uow, order_id)
    except DomainError as error:
        return await order_page(
            request, change.signed, order_id, error=error.message, status_code=status_of(error)
        )
    return redirect(request, f"/orders/{order_id}?done={done}")


async def _update(uow: UnitOfWork, command: UpdateOrder) -> None:
    [outcome] = await order_service.update_orders(uow, [command])
    if outcome.error is not None:
        raise outcome.error


@router.post("/orders/{order_id}/hold")
async def hold(request: Request, change: ChangeDep, order_id: str) -> Response:
    """Put the order on hold with a reason: its stock is given back until it resumes."""
    reason = text(change.form, "reason", label="Reason")

    async def held(uow: UnitOfWork, order: int) -> None:
        await _update(
            uow, UpdateOrder(OrderRef("id", order), hold=HoldState.hold, hold_reason=reason)
        )

    return await _act(request, change, order_id, held, "held")


@router.post("/orders/{order_id}/resume")
async def resume(request: Request, change: ChangeDep, order_id: str) -> Response:
    """Take the order off hold: it allocates again."""

    async def resumed(uow: UnitOfWork, order: int) -> None:
        await _update(uow, UpdateOrder(OrderRef("id", order), hold=HoldState.none))

    return await _act(request, change, order_id, resumed, "resumed")


def cancel_lines(form: FormData) -> tuple[CancelLine, ...]:
    """The line quantities a cancel form names (``cancel_<line id>``), zeros left out.

    Raises:
        InvalidRequestError: a quantity that is not a whole number.
    """
    lines = []
    for name in form:
        line_id = parse_id(name.removeprefix("cancel_")) if name.startswith("cancel_") else None
        if line_id is None:
            continue
        units = quantity(form, name, label="Units to cancel")
        if units:
            lines.append(CancelLine(line_id=line_id, quantity=units))
    return tuple(lines)


@router.post("/orders/{order_id}/cancel")
async def cancel(request: Request, change: ChangeDep, order_id: str) -> Response:
    """Cancel every open unit (``whole``), or the units given per line."""
    form = change.form
    reason = text(form, "reason", label="Reason")
    whole = form.get("whole") == "1"
    lines = () if whole else cancel_lines(form)

    async def cancelled(uow: UnitOfWork, order: int) -> None:
        if not whole and not lines:
            raise InvalidRequestError(
                "give the units to cancel of at least one line", field="lines"
            )
        await order_service.cancel_order(uow, CancelOrder(OrderRef("id", order), reason, lines))

    return await _act(request, change, order_id, cancelled, "cancelled")


@router.post("/orders/{order_id}/shipments")
async def create_shipments(request: Request, change: ChangeDep, order_id: str) -> Response:
    """One shipment per location for the allocated units no open shipment claims."""

    async def created(uow: UnitOfWork, order: int) -> None:
        await shipment_flow.create_all_shipments(uow, order)

    return await _act(request, change, order_id, created, "shipments")


@router.post("/orders/{order_id}/shipments/{shipment_id}/ship")
async def ship(request: Request, change: ChangeDep, order_id: str, shipment_id: str) -> Response:
    """Mark one of the order's shipments shipped, with its tracking number."""
    form = change.form
    tracking = text(form, "tracking_number", label="Tracking number", limit=100)
    carrier = text(form, "carrier", label="Carrier", limit=100)
    account = change.session.account_id

    async def shipped(uow: UnitOfWork, order: int) -> None:
        number = parse_id(shipment_id)
        if (
            number is None
            or (await get_shipment(read_uow(request, account), number)).order_id != order
        ):
            raise NotFoundError(f"order {order} has no shipment {shipment_id}", field="shipment")
        await shipment_flow.ship_shipment(uow, number, tracking_number=tracking, carrier=carrier)

    return await _act(request, change, order_id, shipped, "shipped")
