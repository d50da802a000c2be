"""Use cases: one module per job a person does (submit a report, self-score, review, vote, hand
over, import a plan, invite, ...), the one door that chat handlers, web routes and CLI commands
call. Each takes typed arguments and returns typed results (frozen dataclasses); reads that a
page or a handler needs come from the module's query functions as typed views, never as storage
rows or dicts. Handlers, web routes and CLI commands translate their input, call a use case and
render its result; they never reach a repository themselves.
"""
