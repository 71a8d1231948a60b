"""The names docs/OUTPUT.md documents, for the tests that check every object of a file."""
import re


def documented_names(output_md):
    """Every name written in a code span of the file: `/timeseries/by_site`, `@threads`."""
    with open(output_md) as f:
        doc = f.read()
    # Code spans only: fenced blocks would pair their backticks with the text's.
    doc = re.sub(r"```.*?```", "", doc, flags=re.S)
    names = set()
    for span in re.findall(r"`([^`]+)`", doc):
        names.update(t for t in re.split(r"[/@\s,]+", span) if t)
    return names
