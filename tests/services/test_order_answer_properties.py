"""A placement answers exactly what a read of the order then gives.

``place_order`` makes its answer from what it wrote instead of reading the order back
(bench/README.md, "OrderDynamics create"). Whatever the order (kits, prices to four places,
coordinates to more, backorders, custom fields on the order and its lines, a channel or
none), the answer must equal the read, field for field.
"""

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import DataType, FieldValue, NewCustomField
from orderyard.domain.order import Customer
from orderyard.domain.values import Address
from orderyard.services import account as account_service
from orderyard.services import custom_field as custom_field_service
from orderyard.services import order as order_service
from orderyard.services.order import LineInput, OrderFields, OrderRef, PlaceOrder
from orderyard.store.engine import create_engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory

SKUS = ("P-1", "P-2", "KIT")
MONEY = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False)
DEGREES = st.decimals(min_value=-80, max_value=80, places=6, allow_nan=False)

lines = st.builds(
    LineInput,
    sku=st.sampled_from(SKUS),
    quantity=st.integers(1, 6),
    unit_price=MONEY,
    external_id=st.sampled_from(("", "L-1", "L-2")),
    tax=MONEY,
    discount=MONEY,
    custom_fields=st.lists(
        st.builds(FieldValue, name=st.just("Gift"), value=st.sampled_from(("true", "False", None))),
        max_size=1,
    ).map(tuple),
)
commands = st.builds(
    PlaceOrder,
    order_number=st.just("EXT-1"),
    lines=st.lists(lines, min_size=1, max_size=4).map(tuple),
    shipping_method=st.sampled_from((None, "Pick")),
    address=st.builds(
        Address,
        line1=st.just("1 Main St"),
        country_code=st.just("CA"),
        latitude=st.none() | DEGREES,
        longitude=st.none() | DEGREES,
    ),
    channel_name=st.sampled_from((None, "Web")),
    currency=st.just("CAD"),
    customer=st.builds(Customer, external_id=st.just("C-1"), email=st.just("a@example.com")),
    custom_fields=st.lists(
        st.builds(FieldValue, name=st.just("Ref"), value=st.text("abc", max_size=3)),
        max_size=1,
    ).map(tuple),
)


def _values(fields: OrderFields) -> tuple[object, ...]:
    """The values of custom fields, without the times they were written at."""
    return (
        [(v.name, v.value) for v in fields.order],
        {line: [(v.name, v.value) for v in kept] for line, kept in fields.lines.items()},
    )


async def _example(db_url: str, stock: tuple[int, int], command: PlaceOrder) -> None:
    engines = create_engines(db_url, pool_size=2)
    try:
        account = await account_service.create_account(
            SystemUnitOfWork(engines.write),
            "Example",
            shipping_methods=("Pick",),
            channels=("Web",),
        )
        make = Factory(engines, account.account_id)
        await make.location("DC-1")
        for sku, on_hand in zip(("P-1", "P-2"), stock, strict=True):
            await make.item(sku)
            await make.stock("DC-1", sku, on_hand)
        await make.kit("KIT", ("P-1", 2), ("P-2", 1))
        for owner, name, data_type in (
            (OwnerType.order, "Ref", DataType.text),
            (OwnerType.order_line, "Gift", DataType.boolean),
        ):
            await custom_field_service.define_custom_field(
                make.uow(), NewCustomField(owner, name, name, data_type)
            )

        answered, answered_fields = await order_service.place_order(
            UnitOfWork(engines.write, account.account_id), command
        )
        read, read_fields = await order_service.get_order_with_fields(
            ReadUnitOfWork(engines.read, account.account_id), OrderRef("id", answered.id)
        )

        assert answered == read
        assert _values(answered_fields) == _values(read_fields)
    finally:
        await engines.dispose()


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stock=st.tuples(st.integers(0, 8), st.integers(0, 8)), command=commands)
def test_a_placement_answers_what_a_read_of_the_order_gives(
    db_url: str, stock: tuple[int, int], command: PlaceOrder
) -> None:
    asyncio.run(_example(db_url, stock, command))
