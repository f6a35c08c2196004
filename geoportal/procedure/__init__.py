"""The procedure core: what every procedure of the platform (Open City reports, e-permits)
declares itself in, so that none copies another.

- rules.py: a procedure's transitions table (action → sources, target, actors) and the
  question "may these roles take this action from this state?";
- perform.py: one action as one transaction (row lock, version check, state and actor
  check, the action's changes, one event, the notifications it causes);
- clock.py: a running deadline on working or calendar days with its reminder and its
  escalation, kept as data so that a restart loses and repeats nothing;
- events.py: the append-only event log;
- table.py: every action × state × persona generated from a procedure, for its tests;
- errors.py, timebase.py: refusals as HTTP statuses, and "now".

The outbox is geoportal.reports.models.Notification: one table of e-mails for both.
"""
