"""The pure domain: the cluster's rules and the neutral message vocabulary.

Cluster and plan models, time frames, the reminder policy, scoring and ranking, the year-end vote
(ballots) and cross-inspection pairs, roles, invitation codes, file-type sniffing, document
reading and formatting. Everything here is a function of its
arguments: no storage, no channels, no handlers, no network, no asyncio. It may import only
``bot.domain`` and pure third-party libraries.
"""
