"""The process's Prometheus metrics that the core counts (the HTTP ones: ``http/metrics.py``).

Counters live in prometheus-client's default registry, once per process: ``/metrics`` shows
what this process counted (several uvicorn workers: each its own; docs/decisions.md). An
increment costs a lock and an addition (well under a microsecond).
"""

from prometheus_client import Counter, Gauge, Histogram

ORDERS_PLACED = Counter("orderyard_orders_placed", "Orders placed and committed.")
ALLOCATION_OUTCOMES = Counter(
    "orderyard_order_allocations",
    "Orders placed, by where allocation left them (allocated, partially_allocated,"
    " backordered, pending: held or on stand-by).",
    ["outcome"],
)
POOL_WAITS = Counter(
    "orderyard_pool_waits",
    "Units of work that found every connection of the pool taken and queued for one.",
)
POOL_WAIT_SECONDS = Histogram(
    "orderyard_pool_wait_seconds",
    "How long a unit of work that queued for a connection waited.",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0),
)
REPLICA_USABLE = Gauge(
    "orderyard_replica_usable",
    "1 while lag-tolerant reads go to the read replica, 0 while they go to the primary"
    " (down, lagging past ORDERYARD_DATABASE__REPLICA_MAX_LAG_SECONDS, or not checked yet).",
)
REPLICA_LAG_SECONDS = Gauge(
    "orderyard_replica_lag_seconds",
    "The read replica's lag at its last check (NaN: unreachable or unknown).",
)
REPLICA_READS = Counter(
    "orderyard_replica_reads",
    "Lag-tolerant reads (lists, searches, statistics), by the database that served them.",
    ["database"],
)
