"""Pure business rules of Orderyard: no SQL, no HTTP, no vendor vocabulary."""
