#!/usr/bin/env python3
"""Validates JSON files against one of siyu's JSON schemas (docs/schemas/).

usage: check_schema.py SCHEMA [--valid FILE...] [--invalid FILE...]

The schema must itself be valid (draft 2020-12); every --valid file must validate and every
--invalid file must not. Exits 1 naming each file that disagrees."""
import json
import sys

import jsonschema


def main(argv):
    schema_path, rest = argv[1], argv[2:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    expect_valid, failures = True, []
    for arg in rest:
        if arg in ("--valid", "--invalid"):
            expect_valid = arg == "--valid"
            continue
        with open(arg, encoding="utf-8") as f:
            errors = list(validator.iter_errors(json.load(f)))
        if expect_valid and errors:
            failures.append(f"{arg}: {errors[0].json_path}: {errors[0].message}")
        if not expect_valid and not errors:
            failures.append(f"{arg}: validates, but should not")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
