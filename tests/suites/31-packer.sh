#!/usr/bin/env bash
# Static checks of packer/ with Debian 12's Packer 1.6.6: `packer fmt -check`, and
# `packer validate -syntax-only` of the template without plugins.pkr.hcl (1.6.6 rejects
# required_plugins). Then the template's own rules (check_packer_template.py): variables typed,
# described and validated, the build password sensitive without a default, the autoinstall
# pitfalls handled, the post-processors; the autoinstall user-data rendered with sample values,
# parsed and linted with yamllint.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
suite_name=31-packer
# shellcheck source=tests/ansible/lib.sh
. tests/ansible/lib.sh
require_tools packer yamllint /usr/bin/python3

note "$(packer version | head -n 1)"
note "packer fmt -check"
packer fmt -check -diff packer

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R packer "$work/template"
rm "$work/template/plugins.pkr.hcl"
note "packer validate -syntax-only (without plugins.pkr.hcl)"
packer validate -syntax-only "$work/template"

# Proof that the exclusion is needed, and that the file is what it says.
if packer validate -syntax-only packer >"$work/with-plugins.txt" 2>&1; then
  grep -q 'required_plugins' packer/plugins.pkr.hcl || die "plugins.pkr.hcl has no required_plugins"
  note "this Packer accepts required_plugins (newer than 1.6.6)"
else
  grep -q 'required_plugins' "$work/with-plugins.txt" \
    || { cat "$work/with-plugins.txt" >&2; die "the full template failed for another reason than required_plugins"; }
  note "with plugins.pkr.hcl, Packer 1.6.6 refuses required_plugins, as expected"
fi

note "template rules and the autoinstall user-data"
/usr/bin/python3 tests/ansible/check_packer_template.py packer --render-to "$work/user-data"
yamllint --strict -d '{extends: default, rules: {line-length: {max: 200}, document-start: disable, comments: {min-spaces-from-content: 1, require-starting-space: false}}}' "$work/user-data"
echo "$suite_name: passed"
