"""The command line (``cumthidua …``) and the offline demonstration.

The top of the tree: may import anything; nothing but ``bot.__main__`` imports it.
"""
