"""Channel adapters: platform updates to ``Inbound``, and ``Reply`` to platform calls."""
