"""Products: the styles or families that group items (OrderDynamics' Products API).

A product is identified by its backend name, which never changes; its name is unique too, so
that a client can read or delete it by either. Items point to at most one product.
"""

from dataclasses import dataclass

from orderyard.domain.catalog import Product
from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class NewProduct:
    """A product to create."""

    backend_name: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ProductChanges:
    """A product's changes; None keeps a value."""

    backend_name: str
    name: str | None = None
    description: str | None = None


async def create_product(uow: UnitOfWork, new: NewProduct) -> Product:
    """Create a product.

    Raises:
        DuplicateError: the backend name or the name is taken (names ``product_backend_name``
            or ``product_name``).
    """
    async with uow:
        product = await uow.products.add(new.backend_name, new.name, new.description)
        await uow.events.record(
            "product_created", "product", product.id, {"backend_name": product.backend_name}
        )
        await uow.commit()
    return product


async def update_product(uow: UnitOfWork, changes: ProductChanges) -> Product:
    """Change a product's name or description (its backend name never changes).

    Raises:
        NotFoundError: no product has the backend name in this account.
        DuplicateError: another product already has the new name.
    """
    async with uow:
        product = await uow.products.find(backend_name=changes.backend_name)
        if product is None:
            raise _missing("product_backend_name", changes.backend_name)
        changed = await uow.products.change(
            product,
            name=product.name if changes.name is None else changes.name,
            description=product.description if changes.description is None else changes.description,
        )
        fields = sorted(
            name for name in ("name", "description") if getattr(changes, name) is not None
        )
        await uow.events.record("product_updated", "product", product.id, {"fields": fields})
        await uow.commit()
    return changed


async def get_product(uow: ReadUnitOfWork, name: str) -> Product:
    """The product with this name.

    Raises:
        NotFoundError: no product of this account has the name.
    """
    async with uow:
        product = await uow.products.product(name=name)
    if product is None:
        raise _missing("product_name", name)
    return product


async def list_products(uow: ReadUnitOfWork, page: PageRequest) -> Page[Product]:
    """A page of the account's products, oldest first."""
    async with uow:
        return await uow.products.products_page(page)


async def delete_product(
    uow: UnitOfWork, *, name: str | None = None, backend_name: str | None = None
) -> Product:
    """Delete a product named by its backend name or by its name (both must agree if given).

    Raises:
        InvalidRequestError: neither is given.
        NotFoundError: no product answers to what is given.
        ConflictError: items still belong to the product (move or delete them first).
    """
    if not name and not backend_name:
        raise InvalidRequestError(
            "ProductName or ProductBackendName is required", field="product_name"
        )
    async with uow:
        product = await _named(uow, name=name, backend_name=backend_name)
        grouped = await uow.products.item_count(product.id)
        if grouped:
            raise ConflictError(
                f"product {product.backend_name!r} still groups {grouped} item(s);"
                " move or delete them first",
                field="product_backend_name",
            )
        await uow.products.remove(product.id)
        await uow.events.record(
            "product_deleted", "product", product.id, {"backend_name": product.backend_name}
        )
        await uow.commit()
    return product


async def _named(uow: UnitOfWork, *, name: str | None, backend_name: str | None) -> Product:
    if backend_name:
        product = await uow.products.find(backend_name=backend_name)
        if product is None or (name and product.name != name):
            raise _missing("product_backend_name", backend_name)
        return product
    assert name  # noqa: S101 - the caller checked that one is given
    product = await uow.products.find(name=name)
    if product is None:
        raise _missing("product_name", name)
    return product


def _missing(field: str, value: str) -> NotFoundError:
    return NotFoundError(f"product {value!r} not found", field=field)
