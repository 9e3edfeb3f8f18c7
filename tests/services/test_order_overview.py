"""An order's overview (the console's order page): everything in a fixed number of reads."""

from orderyard.domain.order import HoldState
from orderyard.domain.staff import Role
from orderyard.services import staff as staff_service
from orderyard.services.account import NewAccount
from orderyard.services.order import OrderRef, UpdateOrder, update_orders
from orderyard.services.order.overview import order_overview
from orderyard.services.shipment import flow as shipment_flow
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.statements import counted


async def _placed(make: Factory, number: str, units: int) -> int:
    outcome = await make.order(("SKU-1", units), number=number)
    assert outcome.order_id is not None
    return outcome.order_id


async def test_the_overview_names_the_staff_member_behind_each_change(
    make: Factory, engines: Engines, account: NewAccount, read_uow: ReadUnitOfWork
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    order_id = await _placed(make, "ORD-1", 2)
    member = await staff_service.create_staff(
        UnitOfWork(engines.write, account.account_id, actor="test"),
        "ops@acme.example",
        Role.OPERATOR,
        "a long enough password",
    )
    as_staff = UnitOfWork(engines.write, account.account_id, actor=f"staff:{member.id}")
    await update_orders(as_staff, [UpdateOrder(OrderRef("id", order_id), hold=HoldState.hold)])
    await update_orders(as_staff, [UpdateOrder(OrderRef("id", order_id), hold=HoldState.none)])
    [shipment] = await shipment_flow.create_all_shipments(as_staff, order_id)
    await shipment_flow.ship_shipment(as_staff, shipment.id, tracking_number="1Z9")

    overview = await order_overview(read_uow, order_id)

    assert overview.order.order_number == "ORD-1"
    assert [s.id for s in overview.shipments] == [shipment.id]
    assert overview.shipments[0].tracking[0].number == "1Z9"
    assert overview.payments == []
    kinds = [(e.kind, overview.timeline.who(e)) for e in overview.timeline.events]
    assert kinds == [
        ("order_placed", "test"),
        ("order_held", "ops@acme.example"),
        ("order_updated", "ops@acme.example"),
        ("order_resumed", "ops@acme.example"),
        ("order_updated", "ops@acme.example"),
        ("shipment_created", "ops@acme.example"),
        ("shipment_shipped", "ops@acme.example"),
    ]


async def test_the_overview_reads_as_many_statements_for_many_shipments_as_for_one(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    await make.location("DC-1")
    await make.location("DC-2", priority=2)
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 3)
    await make.stock("DC-2", "SKU-1", 5)
    one = await _placed(make, "ORD-1", 1)
    two = await _placed(make, "ORD-2", 4)  # 2 at DC-1, 2 at DC-2
    for order_id in (one, two):
        await shipment_flow.create_all_shipments(make.uow(), order_id)

    with counted(engines.read) as few:
        small = await order_overview(read_uow, one)
    with counted(engines.read) as more:
        large = await order_overview(read_uow, two)

    assert (len(small.shipments), len(large.shipments)) == (1, 2)
    assert len(few) == len(more)
