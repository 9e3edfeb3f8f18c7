"""Core Table objects: the schema of both backends.

Every table that holds tenant data carries ``account_id`` and leads its unique keys and indexes
with it (DESIGN.md), so that every query is an index range inside one account and the schema can
later be distributed by account.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)

from orderyard.store.types import ScaledDecimal, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")
"""Primary keys: BIGINT on PostgreSQL; INTEGER on SQLite, where only that is the rowid alias."""


def _id() -> Column[int]:
    return Column("id", Id, primary_key=True, autoincrement=True)


def _account() -> Column[int]:
    return Column("account_id", Id, ForeignKey("accounts.id"), nullable=False)


def _created() -> Column[object]:
    return Column("created_at", UTCDateTime(), nullable=False)


accounts = Table(
    "accounts",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("allocation_strategy", String(32), nullable=False, server_default="by_priority"),
    Column("ships_on_allocation", Boolean, nullable=False, server_default=text("false")),
    Column("sends_emails", Boolean, nullable=False, server_default=text("true")),
    _created(),
    Index(None, "key_hash", unique=True),
)

locations = Table(
    "locations",
    metadata,
    _id(),
    _account(),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("priority", Integer, nullable=False, server_default="100"),
    Column("ships_orders", Boolean, nullable=False, server_default=text("true")),
    Column("allows_pickup", Boolean, nullable=False, server_default=text("false")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("address1", String(200), nullable=False, server_default=""),
    Column("city", String(100), nullable=False, server_default=""),
    Column("state", String(100), nullable=False, server_default=""),
    Column("zip", String(32), nullable=False, server_default=""),
    Column("country", String(64), nullable=False, server_default=""),
    Column("latitude", ScaledDecimal()),
    Column("longitude", ScaledDecimal()),
    _created(),
    Column("address2", String(200), nullable=False, server_default=""),
    Column("first_name", String(200), nullable=False, server_default=""),
    Column("last_name", String(200), nullable=False, server_default=""),
    Column("company", String(200), nullable=False, server_default=""),
    Column("phone", String(64), nullable=False, server_default=""),
    Column("email", String(200), nullable=False, server_default=""),
    Column("nickname", String(200), nullable=False, server_default=""),
    Column("deleted_at", UTCDateTime()),
    UniqueConstraint("account_id", "code"),
)
"""A deleted location keeps its row (``deleted_at``): history names it and codes are never
reused. Every read of the store leaves deleted locations out."""


def _named_registry(name: str, *extra: Column[object]) -> Table:
    """A per-account list of names (suppliers, package types, shipping methods, channels)."""
    return Table(
        name,
        metadata,
        _id(),
        _account(),
        Column("name", String(200), nullable=False),
        *extra,
        _created(),
        UniqueConstraint("account_id", "name"),
    )


suppliers = _named_registry("suppliers")
package_types = _named_registry("package_types")
shipping_methods = _named_registry(
    "shipping_methods", Column("carrier", String(100), nullable=False, server_default="")
)
channels = _named_registry("channels")
"""Sales channels: ShipEdge carts/stores (``store_name``), OrderDynamics sales channels."""

products = Table(
    "products",
    metadata,
    _id(),
    _account(),
    Column("backend_name", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "backend_name"),
    UniqueConstraint("account_id", "name"),
    Index(None, "account_id", "id"),
)
"""Styles or families that group items (OrderDynamics' products), by backend name and name."""

items = Table(
    "items",
    metadata,
    _id(),
    _account(),
    Column("sku", String(100), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("width", ScaledDecimal(), nullable=False, server_default="0"),
    Column("length", ScaledDecimal(), nullable=False, server_default="0"),
    Column("height", ScaledDecimal(), nullable=False, server_default="0"),
    Column("weight", ScaledDecimal(), nullable=False, server_default="0"),
    Column("cost", ScaledDecimal(), nullable=False, server_default="0"),
    Column("retail", ScaledDecimal(), nullable=False, server_default="0"),
    Column("upc", String(64), nullable=False, server_default=""),
    Column("harmonization_code", String(32), nullable=False, server_default=""),
    Column("supplier_id", Id, ForeignKey("suppliers.id")),
    Column("location_id", Id, ForeignKey("locations.id")),
    Column("package_type_id", Id, ForeignKey("package_types.id")),
    Column("pick_style", String(16), nullable=False, server_default="STANDARD"),
    Column("one_time", Boolean, nullable=False, server_default=text("false")),
    Column("case_qty", Integer),
    Column("category", String(200), nullable=False, server_default=""),
    Column("model", String(200), nullable=False, server_default=""),
    Column("manufacturer", String(200), nullable=False, server_default=""),
    Column("client_option1", String(200), nullable=False, server_default=""),
    Column("client_option2", String(200), nullable=False, server_default=""),
    Column("client_option3", String(200), nullable=False, server_default=""),
    Column("image_url", String(1000), nullable=False, server_default=""),
    Column("is_kit", Boolean, nullable=False, server_default=text("false")),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("product_id", Id, ForeignKey("products.id")),
    UniqueConstraint("account_id", "sku"),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "created_at", "id"),
    Index(None, "account_id", "updated_at", "id"),
    Index(None, "account_id", "product_id", "id"),
    Index(
        "ix_items_kits",
        "account_id",
        "id",
        sqlite_where=text("is_kit = 1"),
        postgresql_where=text("is_kit = true"),
    ),
)
"""Products sort by id, SKU, creation or last change; ``ix_items_kits`` pages the synsets.
``product_id`` groups items under an OrderDynamics product (a style), listed by its index."""

item_categories = Table(
    "item_categories",
    metadata,
    _account(),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("category", String(200), nullable=False),
    _created(),
    UniqueConstraint("account_id", "item_id", "category"),
)
"""The categories an item is listed under (OrderDynamics ``Categories``), any number of them."""

item_prices = Table(
    "item_prices",
    metadata,
    _account(),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("list_price", ScaledDecimal(), nullable=False),
    Column("sale_price", ScaledDecimal()),
    Column("sale_starts_at", UTCDateTime()),
    Column("sale_ends_at", UTCDateTime()),
    Column("currency", String(3), nullable=False),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "item_id", "channel_id"),
    CheckConstraint("list_price >= 0", name="list_price_not_negative"),
)
"""Site pricing: one SKU's price on one sales channel, with an optional sale window."""

