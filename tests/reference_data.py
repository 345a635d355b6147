"""Reference data that migrations load (prefectures, deadline rules, default readiness policy).

Transactional tests (browser tests with live_server) end with a flush that empties every table,
including these: the next transactional test reloads them by running the migrations' own,
idempotent loaders, so there is one source for the data.
"""

import importlib

from django.apps import apps

LOADERS = [
    ("cases.migrations.0002_load_prefectures", "load"),
    ("cases.migrations.0004_load_deadline_rules", "load"),
    ("litigation.migrations.0003_default_policy", "create_default"),
]


def reload_reference_data():
    for module_name, function_name in LOADERS:
        getattr(importlib.import_module(module_name), function_name)(apps, None)
