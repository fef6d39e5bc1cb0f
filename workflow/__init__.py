"""The application: one method per command, rules that span aggregates, deadline watching."""
