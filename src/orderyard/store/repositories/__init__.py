"""Write-side data access, one module per aggregate; every statement is scoped by account."""