kit_components = Table(
    "kit_components",
    metadata,
    _account(),
    Column("kit_item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("component_item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    UniqueConstraint("account_id", "kit_item_id", "component_item_id"),
    Index(None, "account_id", "component_item_id"),
)

aliases = Table(
    "aliases",
    metadata,
    _id(),
    _account(),
    Column("alias", String(100), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("channel_id", Id, ForeignKey("channels.id")),
    Column("location_id", Id, ForeignKey("locations.id")),
    _created(),
    UniqueConstraint("account_id", "alias"),
    Index(None, "account_id", "channel_id", "id"),
    Index(None, "account_id", "location_id", "id"),
)

stock_levels = Table(
    "stock_levels",
    metadata,
    _account(),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("on_hand", Integer, nullable=False, server_default="0"),
    Column("allocated", Integer, nullable=False, server_default="0"),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("safety_stock", Integer, nullable=False, server_default="0"),
    Column("reserved_expires_at", UTCDateTime()),
    Column("bypassed", Integer, nullable=False, server_default="0"),
    CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    CheckConstraint("allocated >= 0", name="allocated_not_negative"),
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    CheckConstraint("bypassed >= 0", name="bypassed_not_negative"),
    CheckConstraint("allocated <= on_hand + bypassed", name="allocated_within_on_hand_or_bypassed"),
    UniqueConstraint("account_id", "item_id", "location_id"),
)
"""Keyed item first: every read of stock (an item's locations, the candidates of an order, the
stock view) starts from items, and the one index then serves them and the exact lookups.
``bypassed`` is the shortfall a pre-order release that bypassed the inventory requirement left
(``store/stock_figures.py``): the only units ``allocated`` may hold beyond ``on_hand``."""

reservations = Table(
    "reservations",
    metadata,
    _id(),
    _account(),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("reference", String(100), nullable=False, server_default=""),
    Column("quantity", Integer, nullable=False),
    Column("expires_at", UTCDateTime()),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    UniqueConstraint("account_id", "item_id", "location_id", "reference"),
)
"""Units held aside at a level, one row per (level, reference), optionally until
``expires_at``. The level's ``reserved`` is their sum as of their last change and
``reserved_expires_at`` their earliest expiry: allocation checks the level's row alone, and a
level whose earliest expiry has passed is settled (expired rows deleted, the sum recomputed)
under the level's lock before stock is taken from it (docs/decisions.md, "Reservations expire
without a sweeper"). Reads subtract the expired ones at once."""

inventory_movements = Table(
    "inventory_movements",
    metadata,
    _id(),
    Column("account_id", Id, nullable=False),
    Column("location_id", Id, nullable=False),
    Column("item_id", Id, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("on_hand_delta", Integer, nullable=False),
    Column("allocated_delta", Integer, nullable=False),
    Column("order_id", Id),
    Column("reference", String(100), nullable=False, server_default=""),
    _created(),
    Index(None, "account_id", "location_id", "item_id", "id"),
    Index(None, "account_id", "order_id"),
)
"""The ledger: append-only, one row per change of a stock level, written in the same statement
as that change. No foreign keys: every movement names a level that exists (the level's own keys
guard it, and no level, item, location or account is ever deleted), and the checks cost a
lookup each, three per row on the feed's and every order's hottest insert
(docs/decisions.md, "The ledger has no foreign keys")."""

orders = Table(
    "orders",
    metadata,
    _id(),
    _account(),
    Column("order_number", String(100), nullable=False),
    Column("reference", String(100), nullable=False, server_default=""),
    Column("channel_id", Id, ForeignKey("channels.id")),
    Column("shipping_method_id", Id, ForeignKey("shipping_methods.id")),
    Column("order_type", Integer, nullable=False, server_default="1"),
    Column("status", String(32), nullable=False),
    Column("hold", String(16), nullable=False, server_default="none"),
    Column("hold_reason", String(200), nullable=False, server_default=""),
    Column("sub_status", String(100), nullable=False, server_default=""),
    Column("email", String(200), nullable=False, server_default=""),
    Column("phone", String(64), nullable=False, server_default=""),
    Column("firstname", String(100), nullable=False, server_default=""),
    Column("lastname", String(100), nullable=False, server_default=""),
    Column("company", String(200), nullable=False, server_default=""),
    Column("address1", String(200), nullable=False, server_default=""),
    Column("address2", String(200), nullable=False, server_default=""),
    Column("city", String(100), nullable=False, server_default=""),
    Column("state", String(100), nullable=False, server_default=""),
    Column("zip", String(32), nullable=False, server_default=""),
    Column("country", String(64), nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Column("currency", String(3), nullable=False, server_default="USD"),
    Column("total", ScaledDecimal(), nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="1"),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("ordered_at", UTCDateTime()),
    Column("customer_external_id", String(100), nullable=False, server_default=""),
    Column("customer_email", String(200), nullable=False, server_default=""),
    Column("customer_first_name", String(100), nullable=False, server_default=""),
    Column("customer_last_name", String(100), nullable=False, server_default=""),
    Column("customer_phone", String(64), nullable=False, server_default=""),
    Column("nickname", String(200), nullable=False, server_default=""),
    Column("billing_firstname", String(100), nullable=False, server_default=""),
    Column("billing_lastname", String(100), nullable=False, server_default=""),
    Column("billing_company", String(200), nullable=False, server_default=""),
    Column("billing_address1", String(200), nullable=False, server_default=""),
    Column("billing_address2", String(200), nullable=False, server_default=""),
    Column("billing_city", String(100), nullable=False, server_default=""),
    Column("billing_state", String(100), nullable=False, server_default=""),
    Column("billing_zip", String(32), nullable=False, server_default=""),
    Column("billing_country", String(64), nullable=False, server_default=""),
    Column("billing_phone", String(64), nullable=False, server_default=""),
    Column("billing_email", String(200), nullable=False, server_default=""),
    Column("billing_nickname", String(200), nullable=False, server_default=""),
    Column("latitude", ScaledDecimal()),
    Column("longitude", ScaledDecimal()),
    Column("billing_latitude", ScaledDecimal()),
    Column("billing_longitude", ScaledDecimal()),
    Column("payment_count", Integer, nullable=False, server_default="0"),
    Column("has_custom_fields", Boolean, nullable=False, server_default=text("false")),
    UniqueConstraint("account_id", "order_number"),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "reference"),
    Index(None, "account_id", "hold", "status", "id"),
    Index(None, "account_id", "created_at", "id"),
    Index(None, "account_id", "channel_id", "id"),
    Index(None, "account_id", "order_type", "id"),
    Index(None, "account_id", "customer_external_id", "id"),
    Index(None, "account_id", "updated_at", "id"),
    Index(None, "account_id", "customer_email", "id"),
    Index(None, "account_id", "ordered_at", "id"),
    Index(
        "ix_orders_order_number_prefix",
        "account_id",
        "order_number",
        "id",
        postgresql_ops={"order_number": "varchar_pattern_ops"},
    ),
)
"""``ix_orders_order_number_prefix`` finds an order-number prefix (``LIKE 'x%'``) whatever the
database's collation: the unique (account_id, order_number) index serves it only under "C".
It ends with ``id`` so that a list page's ids come from the index alone (migration 0036).

``ordered_at`` is when the client says the order was placed (``created_at`` when it does
not say); the customer is apart from the shipping address's contact (migration 0014).
``payment_count`` counts its ``payments`` rows, so that a read of an order without payments
(nearly every ShipEdge one) does not look for them (migration 0017); ``has_custom_fields``
says whether the order, a line or a payment of it ever had an attribute set, so that a read
of an order without (most) does not look for them either (migration 0021)."""

payments = Table(
    "payments",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("method", String(16), nullable=False),
    Column("amount", ScaledDecimal(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reference", String(200), nullable=False, server_default=""),
    Column("gateway", String(100), nullable=False, server_default=""),
    Column("card_token", String(200)),
    Column("card_brand", String(32), nullable=False, server_default=""),
    Column("card_last_four", String(4), nullable=False, server_default=""),
    Column("card_expiry_month", Integer),
    Column("card_expiry_year", Integer),
    _created(),
    CheckConstraint("amount > 0", name="amount_positive"),
    Index(None, "account_id", "order_id", "id"),
)
"""How an order is paid; a card only as its gateway token (``card_token`` null: no card)."""

payment_transactions = Table(
    "payment_transactions",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("payment_id", Id, ForeignKey("payments.id")),
    Column("kind", String(16), nullable=False),
    Column("amount", ScaledDecimal(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reference", String(200), nullable=False, server_default=""),
    _created(),
    Column("invoice_id", Id, ForeignKey("invoices.id")),
    Index(None, "account_id", "order_id", "id"),
    Index(None, "account_id", "invoice_id"),
)
"""The ledger of an order's money: every authorization, capture, invoice, credit memo,
refund and offline payment is one row, never changed; every figure of an order's money is a
sum of it (``domain/ledger.py``). ``payment_id`` names the payment money moved on (none for
an invoice or a memo); ``invoice_id`` the invoice or memo an entry is for (migration 0023)."""

invoices = Table(
    "invoices",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("status", String(8), nullable=False),
    Column("payment_state", String(8), nullable=False, server_default="none"),
    Column("amount", ScaledDecimal(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("shipment_id", Id, ForeignKey("shipments.id")),
    Column("credited_invoice_id", Id, ForeignKey("invoices.id")),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("attempt_started_at", UTCDateTime()),
    Column("failure", String(200), nullable=False, server_default=""),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
    Index(None, "account_id", "order_id", "id"),
    Index(None, "account_id", "created_at", "id"),
    Index(None, "account_id", "status", "id"),
    Index(None, "account_id", "kind", "id"),
)
"""Sales invoices (``kind`` sales) and credit memos (``kind`` credit, ``credited_invoice_id``
the invoice they credit). ``payment_state`` is where the gateway call stands; a claim of a
call is one conditional UPDATE of it, so two retries never both call (migration 0023)."""

invoice_lines = Table(
    "invoice_lines",
    metadata,
    _id(),
    _account(),
    Column("invoice_id", Id, ForeignKey("invoices.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("amount", ScaledDecimal(), nullable=False),
    Column("tax_amount", ScaledDecimal(), nullable=False),
    Column("discount_amount", ScaledDecimal(), nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index(None, "account_id", "invoice_id"),
    Index(None, "account_id", "order_line_id"),
)
"""Units of order lines on an invoice or memo, priced by the rounding rule of
``domain/invoice.py``."""

order_lines = Table(
    "order_lines",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("requested_sku", String(100), nullable=False, server_default=""),
    Column("kit_sku", String(100), nullable=False, server_default=""),
    Column("quantity", Integer, nullable=False),
    Column("allocated", Integer, nullable=False, server_default="0"),
    Column("shipped", Integer, nullable=False, server_default="0"),
    Column("cancelled", Integer, nullable=False, server_default="0"),
    Column("returned", Integer, nullable=False, server_default="0"),
    Column("backordered", Integer, nullable=False, server_default="0"),
    Column("unit_price", ScaledDecimal(), nullable=False, server_default="0"),
    Column("external_id", String(100), nullable=False, server_default=""),
    Column("tax_amount", ScaledDecimal(), nullable=False, server_default="0"),
    Column("discount_amount", ScaledDecimal(), nullable=False, server_default="0"),
    Column("preordered", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint(
        "allocated >= 0 AND shipped >= 0 AND cancelled >= 0 AND returned >= 0 AND backordered >= 0",
        name="counts_not_negative",
    ),
    CheckConstraint("allocated + shipped + cancelled <= quantity", name="within_quantity"),
    CheckConstraint("returned <= shipped", name="returned_within_shipped"),
    UniqueConstraint("account_id", "order_id", "line_no"),
    Index(None, "account_id", "sku", "order_id"),
    Index(
        "ix_order_lines_backorders",
        "account_id",
        "item_id",
        "order_id",
        sqlite_where=text("backordered > 0"),
        postgresql_where=text("backordered > 0"),
    ),
)
"""``backordered`` is the open demand waiting for stock; the partial index finds it oldest first."""

allocations = Table(
    "allocations",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    UniqueConstraint("account_id", "order_line_id", "location_id"),
    Index(None, "account_id", "order_id"),
    Index(None, "account_id", "location_id", "order_id"),
)
"""Which location promised how many units of an order line (shipped units leave this table)."""

shipments = Table(
    "shipments",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("carrier", String(100), nullable=False, server_default=""),
    Column("tracking_number", String(100), nullable=False, server_default=""),
    _created(),
    Column("shipped_at", UTCDateTime()),
    Column("delivered_at", UTCDateTime()),
    Index(None, "account_id", "order_id"),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "created_at", "id"),
    Index(None, "account_id", "status", "id"),
    Index(None, "account_id", "location_id", "id"),
    Index(
        "ix_shipments_shipped",
        "account_id",
        "shipped_at",
        sqlite_where=text("shipped_at IS NOT NULL"),
        postgresql_where=text("shipped_at IS NOT NULL"),
    ),
)
"""``ix_shipments_shipped`` finds what shipped in a time window (the dashboard's units shipped
per day); a shipment enters it when it ships, so creating one maintains nothing more."""

shipment_tracking = Table(
    "shipment_tracking",
    metadata,
    _id(),
    _account(),
    Column("shipment_id", Id, ForeignKey("shipments.id"), nullable=False),
    Column("carrier", String(100), nullable=False, server_default=""),
    Column("number", String(100), nullable=False),
    Column("url", String(500), nullable=False, server_default=""),
    _created(),
    UniqueConstraint("account_id", "shipment_id", "number"),
)
"""Tracking numbers of a shipment, oldest first; the first one is also the shipment's
``carrier``/``tracking_number`` (what ShipEdge and the CLI show)."""

shipment_lines = Table(
    "shipment_lines",
    metadata,
    _id(),
    _account(),
    Column("shipment_id", Id, ForeignKey("shipments.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index(None, "account_id", "shipment_id"),
)

returns = Table(
    "returns",
    metadata,
    _id(),
    _account(),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id")),
    Column("status", String(16), nullable=False),
    Column("outcome", String(16), nullable=False, server_default=""),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "order_id"),
    Index(None, "account_id", "status", "id"),
    Index(None, "account_id", "created_at", "id"),
)

return_lines = Table(
    "return_lines",
    metadata,
    _id(),
    _account(),
    Column("return_id", Id, ForeignKey("returns.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("reason", String(200), nullable=False, server_default=""),
    Column("received_good", Integer, nullable=False, server_default="0"),
    Column("received_damaged", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index(None, "account_id", "return_id"),
)

replenishments = Table(
    "replenishments",
    metadata,
    _id(),
    _account(),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("eta", Date),
    Column("reference", String(100), nullable=False, server_default=""),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "account_id", "id"),
)

replenishment_lines = Table(
    "replenishment_lines",
    metadata,
    _id(),
    _account(),
    Column("replenishment_id", Id, ForeignKey("replenishments.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("received", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("received >= 0", name="received_not_negative"),
    UniqueConstraint("account_id", "replenishment_id", "item_id"),
)

manufacture_orders = Table(
    "manufacture_orders",
    metadata,
    _id(),
    _account(),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    _created(),
    Column("completed_at", UTCDateTime()),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index(None, "account_id", "id"),
)

serials = Table(
    "serials",
    metadata,
    _id(),
    _account(),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("serial", String(100), nullable=False),
    _created(),
    UniqueConstraint("account_id", "item_id", "serial"),
)

attributes = Table(
    "attributes",
    metadata,
    _id(),
    _account(),
    Column("owner_type", String(32), nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("name", String(100), nullable=False),
    Column("value", Text, nullable=False, server_default=""),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "owner_type", "owner_id", "name"),
)
"""Custom fields on any record (ShipEdge attributes on orders, products and serials)."""

item_locations = Table(
    "item_locations",
    metadata,
    _id(),
    _account(),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    _created(),
    UniqueConstraint("account_id", "item_id", "location_id"),
)
"""One SKU at one location as the owner of custom field values (``attributes`` rows of owner
type ``item_location``, ``owner_id`` this row's id). Apart from ``stock_levels`` so that values
can be set where no stock is kept, without a zero level or a ledger movement, and so that the
hot stock rows carry no id they do not need (docs/decisions.md, "Item-location custom fields")."""

custom_fields = Table(
    "custom_fields",
    metadata,
    _id(),
    _account(),
    Column("owner_type", String(32), nullable=False),
    Column("system_name", String(100), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("data_type", String(16), nullable=False),
    Column("required", Boolean, nullable=False, server_default=text("false")),
    Column("allowed_values", Text, nullable=False, server_default="[]"),
    _created(),
    UniqueConstraint("account_id", "owner_type", "system_name"),
)
"""Custom field metadata: the definition of each custom field of an owner type (a JSON list
of allowed values for a List field); the values are ``attributes`` rows of that name."""

inventory_pools = Table(
    "inventory_pools",
    metadata,
    _id(),
    _account(),
    Column("internal_name", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("percentage", Integer, nullable=False, server_default="100"),
    Column("buffer", Integer, nullable=False, server_default="0"),
    _created(),
    CheckConstraint("percentage >= 0 AND percentage <= 100", name="percentage_in_range"),
    CheckConstraint("buffer >= 0", name="buffer_not_negative"),
    UniqueConstraint("account_id", "internal_name"),
)
"""Virtual inventory pools: the share (``percentage``) of their locations' summed available
units they show, minus ``buffer`` units (docs/dialects/orderdynamics.md, "Virtual inventory")."""

inventory_pool_locations = Table(
    "inventory_pool_locations",
    metadata,
    _account(),
    Column("pool_id", Id, ForeignKey("inventory_pools.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    UniqueConstraint("account_id", "pool_id", "location_id"),
    Index(None, "account_id", "location_id"),
)
"""The locations a pool combines; by location too, to name the pools a location is in."""

inventory_pool_groups = Table(
    "inventory_pool_groups",
    metadata,
    _id(),
    _account(),
    Column("internal_name", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    _created(),
    UniqueConstraint("account_id", "internal_name"),
)
"""Inventory pool groups: named collections of pools, the unit virtual inventory is read by."""

inventory_pool_group_members = Table(
    "inventory_pool_group_members",
    metadata,
    _account(),
    Column("group_id", Id, ForeignKey("inventory_pool_groups.id"), nullable=False),
    Column("pool_id", Id, ForeignKey("inventory_pools.id"), nullable=False),
    UniqueConstraint("account_id", "group_id", "pool_id"),
    Index(None, "account_id", "pool_id"),
)
"""The pools of each group; by pool too, to name the groups a pool is in."""

tax_rates = Table(
    "tax_rates",
    metadata,
    _id(),
    _account(),
    Column("backend_name", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("rate", ScaledDecimal(), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("region", String(100), nullable=False, server_default=""),
    Column("postal_prefix", String(32), nullable=False, server_default=""),
    Column("valid_from", UTCDateTime()),
    Column("valid_to", UTCDateTime()),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("rate >= 0 AND rate <= 1000000", name="rate_in_range"),
    UniqueConstraint("account_id", "backend_name"),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "rate", "id"),
    Index(None, "account_id", "country_code", "region", "postal_prefix", "id"),
)
"""Tax rates (``domain/tax.py``): ``rate`` is a percentage, stored scaled (100 % is 1000000);
the rates of an address are an index range of its country."""

shipping_rates = Table(
    "shipping_rates",
    metadata,
    _id(),
    _account(),
    Column("backend_name", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("shipping_method_id", Id, ForeignKey("shipping_methods.id"), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("region", String(100), nullable=False, server_default=""),
    Column("currency", String(3), nullable=False),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "backend_name"),
    Index(None, "account_id", "country_code", "region"),
)
"""Shipping rates (``domain/shipping.py``): a shipping method's price to a destination."""

shipping_rate_tiers = Table(
    "shipping_rate_tiers",
    metadata,
    _account(),
    Column("rate_id", Id, ForeignKey("shipping_rates.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("min_weight", ScaledDecimal(), nullable=False),
    Column("max_weight", ScaledDecimal()),
    Column("min_subtotal", ScaledDecimal(), nullable=False),
    Column("max_subtotal", ScaledDecimal()),
    Column("price", ScaledDecimal(), nullable=False),
    CheckConstraint("price >= 0 AND min_weight >= 0 AND min_subtotal >= 0", name="not_negative"),
    UniqueConstraint("account_id", "rate_id", "position"),
)
"""The tiers of each rate, by lower bounds (``position``): never overlapping (``check_tiers``)."""

events = Table(
    "events",
    metadata,
    _id(),
    _account(),
    Column("actor", String(100), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("record_type", String(32), nullable=False),
    Column("record_id", Id, nullable=False),
    Column("data", Text, nullable=False, server_default="{}"),
    _created(),
    Column("xid", BigInteger),
    Index(None, "account_id", "record_type", "record_id"),
    Index(None, "account_id", "record_id"),
    Index(None, "account_id", "actor", "id"),
    Index("ix_events_xid", "xid", postgresql_using="brin"),
)
"""The event log: who changed what, on which record, when. Written in the same transaction.
``(account_id, record_id)`` and ``(account_id, actor, id)`` serve OrderDynamics'
``FlexibleEvents`` (by ``OwnerId`` alone, and by one initiator).

It is also the webhooks' outbox. ``xid`` is the writing transaction's id on PostgreSQL (its
server default, ``pg_current_xact_id()``, with a BRIN index; NULL on SQLite): the fan-out
reads the events of transactions older than every one still running, so an event that
commits late with a lower ``id`` is never skipped (migration 0025)."""

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    _id(),
    _account(),
    Column("url", String(2000), nullable=False),
    Column("event_types", Text, nullable=False),
    Column("secret", String(100), nullable=False),
    Column("dialect", String(32), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("disabled_reason", String(500), nullable=False, server_default=""),
    Column("failed_in_row", Integer, nullable=False, server_default="0"),
    _created(),
    Index(None, "account_id", "id"),
)
"""An account's webhook endpoints; ``event_types`` space-separated."""

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    _id(),
    _account(),
    Column("subscription_id", Id, ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event_id", Id, nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("order_id", Id),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_try_at", UTCDateTime()),
    Column("response_code", Integer),
    Column("latency_ms", Integer),
    Column("error", String(500), nullable=False, server_default=""),
    _created(),
    Column("delivered_at", UTCDateTime()),
    UniqueConstraint("subscription_id", "event_id"),
    Index(None, "account_id", "subscription_id", "id"),
    Index(None, "status", "next_try_at"),
    Index(None, "subscription_id", "order_id", "event_id"),
)
"""Per-subscription delivery state of the events (the delivery log). The queue's index
``(status, next_try_at)`` does not lead with the account, like ``jobs``: a worker sends the
due deliveries of every account."""

webhook_cursor = Table(
    "webhook_cursor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
)
"""One row: how far the fan-out has read the event log (a transaction id on PostgreSQL, an
event id on SQLite, whose writers take turns)."""

emails = Table(
    "emails",
    metadata,
    _id(),
    _account(),
    Column("event_id", Id),
    Column("resend_of", Id, ForeignKey("emails.id")),
    Column("order_id", Id, ForeignKey("orders.id")),
    Column("template", String(32), nullable=False),
    Column("to_address", String(200), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", String(500), nullable=False, server_default=""),
    Column("next_try_at", UTCDateTime()),
    _created(),
    Column("sent_at", UTCDateTime()),
    UniqueConstraint("event_id"),
    Index(None, "account_id", "order_id", "id"),
    Index(None, "account_id", "id"),
    Index(None, "status", "next_try_at"),
)
"""The e-mail log (OrderDynamics' Emails API): one row per e-mail an event called for
(``event_id``, unique: an event read twice queues one), or per resend (``resend_of``, no
event). Filled and sent by the job worker from the event log (``domain/email.py``)."""

email_cursor = Table(
    "email_cursor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
)
"""One row: how far the e-mail sender has read the event log (as ``webhook_cursor``)."""
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    _account(),
    Column("scope", String(64), nullable=False),
    Column("key", String(255), nullable=False),
    Column("method", String(8), nullable=False),
    Column("path", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("claim", String(32), nullable=False),
    Column("lease_until", UTCDateTime(), nullable=False),
    Column("carried_out", Boolean, nullable=False, server_default=text("false")),
    Column("status", Integer),
    Column("response_body", LargeBinary),
    Column("response_headers", Text),
    _created(),
    PrimaryKeyConstraint("account_id", "scope"),
    Index(None, "created_at"),
)
"""Idempotency keys of keyed write requests (``http/idempotency.py``). ``scope`` is the
sha256 of method, path and key; ``status`` is NULL while the first request runs (its
``claim`` token fences the answer it stores); ``carried_out`` is set in the request's own
write transaction, so a claim without an answer is known to have committed or not. The
``created_at`` index serves the purge,
across accounts."""

jobs = Table(
    "jobs",
    metadata,
    _id(),
    _account(),
    Column("kind", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime()),
    Column("finished_at", UTCDateTime()),
    Column("total_rows", Integer, nullable=False),
    Column("chunk_rows", Integer, nullable=False),
    Column("operations_done", Integer, nullable=False, server_default="0"),
    Column("applied_rows", Integer, nullable=False, server_default="0"),
    Column("failed_rows", Integer, nullable=False, server_default="0"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("retries", Integer, nullable=False, server_default="0"),
    Column("claimed_by", String(200)),
    Column("lease_until", UTCDateTime()),
    Column("error", Text),
    Index(None, "account_id", "id"),
    Index(None, "status", "id"),
)
"""Bulk jobs. The queue's one index that does not lead with the account, ``(status, id)``: a
worker claims the oldest runnable job of every account (docs/decisions.md, "Bulk jobs")."""

job_payloads = Table(
    "job_payloads",
    metadata,
    Column("job_id", Id, ForeignKey("jobs.id"), primary_key=True),
    _account(),
    Column("rows", Text, nullable=False),
)
"""A job's rows, one compact JSON array, apart from ``jobs`` so that the job's frequent small
updates never rewrite them."""

job_operations = Table(
    "job_operations",
    metadata,
    _account(),
    Column("job_id", Id, ForeignKey("jobs.id"), nullable=False),
    Column("operation_id", Integer, nullable=False),
    Column("first_row", Integer, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("applied", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("finished_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "job_id", "operation_id"),
)
"""The finished operations of a job, written in the transaction that applied them: the
unique key lets an operation commit once only."""

job_failures = Table(
    "job_failures",
    metadata,
    _id(),
    _account(),
    Column("job_id", Id, ForeignKey("jobs.id"), nullable=False),
    Column("operation_id", Integer, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("field", String(64), nullable=False),
    Column("message", String(500), nullable=False),
    Index(None, "account_id", "job_id", "operation_id", "row_number"),
)
"""The rows of a job that were not applied, and why."""

customers = Table(
    "customers",
    metadata,
    _id(),
    _account(),
    Column("external_id", String(100), nullable=False, server_default=""),
    Column("email", String(200), nullable=False, server_default=""),
    Column("first_name", String(100), nullable=False, server_default=""),
    Column("last_name", String(100), nullable=False, server_default=""),
    Column("phone", String(64), nullable=False, server_default=""),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("forgotten_at", UTCDateTime()),
    Index(
        "uq_customers_account_id_external_id",
        "account_id",
        "external_id",
        unique=True,
        sqlite_where=text("external_id <> ''"),
        postgresql_where=text("external_id <> ''"),
    ),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "email", "id"),
    Index(None, "account_id", "last_name", "id"),
    Index(None, "account_id", "first_name", "id"),
    Index(None, "account_id", "phone", "id"),
    Index(None, "account_id", "created_at", "id"),
)
"""Customers (OrderDynamics' Customers API). ``external_id`` is unique in the account when
given. Orders are linked to customers when read, never by a column of ``orders``
(``domain/customer.py``, ``CustomerLink``). A forgotten customer keeps its row and id, with
every personal field emptied and ``forgotten_at`` set."""

customer_addresses = Table(
    "customer_addresses",
    metadata,
    _id(),
    _account(),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False),
    Column("external_id", String(100), nullable=False, server_default=""),
    Column("address_type", String(16), nullable=False, server_default="shipping"),
    Column("is_default_shipping", Boolean, nullable=False, server_default=text("false")),
    Column("first_name", String(200), nullable=False, server_default=""),
    Column("last_name", String(200), nullable=False, server_default=""),
    Column("company", String(200), nullable=False, server_default=""),
    Column("address1", String(200), nullable=False, server_default=""),
    Column("address2", String(200), nullable=False, server_default=""),
    Column("city", String(100), nullable=False, server_default=""),
    Column("state", String(100), nullable=False, server_default=""),
    Column("zip", String(32), nullable=False, server_default=""),
    Column("country", String(64), nullable=False, server_default=""),
    Column("phone", String(64), nullable=False, server_default=""),
    Column("email", String(200), nullable=False, server_default=""),
    Column("nickname", String(200), nullable=False, server_default=""),
    Column("latitude", ScaledDecimal()),
    Column("longitude", ScaledDecimal()),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("address_type IN ('shipping', 'billing')", name="address_type_known"),
    CheckConstraint(
        "NOT is_default_shipping OR address_type = 'shipping'", name="default_is_shipping"
    ),
    Index(None, "account_id", "customer_id", "id"),
    Index(
        "uq_customer_addresses_account_id_external_id",
        "account_id",
        "external_id",
        unique=True,
        sqlite_where=text("external_id <> ''"),
        postgresql_where=text("external_id <> ''"),
    ),
    Index(
        "uq_customer_addresses_default_shipping",
        "account_id",
        "customer_id",
        unique=True,
        sqlite_where=text("is_default_shipping = 1"),
        postgresql_where=text("is_default_shipping = true"),
    ),
)
"""A customer's address book, in the core's address columns (``store/addresses.py``). At
most one default shipping address per customer: writers lock the customer's row first, and
``uq_customer_addresses_default_shipping`` makes a second default impossible regardless."""

staff = Table(
    "staff",
    metadata,
    _id(),
    _account(),
    Column("email", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("token_digest", String(64)),
    Column("token_issued_at", UTCDateTime()),
    _created(),
    CheckConstraint("role IN ('admin', 'operator', 'read_only')", name="role_known"),
    UniqueConstraint("account_id", "email"),
    Index(None, "account_id", "id"),
    Index(None, "token_digest", unique=True),
    Index(None, "email"),
)
"""An account's staff users. ``email`` is stored lower-cased (unique in the account);
``password_hash`` is argon2id; ``token_digest`` is the SHA-256 of the staff member's one API
token (the token itself is shown once), unique across accounts because a token alone names its
staff member, as a key names its account. The console's sign-in looks a member up by ``email``
alone, before any account is known (migration 0033)."""

console_sessions = Table(
    "console_sessions",
    metadata,
    _id(),
    _account(),
    Column("staff_id", Id, ForeignKey("staff.id"), nullable=False),
    Column("token_digest", String(64), nullable=False),
    _created(),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index(None, "token_digest", unique=True),
    Index(None, "account_id", "staff_id", "id"),
)
"""A staff member's signed-in web console session (``services/console_sessions.py``). Only the
SHA-256 digest of the cookie's token is stored; signing out deletes the row, and a read of a
session joins its staff member and account, so disabling either ends it at the next request."""

images = Table(
    "images",
    metadata,
    _id(),
    _account(),
    Column("owner_name", String(16), nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("owner_key", String(200), nullable=False),
    Column("storage_key", String(200), unique=True),
    Column("file_name", String(255), nullable=False, server_default=""),
    Column("content_type", String(130)),
    Column("byte_size", BigInteger),
    Column("source_url", String(2000)),
    _created(),
    CheckConstraint("owner_name IN ('Product', 'Item')", name="owner_name_known"),
    CheckConstraint("(storage_key IS NULL) <> (source_url IS NULL)", name="stored_or_linked"),
    Index(None, "account_id", "owner_name", "owner_id", "id"),
)
"""Images of a product or an item (OrderDynamics Images API): bytes in the blob store under
``storage_key`` (``kit/storage.py``), or a URL recorded as sent (``source_url``), one of the
two. ``owner_id`` is the product's or item's id; ``owner_key`` the name the client used."""

notes = Table(
    "notes",
    metadata,
    _id(),
    _account(),
    Column("table_name", String(16), nullable=False),
    Column("record_id", Id, nullable=False),
    Column("key_value", String(200), nullable=False),
    Column("note_text", Text, nullable=False),
    Column("actor", String(100), nullable=False),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint(
        "table_name IN ('Order', 'Customer', 'Item', 'Product')", name="table_name_known"
    ),
    Index(None, "account_id", "table_name", "record_id", "id"),
    Index(None, "account_id", "id"),
)
"""Notes on any record (OrderDynamics Notes API), named by ``table_name`` and the record's id."""

note_attachments = Table(
    "note_attachments",
    metadata,
    _id(),
    _account(),
    Column("note_id", Id, ForeignKey("notes.id"), nullable=False),
    Column("storage_key", String(200), nullable=False, unique=True),
    Column("file_name", String(255), nullable=False, server_default=""),
    Column("content_type", String(130), nullable=False),
    Column("byte_size", BigInteger, nullable=False),
    _created(),
    Index(None, "account_id", "note_id", "id"),
    Index(None, "account_id", "id"),
)
"""Files attached to a note: bytes in the blob store under ``storage_key``."""
ticket_queues = Table(
    "ticket_queues",
    metadata,
    _id(),
    _account(),
    Column("name", String(100), nullable=False),
    _created(),
    UniqueConstraint("account_id", "name"),
    Index(None, "account_id", "id"),
)
"""The queues tickets are filed in. A queue comes into being when a ticket first names it
(create or update); its name is unique in the account, compared as given."""

tickets = Table(
    "tickets",
    metadata,
    _id(),
    _account(),
    Column("customer_id", Id, ForeignKey("customers.id")),
    Column("order_id", Id, ForeignKey("orders.id")),
    Column("subject", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("queue_id", Id, ForeignKey("ticket_queues.id")),
    Column("assignee_id", Id, ForeignKey("staff.id")),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("status IN ('open', 'pending', 'resolved', 'closed')", name="status_known"),
    CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name="priority_known"),
    Index(None, "account_id", "id"),
    Index(None, "account_id", "customer_id", "id"),
    Index(None, "account_id", "updated_at", "id"),
    Index(None, "account_id", "status", "id"),
    Index(None, "account_id", "priority", "id"),
)
"""Support tickets (OrderDynamics' Tickets API), optionally of a customer and of an order.
Their sortable columns each have an index leading with the account."""

ticket_events = Table(
    "ticket_events",
    metadata,
    _id(),
    _account(),
    Column("ticket_id", Id, ForeignKey("tickets.id"), nullable=False),
    Column("field", String(16), nullable=False),
    Column("old_value", String(100)),
    Column("new_value", String(100)),
    Column("actor", String(100), nullable=False),
    _created(),
    CheckConstraint("field IN ('status', 'priority', 'queue', 'assignee')", name="field_known"),
    Index(None, "account_id", "ticket_id", "id"),
    Index(None, "account_id", "id"),
)
"""One row per change of a ticket's tracked field (``domain/ticket.py``): who, when, before
(``old_value``) and after (``new_value``); a new ticket's fields are changes from nothing.
Replayed in ``id`` order they rebuild the ticket's tracked fields."""


preorder_waves = Table(
    "preorder_waves",
    metadata,
    _id(),
    _account(),
    Column("external_id", String(100), nullable=False, server_default=""),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("planned", Integer, nullable=False),
    Column("sequenced", Integer, nullable=False, server_default="0"),
    Column("released", Integer, nullable=False, server_default="0"),
    Column("next_position", Integer, nullable=False, server_default="1"),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("release_at", UTCDateTime(), nullable=False),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("sequenced >= 0 AND released >= 0", name="counts_not_negative"),
    CheckConstraint("sequenced + released <= planned", name="within_planned"),
    Index(None, "account_id", "item_id", "id"),
    Index(None, "account_id", "external_id", "id"),
    Index(None, "account_id", "location_id", "id"),
    Index(
        "ix_preorder_waves_open",
        "account_id",
        "item_id",
        "release_at",
        "id",
        sqlite_where=text("status = 'open'"),
        postgresql_where=text("status = 'open'"),
    ),
)
"""A planned quantity of an item at a location, released on a date. ``sequenced`` counts the
units of lines waiting in it, ``released`` those a release allocated; together never past
``planned``. Only an ``open`` wave takes new lines (the partial index finds them, earliest
release first); a release closes it (``released``)."""

OPEN_WAVE = preorder_waves.c.status == literal_column("'open'")
"""The wave is open, written as a constant (never a bound parameter) so that PostgreSQL can
prove the partial index ``ix_preorder_waves_open`` serves the statement, generic plan too."""

preorder_lines = Table(
    "preorder_lines",
    metadata,
    _id(),
    _account(),
    Column("wave_id", Id, ForeignKey("preorder_waves.id"), nullable=False),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("released", Integer, nullable=False, server_default="0"),
    Column("country", String(64), nullable=False, server_default=""),
    Column("delivery_override_at", UTCDateTime()),
    _created(),
    CheckConstraint("quantity >= 0 AND released >= 0", name="counts_not_negative"),
    UniqueConstraint("account_id", "order_line_id"),
    UniqueConstraint("account_id", "wave_id", "position"),
)
"""An order line's place in a wave: ``position`` is first placed, first served; ``quantity``
the units still waiting there, ``released`` those a release allocated."""

preorder_release_schedules = Table(
    "preorder_release_schedules",
    metadata,
    _id(),
    _account(),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("country", String(2), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id")),
    Column("release_at", UTCDateTime(), nullable=False),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "item_id", "country"),
    Index(None, "account_id", "country", "id"),
)
"""When (and, given a location, from where) a country's pre-orders of an item are released."""
