"""The workspace's HTTP tests: the app in-process, signed in as a person would be.

The fixtures are the API tests' own (an app on a temporary store, tokens of every
role); a module that tests what the server keeps says `pytestmark = BOTH_STORES`.
"""

from tests.api.conftest import (  # noqa: F401
    api,
    module_store,
    pytest_generate_tests,
    shared_api,
    store,
)
