"""Downloadable templates of the imports: the headings an import reads, one made-up example
row, and the values each column with a fixed set allows. Each import module lists its own
columns as `TemplateColumn`s (their one home), and its page shows and serves them from there."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse

from send_qa.core.tables import table_download

EXAMPLE_CASE_REFERENCE = "EXAMPLE-00001"  # made up: never a real child's reference


@dataclass(frozen=True)
class TemplateColumn:
    """One column of an import: its heading as the import reads it, an example cell that the
    import accepts, and what the column takes (a fixed set of values, or a hint in words)."""

    heading: str
    example: str = ""
    required: bool = False
    allowed: tuple[str, ...] = ()
    hint: str = ""


def template_download(
    columns: Sequence[TemplateColumn], *, filename: str, fmt: str
) -> HttpResponse:
    """The template as CSV or XLSX: the headings and the example row, as every export is served."""
    return table_download(
        [column.heading for column in columns],
        [[column.example for column in columns]],
        filename=f"{filename}-template",
        fmt=fmt,
        sheet="Template",
        importable=True,
    )
