"""ShipEdge wire models, one module per resource, with the vendor's exact field names."""
