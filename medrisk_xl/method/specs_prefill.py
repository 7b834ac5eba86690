"""The structure of ``prefill.yaml``: rules that pre-fill a criterion from what the inventory
already says (the age from the commissioning date, a failure count from the CMMS).

The rules are a site's choice, not the method: IDS213 asks the biomedical service to answer C1-C5
and leaves how to it. The file is optional in a pack and never enters the content hash: changing a
band changes no department workbook already sent.
"""

from __future__ import annotations

from medrisk_xl.method.schema import INT, TEXT, Keys, ListOf

PREFILL_FILE = "prefill.yaml"
AGE_YEARS = "age_years"  # whole years from an inventory date field to the campaign's creation
COUNT = "count"  # a number in an inventory column (e.g. failures over the last 12 months)
MEASURES = (AGE_YEARS, COUNT)
DATE_FIELDS = ("commissioning_date",)  # the inventory's date fields an age can be measured from

_BAND = Keys({"below": INT, "points": INT}, optional=frozenset({"below"}))
PREFILL_SPEC = Keys(
    {
        "schema": INT,
        "rules": ListOf(
            Keys(
                {
                    "criterion": TEXT,
                    "measure": TEXT,
                    "field": TEXT,  # age_years: the inventory's date field
                    "columns": ListOf(TEXT),  # count: the inventory column, by any of these headers
                    "bands": ListOf(_BAND),
                },
                optional=frozenset({"field", "columns"}),
            ),
            min_len=0,
        ),
    }
)
