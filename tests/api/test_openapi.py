"""schemathesis against /openapi.json of a real server: no input makes the API answer 5xx.

The operations are walked in one test (schemathesis's pytest plugin does not load under
this pytest), each with a bounded number of generated requests.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis.strategies import SearchStrategy
from schemathesis.core.result import Ok

from minutes.config import Settings
from tests.api.conftest import serve

EXAMPLES_PER_OPERATION = 20


def _expected_timeout(response: Any) -> bool:
    """No worker runs here, so a transcription request can only time out waiting for one:
    a 504 in OpenAI's shape with code `timeout`, as designed."""
    if response.status_code != 504:
        return False
    return bool(response.json().get("error", {}).get("code") == "timeout")


def test_no_operation_answers_a_server_error(settings: Settings) -> None:
    with serve(settings.model_copy(update={"transcription_wait_seconds": 0.5})) as api:
        schema = schemathesis.openapi.from_url(f"{api.url}/openapi.json")
        headers = {"Authorization": f"Bearer {api.key()}"}
        failures: list[str] = []
        operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
        assert len(operations) >= 25

        for operation in operations:
            cases: SearchStrategy[Any] = operation.as_strategy()

            @seed(20261123)  # reproducible in CI; change it to explore
            @given(case=cases)
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case: Any) -> None:
                response = case.call(base_url=api.url, headers=headers, timeout=60)
                if response.status_code >= 500 and not _expected_timeout(response):
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}: "
                        f"{response.text[:300]}"
                    )

            check()
        assert not failures, "\n".join(failures[:20])
