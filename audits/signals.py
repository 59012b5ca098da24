"""Signals the audits app sends for other apps to listen to, so that it never imports them.

Bulk writes send no `post_save`; a bulk writer sends `records_written_in_bulk` once instead,
with the model it wrote as sender, inside its transaction. The KPI app listens to recalculate
the computed indicators that read plans, audits and advice (kpis/apps.py).
"""

from django.dispatch import Signal

records_written_in_bulk = Signal()

# A term's stored figures are out of date (audits.models.figures): sent inside the change's
# transaction with the terms' ids; `audits.term_figures` counts them again once it commits.
term_figures_changed = Signal()
