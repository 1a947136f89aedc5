"""Everything that leaves: the outbox, the delivery loop, pacing, waking hours, reachability."""
