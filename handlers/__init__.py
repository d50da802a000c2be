"""Conversations and commands, one module per capability; none imports a platform library."""
