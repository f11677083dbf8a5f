"""Pengaduan (public complaints): one module per concern.

filing (validate, number, file, find for the reporter) · flow (actions through the flow table) ·
clocks (the legal clocks, Python and SQL) · inbox (the team's lists and counts) · visibility (what the
reporter and each role may see) · stats (the public figures) · digest (the team's daily mail) ·
notifications (the mails a change causes). WBS, gratifikasi and SKM follow the same shape.
"""
