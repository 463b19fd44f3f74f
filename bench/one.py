"""Run one benchmark row (module:function) in this process and print it as JSON."""

import importlib
import json
import resource
import sys

import django


def main(spec: str) -> None:
    django.setup()
    module_name, func_name = spec.split(":")
    row = getattr(importlib.import_module(module_name), func_name)()
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(row))


if __name__ == "__main__":
    main(sys.argv[1])
