"""Schemathesis hooks for the negative phase (test/fuzz/api.fuzz.e2e.spec.ts).

Drops the coverage cases that schemathesis counts as invalid but that are valid requests, which
the API is right to accept (and then the refused-writes and unchanged-state checks would fail):
- an unknown extra header: HTTP lets a server ignore headers it does not know;
- a malformed Content-Type on a request with no body: it describes nothing.
"""

import schemathesis
from schemathesis.core import NOT_SET


@schemathesis.hook
def filter_case(context, case):
    meta = case.meta
    data = meta.phase.data if meta is not None else None
    scenario = str(getattr(data, "scenario", "") or "")
    location = getattr(getattr(data, "parameter_location", None), "value", None)
    if scenario == "object_unexpected_properties" and location == "header":
        return False
    if scenario == "malformed_content_type" and (case.body is NOT_SET or case.body is None):
        return False
    return True
