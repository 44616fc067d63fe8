#!/usr/bin/python3
"""The "## Variables" table of each role's README.md, generated from meta/argument_specs.yml.

  role_docs.py [--write | --check] [ANSIBLE_DIR]

argument_specs is the one source of the role's variables (check_roles.py holds it equal to
defaults/main.yml); the README table is rendered from it, so it cannot drift. The table lies
between the BEGIN and END marker lines below, in spec order: variable, type, default,
description. A sub-option of a list or dict option gets its own row (`option[].name`).
The default shown is the spec's `default`, else the value of defaults/main.yml as written
there (a Jinja expression stays one), else nothing.

--write  rewrites the block of every role whose README has the markers (or whose README has
         no markers but a "## Variables" heading: the block then replaces that section's body).
--check  (the default) exits 1, naming each role, when a README has no markers or its block
         differs from what the spec gives.
"""
import argparse
import json
import os
import sys

import yaml

BEGIN = ("<!-- BEGIN variables: generated from meta/argument_specs.yml by "
         "tests/ansible/role_docs.py; do not edit -->")
END = "<!-- END variables -->"
HEADING = "## Variables"
# A list or dict default longer than this is not spelled out in the table: the cell points to
# defaults/main.yml, where it is written out and commented.
LONGEST_INLINE_DEFAULT = 180


def load(path):
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def cell(text):
    """Table cell text: one line, `|` escaped (GFM honours `\\|` inside code spans too)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(text):
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain_scalar(text):
    """True when YAML reads `text` back as the same string without quotes."""
    if not text or text != text.strip():
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def render_value(value):
    """A default as Markdown: a scalar in backticks, strings quoted only where YAML would need it."""
    if isinstance(value, str):
        if "{{" in value or plain_scalar(value):
            return code(value)
        return code(json.dumps(value))
    if isinstance(value, (list, dict)):
        flow = yaml.safe_dump(value, default_flow_style=True, width=10_000, sort_keys=False).strip()
        if len(flow) > LONGEST_INLINE_DEFAULT:
            return "see `defaults/main.yml`"
        return code(flow)
    if value is None:
        return code("null")
    return code(yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip())


def render_type(option):
    kind = option.get("type", "str")
    if kind in ("list", "dict") and option.get("elements"):
        kind = f"{kind} of {option['elements']}"
    if option.get("choices"):
        kind += ": " + ", ".join(render_value(choice) for choice in option["choices"])
    if option.get("required"):
        kind += " (required)"
    return kind


def description(option):
    text = option.get("description", "")
    return " ".join(text) if isinstance(text, list) else str(text)


def rows(options, defaults, prefix=""):
    for name, option in options.items():
        option = option or {}
        if "default" in option:
            default = render_value(option["default"])
        elif not prefix and name in defaults:
            default = render_value(defaults[name])
        else:
            default = ""
        shown = f"{prefix}{name}"
        yield f"| {cell(code(shown))} | {cell(render_type(option))} | {cell(default)} | {cell(description(option))} |"
        if option.get("options"):
            nested = shown + ("[]." if option.get("type") == "list" else ".")
            yield from rows(option["options"], {}, nested)


def table(role_dir):
    spec = load(os.path.join(role_dir, "meta", "argument_specs.yml")) or {}
    options = ((spec.get("argument_specs") or {}).get("main") or {}).get("options") or {}
    defaults_file = os.path.join(role_dir, "defaults", "main.yml")
    defaults = (load(defaults_file) or {}) if os.path.isfile(defaults_file) else {}
    lines = ["| variable | type | default | description |", "|---|---|---|---|"]
    lines.extend(rows(options, defaults))
    return "\n".join([BEGIN, ""] + lines + ["", END])


def current_block(readme):
    """The marked block as it stands, or None when the markers are missing or out of order."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        return None
    return readme[start:end + len(END)]


def with_block(readme, block):
    old = current_block(readme)
    if old is not None:
        return readme.replace(old, block, 1)
    lines = readme.split("\n")
    if HEADING not in lines:
        return None
    start = lines.index(HEADING) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    # The section's old body (the hand-written table and its prose) is replaced whole; prose
    # worth keeping goes back under the END marker by hand, where --write leaves it alone.
    body = [""] + block.split("\n") + ([""] if end < len(lines) else [])
    return "\n".join(lines[:start] + body + lines[end:]).rstrip("\n") + "\n"


def roles(ansible_dir):
    roles_dir = os.path.join(ansible_dir, "roles")
    return [(name, os.path.join(roles_dir, name)) for name in sorted(os.listdir(roles_dir))
            if os.path.isfile(os.path.join(roles_dir, name, "meta", "argument_specs.yml"))]


def check(ansible_dir):
    """Problems, one line each; empty when every README's block is what its spec gives."""
    problems = []
    for name, role_dir in roles(ansible_dir):
        readme_path = os.path.join(role_dir, "README.md")
        if not os.path.isfile(readme_path):
            problems.append(f"{name}: README.md is missing")
            continue
        with open(readme_path, encoding="utf-8") as stream:
            block = current_block(stream.read())
        if block is None:
            problems.append(f"{name}: README.md has no generated variables block (no '<!-- BEGIN "
                            "variables' ... '<!-- END variables -->' lines); run tests/ansible/role_docs.py --write")
        elif block != table(role_dir):
            problems.append(f"{name}: README.md variables table differs from meta/argument_specs.yml; "
                            "edit the spec (not the table) and run tests/ansible/role_docs.py --write")
    return problems


def write(ansible_dir):
    failures = 0
    for name, role_dir in roles(ansible_dir):
        readme_path = os.path.join(role_dir, "README.md")
        with open(readme_path, encoding="utf-8") as stream:
            readme = stream.read()
        updated = with_block(readme, table(role_dir))
        if updated is None:
            print(f"role_docs: {name}: README.md has neither the markers nor a '{HEADING}' heading",
                  file=sys.stderr)
            failures += 1
        elif updated != readme:
            with open(readme_path, "w", encoding="utf-8") as stream:
                stream.write(updated)
            print(f"role_docs: {name}: README.md updated")
    return 1 if failures else 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the READMEs' variable tables")
    mode.add_argument("--check", action="store_true", help="fail when a table differs (default)")
    parser.add_argument("ansible_dir", nargs="?", default="ansible")
    args = parser.parse_args(argv)
    if args.write:
        return write(args.ansible_dir)
    problems = check(args.ansible_dir)
    for problem in problems:
        print(f"role_docs: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
