"""WBS (whistle-blowing system, SE MenPANRB 08/M.PAN-RB/06/2012): one module per concern.

filing (validate the 4W1H, make the receipt, start the clocks, store the evidence) · reporter (the
receipt's short-lived session, what the reporter sees, the reporter's replies) · clocks (the team's first
answer and the telaah, Python and SQL) · flow, inbox, messages, unseal (the team's side) · stats,
retention, socialisation (the quarter's figures, the purge, the internalisation activities) · reporter_audit
(reporter-side events in the audit chain with the day only). Same shape as services/pengaduan/. The team's
quarterly evaluation is a period evaluation of scope EVALUATION_SCOPE (services/evaluations.py).
"""

#: The scope of the Tim WBS's quarterly evaluation among the period evaluations (services/evaluations.py).
EVALUATION_SCOPE = "wbs"
