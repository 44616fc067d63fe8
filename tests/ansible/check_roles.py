#!/usr/bin/python3
"""Static checks of the Ansible roles that ansible-lint does not make.

  check_roles.py ANSIBLE_DIR

- every role the image needs exists, with README.md, meta/main.yml, meta/argument_specs.yml and
  defaults/main.yml;
- role-prefixed variables: every variable in defaults/main.yml starts with the role's prefix
  (or is the shared image-build switch vault_image_build), vars/main.yml holds only "__" names,
  and argument_specs documents exactly the variables of defaults/main.yml;
- image-build mode: every task or handler that could act on the running system (start, stop,
  restart or reload a service, daemon-reload, ufw, sysctl -p/-w, modprobe, nvidia-smi, netplan
  apply, the hostname module, sysctl with reload) is guarded by a `when` on vault_image_build;
- sshd and sudoers files are validated (sshd -t -f %s, visudo -cf %s);
- each README's variable table is the one role_docs.py generates from argument_specs.
"""
import os
import re
import sys

import yaml

import role_docs

ROLES = ["common", "users", "packages", "networking", "security", "docker", "python", "nvidia",
         "nvidia_container_toolkit", "pytorch", "tensorflow", "vllm", "monitoring_basic"]
PREFIX = {"nvidia": ("nvidia_",), "monitoring_basic": ("monitoring_basic_",)}
SHARED = {"vault_image_build"}
LIVE_COMMAND = re.compile(r"^\s*(ufw\b|sysctl\s+(-p|-w|--system|--load)|modprobe\b|nvidia-smi\b|netplan\s+apply|hostnamectl\b|timedatectl\s+set|systemctl\s+(start|stop|restart|reload))")
GUARD = re.compile(r"not\s*\(?\s*vault_image_build")
problems = []


def load(path):
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def module_of(task):
    for key in task:
        if key.startswith("ansible.") or key.startswith("community."):
            return key, task[key]
    return None, None


def guarded(task):
    when = task.get("when", [])
    when = when if isinstance(when, list) else [when]
    return any(GUARD.search(str(condition)) for condition in when)


def acts_live(module, args):
    if module in ("ansible.builtin.systemd", "ansible.builtin.service", "ansible.builtin.systemd_service"):
        return isinstance(args, dict) and (args.get("state") is not None or args.get("daemon_reload"))
    if module in ("ansible.builtin.command", "ansible.builtin.shell"):
        cmd = args if isinstance(args, str) else (args or {}).get("cmd") or " ".join((args or {}).get("argv", []))
        return bool(LIVE_COMMAND.search(str(cmd)))
    if module in ("ansible.builtin.hostname", "community.general.modprobe", "community.general.ufw"):
        return True
    if module == "ansible.posix.sysctl":
        reload = (args or {}).get("reload", True)
        return not (isinstance(reload, str) and "vault_image_build" in reload) and reload is not False \
            or (args or {}).get("sysctl_set") not in (None, False)
    return False


def walk(tasks):
    for task in tasks or []:
        yield task
        for key in ("block", "rescue", "always"):
            if key in task:
                yield from walk(task[key])


def check_tasks(role, path):
    for task in walk(load(path)):
        module, args = module_of(task)
        name = task.get("name", "?")
        if module and acts_live(module, args) and not guarded(task):
            problems.append(f"{path}: '{name}' acts on the running system without `when: not (vault_image_build | bool)`")
        if module in ("ansible.builtin.template", "ansible.builtin.copy", "ansible.builtin.lineinfile") and isinstance(args, dict):
            dest = str(args.get("dest") or args.get("path") or "")
            validate = str(args.get("validate", ""))
            if ("sshd_config" in dest or "security_ssh_dropin" in dest) and "sshd -t -f %s" not in validate:
                problems.append(f"{path}: '{name}' writes sshd configuration without validate: sshd -t -f %s")
            if "sudoers" in dest and "visudo -cf %s" not in validate:
                problems.append(f"{path}: '{name}' writes a sudoers file without validate: visudo -cf %s")


def main(ansible_dir):
    roles_dir = os.path.join(ansible_dir, "roles")
    for role in ROLES:
        base = os.path.join(roles_dir, role)
        for required in ("README.md", "meta/main.yml", "meta/argument_specs.yml", "defaults/main.yml", "tasks/main.yml"):
            if not os.path.isfile(os.path.join(base, required)):
                problems.append(f"{role}: {required} is missing")
        if not os.path.isdir(base):
            continue
        prefixes = PREFIX.get(role, (role + "_",))
        defaults = load(os.path.join(base, "defaults/main.yml")) or {}
        for name in defaults:
            if name not in SHARED and not name.startswith(prefixes):
                problems.append(f"{role}: defaults/main.yml variable {name} does not start with {' or '.join(prefixes)}")
        vars_file = os.path.join(base, "vars/main.yml")
        if os.path.isfile(vars_file):
            for name in load(vars_file) or {}:
                if not name.startswith("__" + role.split("_")[0]):
                    problems.append(f"{role}: vars/main.yml variable {name} is not internal (__{role}_...)")
        spec = (load(os.path.join(base, "meta/argument_specs.yml")) or {}).get("argument_specs", {}).get("main", {})
        options = set((spec.get("options") or {}).keys())
        for name in set(defaults) - options:
            problems.append(f"{role}: {name} is in defaults/main.yml but not in meta/argument_specs.yml")
        for name in options - set(defaults):
            problems.append(f"{role}: {name} is in meta/argument_specs.yml but has no default in defaults/main.yml")
        for folder in ("tasks", "handlers"):
            directory = os.path.join(base, folder)
            if os.path.isdir(directory):
                for file_name in sorted(os.listdir(directory)):
                    if file_name.endswith(".yml"):
                        check_tasks(role, os.path.join(directory, file_name))
    problems.extend(role_docs.check(ansible_dir))
    for problem in problems:
        print(f"check_roles: {problem}", file=sys.stderr)
    print(f"check_roles: {len(ROLES)} roles, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "ansible"))
