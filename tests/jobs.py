"""Job functions used by the queue tests (importable by the worker, like real tasks).

State lives in Redis (not in the test database transaction, which the worker shares anyway)
so a test can count how often a job ran.
"""

import django_rq


def _redis():
    return django_rq.get_connection("default")


def record(key: str) -> int:
    return _redis().incr(key)


def flaky(key: str, failures: int) -> int:
    """Fails `failures` times, then succeeds."""
    count = _redis().incr(key)
    if count <= failures:
        raise ConnectionError(f"transient failure {count}")
    return count


def fail_unless_fixed(key: str) -> str:
    if not _redis().get(f"{key}:fixed"):
        raise ValueError("Person 'Dupont Jean' 1234567890 jean.dupont@example.org not found")
    _redis().incr(key)
    return "ok"
