"""What the published data tells the apps that stand on it. `benchmarks` imports no app, so an
import says that published data changed by sending `published_data_changed` (after its
transaction commits) with the `Import` it made; `kpis` listens and works out the comparators.
Setting the own area, or the comparator set it reads, sends it with `record=None`: no file was
imported, but the own area's comparators change."""

from django.dispatch import Signal

# sender: benchmarks.models.Import; kwargs: record (an Import, or None for the own area)
published_data_changed = Signal()
