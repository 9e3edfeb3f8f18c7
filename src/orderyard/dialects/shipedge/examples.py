"""The names ShipEdge's documentation uses in its example requests, for accounts to start with.

The seed's order examples send the shipping method ``Pick`` and the store ``My Shop``; an
account that has both registered runs them as written. They are ShipEdge's examples, not the
core's: the edges that create accounts for ShipEdge users register them (``orderyard accounts
create``, the demo), and the core's ``create_account`` registers nothing unless asked.
"""

SHIPPING_METHODS = ("Pick",)
STORES = ("My Shop",)
"""ShipEdge's stores are the core's sales channels."""
