"""Signals the audits app sends for other apps to listen to, so that it never imports them.

Bulk writes send no `post_save`; a bulk writer sends `records_written_in_bulk` once instead,
with the model it wrote as sender, inside its transaction. The KPI app listens to recalculate
the computed indicators that read plans, audits and advice (kpis/apps.py).
"""

from django.dispatch import Signal

records_written_in_bulk = Signal()
