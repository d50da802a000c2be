"""Cumthidua: the emulation-cluster chat bot (channel-neutral core)."""
