#!/usr/bin/env bash
# Static checks of ansible/: yamllint (strict), ansible-lint with the production profile (the
# strictest of ansible-lint 6.13: min, basic, moderate, safety, shared, production),
# ansible-playbook --syntax-check of every playbook, and the role conventions (check_roles.py:
# role-prefixed variables documented in argument_specs, image-build guards, validated sshd and
# sudoers files, a README per role whose variable table is the one role_docs.py generates from
# argument_specs; a copy of the roles with drifted READMEs must fail that check).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
suite_name=30-ansible-lint
# shellcheck source=tests/ansible/lib.sh
. tests/ansible/lib.sh
require_tools yamllint ansible-lint ansible-playbook /usr/bin/python3

note "yamllint (strict)"
yamllint --strict -c ansible/.yamllint ansible

note "ansible-lint --profile production"
(cd ansible && ansible-lint --nocolor --profile production --parseable)

note "ansible-playbook --syntax-check"
export ANSIBLE_CONFIG=$root/ansible/ansible.cfg ANSIBLE_NOCOLOR=1
count=0
for playbook in ansible/playbooks/*.yml; do
  ansible-playbook --syntax-check -i ansible/inventory/example "$playbook" >/dev/null \
    || die "syntax check failed: $playbook"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || die "no playbooks in ansible/playbooks"
note "$count playbooks pass --syntax-check"

note "role conventions"
/usr/bin/python3 tests/ansible/check_roles.py ansible

# The README check must fail on each kind of drift, in a copy of the roles: a table cell edited
# by hand, a spec description changed without --write, the markers removed. --write repairs all.
note "check_roles.py fails on a README table that differs from argument_specs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r ansible/roles "$work/roles"
sed -i 's/| Start Docker at boot. |/| Start Docker at boot (edited by hand). |/' "$work/roles/docker/README.md"
sed -i 's/description: Domains= of the systemd-resolved drop-in./description: Search domains./' \
  "$work/roles/networking/meta/argument_specs.yml"
sed -i '/^<!-- BEGIN variables/d' "$work/roles/vllm/README.md"
if output=$(/usr/bin/python3 tests/ansible/check_roles.py "$work" 2>&1); then
  die "check_roles.py passed three drifted READMEs: $output"
fi
for expected in \
  "docker: README.md variables table differs from meta/argument_specs.yml; edit the spec (not the table) and run tests/ansible/role_docs.py --write" \
  "networking: README.md variables table differs from meta/argument_specs.yml" \
  "vllm: README.md has no generated variables block"; do
  grep -qF "check_roles: $expected" <<<"$output" || die "check_roles.py did not say '$expected'; it said: $output"
done
/usr/bin/python3 tests/ansible/role_docs.py --write "$work" >/dev/null
/usr/bin/python3 tests/ansible/check_roles.py "$work" >/dev/null \
  || die "role_docs.py --write did not repair the drifted READMEs"
# shellcheck disable=SC2016  # backticks of Markdown, not a command substitution
grep -qF '| `networking_dns_domains` | list of str | `[]` | Search domains. |' "$work/roles/networking/README.md" \
  || die "role_docs.py --write did not carry the new spec description into the table"

note "the example inventory parses"
ansible-inventory -i ansible/inventory/example --list >/dev/null
echo "$suite_name: passed"
