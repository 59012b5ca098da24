"""What each app gives the data feed (send_qa.api, issue 23): a table with its header and rows,
each cell as the app's exports print it, small numbers withheld as for the board. The apps
build them in their own query modules; the feed only serves them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedTable:
    about: str  # what the table holds, as of when: "As at the end of Autumn 2026 (...)"
    header: list[str]
    rows: list[list[object]]
