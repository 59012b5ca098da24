"""What the published data tells the apps that stand on it. `benchmarks` imports no app, so an
import says that published data changed by sending `published_data_changed` (after its
transaction commits) with the `Import` it made; `kpis` listens and works out the comparators."""

from django.dispatch import Signal

published_data_changed = Signal()  # sender: benchmarks.models.Import; kwargs: record
