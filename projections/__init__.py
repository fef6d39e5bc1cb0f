"""Read models fed by the event store: views, audit chain, deadlines, reports."""
