from tests.monitoring.api.conftest import mworld  # noqa: F401 – the same hand-checked world
