"""Pre-orders: waves, release schedules, sequencing new orders' lines and releasing them."""
