"""Gratifikasi and benturan kepentingan, run by the UPG (issue 10), in the service package shape of
services/pengaduan/: filing (reports from the web form and the API), lookup (the reporter's status page),
clocks (the UPG's forwarding and completion clocks), flow (the UPG's steps), inbox, custody (barang titipan),
campaign (texts and activities), labels; benturan_* for conflicts of interest (mapping, declarations)."""
