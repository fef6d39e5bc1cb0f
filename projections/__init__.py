"""Read models fed by the event store's notification log: views, audit chain, derivation."""
