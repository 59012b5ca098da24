"""The tracker's rows are made in Python for speed (wsoa.tracker); they must read exactly as the
template filters they replace would have made them, whatever people type."""

from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.text import Truncator
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from wsoa.tracker import _first_words, _lines, _text

typed = st.text(
    alphabet=st.sampled_from(list("ab <>&\"'\r\n\t=é…")) | st.characters(), max_size=400
)


@examples(max_examples=200, deadline=None)
@given(typed)
def test_text_is_escaped_as_django_escapes_it(text):
    assert _text(text) == escape(text)


@examples(max_examples=200, deadline=None)
@given(typed)
def test_lines_read_as_the_linebreaksbr_filter_makes_them(text):
    assert _lines(text) == linebreaksbr(text, autoescape=True)


@examples(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["word", "a", "<b>", "&", "\n", "  ", "end."]), max_size=90))
def test_the_latest_update_is_cut_as_truncator_cuts_it(parts):
    text = " ".join(parts)
    assert _first_words(text) == Truncator(text).words(40, truncate=" …")


def test_a_script_in_an_action_is_shown_as_text():
    assert _lines('<script>alert("x")</script>\nnext') == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>next"
    )
