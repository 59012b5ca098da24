"""The reader of internal words (tests/page_checks.py), which the permission matrix runs on every
page as each role that may open it (issue 20, "Minor, but everywhere")."""

from tests.page_checks import internal_words


def test_the_reader_finds_each_kind_of_internal_word() -> None:
    page = (
        "<h1>Import</h1><p>See docs/imports.md for seed 002's key.</p><p>Lead: None</p>"
        f"<p>{'A' * 64}</p><script>if (x === None) {{}}</script>"
        f"<details><summary>Checksum</summary>{'b' * 64}</details><p>none of the plans</p>"
    )
    found = internal_words(page)
    assert len(found) == 5
    assert found[-1] == f"checksum {'A' * 64}"
    assert internal_words("<p>None of the plans <a title='None'>here</a>, none yet</p>") == []
