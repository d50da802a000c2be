"""Local stand-ins for the messaging platforms, for tests, benchmarks and the offline demo.

They speak the platforms' real wire formats over real HTTP on 127.0.0.1.
"""
