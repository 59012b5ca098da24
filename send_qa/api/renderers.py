"""The feed's tables as CSV (`?format=csv`, or `Accept: text/csv`): a header of the JSON's
field names, then a line per record of the page; cells safe to open in a spreadsheet."""

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer

from send_qa.core.tables import neutralised


class FeedCsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
            fields = list(records[0]) if records else list(data.get("fields", []))
            writer.writerow(fields)
            for record in records:
                writer.writerow([neutralised(record.get(field)) for field in fields])
        elif isinstance(data, dict):  # an error: its fields and what they say
            writer.writerow(["field", "problem"])
            for field, problem in data.items():
                writer.writerow([field, neutralised(str(problem))])
        return ("\ufeff" + out.getvalue()).encode(self.charset)
