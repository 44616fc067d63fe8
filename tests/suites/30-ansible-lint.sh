#!/usr/bin/env bash
# Static checks of ansible/: yamllint (strict), ansible-lint with the production profile (the
# strictest of ansible-lint 6.13: min, basic, moderate, safety, shared, production),
# ansible-playbook --syntax-check of every playbook, and the role conventions (check_roles.py:
# role-prefixed variables documented in argument_specs, image-build guards, validated sshd and
# sudoers files, a README per role).
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

note "the example inventory parses"
ansible-inventory -i ansible/inventory/example --list >/dev/null
echo "$suite_name: passed"
