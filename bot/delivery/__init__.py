"""Delivery: the one road from the core to a platform — journal (outbox), send at the
platform's pace, retry, defer, mark delivered or unreachable; channel adapters only speak the wire
format."""
