#!/usr/bin/python3
"""Rules of the demo-box Packer template that `packer validate -syntax-only` cannot check.

  check_packer_template.py PACKER_DIR [--render-to FILE]

HCL is read with a small block scanner (Debian 12 packages no HCL parser for Python); the rules
are about the text the team writes, not about every HCL construct. The autoinstall user-data is
rendered the way templatefile() would, with sample values, and checked as YAML; --render-to keeps
the rendering (for yamllint).
"""
import argparse
import glob
import os
import re
import sys

import yaml

problems = []


def problem(message):
    problems.append(message)


def blocks(text, kind):
    """Yields (label, body) of every top-level or nested `kind "label" {` / `kind {` block."""
    pattern = re.compile(r'^\s*' + re.escape(kind) + r'(?:\s+"([^"]+)")*\s*\{', re.M)
    for match in pattern.finditer(text):
        depth, start = 0, match.end() - 1
        for index in range(start, len(text)):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    yield match.group(1), text[start + 1:index]
                    break


def attribute(body, name):
    match = re.search(r'^\s*' + re.escape(name) + r'\s*=\s*(.+)$', body, re.M)
    return match.group(1).strip() if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("packer_dir")
    parser.add_argument("--render-to")
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.packer_dir, "*.pkr.hcl")))
    texts = {os.path.basename(f): open(f, encoding="utf-8").read() for f in files}
    everything = "\n".join(texts.values())

    # required_plugins only in plugins.pkr.hcl, so that Packer 1.6.6 can check the rest.
    for name, text in texts.items():
        if "required_plugins" in text and name != "plugins.pkr.hcl":
            problem(f"{name}: required_plugins belongs in plugins.pkr.hcl only")
    if "required_plugins" not in texts.get("plugins.pkr.hcl", ""):
        problem("plugins.pkr.hcl must declare required_plugins (qemu, ansible)")

    # Variables: typed, described, validated where a bad value is plausible; secrets sensitive
    # and without a default.
    variables = dict(blocks(everything, "variable"))
    if not variables:
        problem("no variable blocks found")
    for name, body in variables.items():
        for required in ("type", "description"):
            if attribute(body, required) is None:
                problem(f"variable {name}: no {required}")
        secret = re.search(r"password|secret|token", name)
        if secret:
            if attribute(body, "sensitive") != "true":
                problem(f"variable {name}: a secret must be sensitive = true")
            if attribute(body, "default") is not None:
                problem(f"variable {name}: a secret must have no default (no default password in the image)")
    validated = [n for n, b in variables.items() if "validation" in b]
    for name in ("iso_url", "iso_checksum", "build_password", "build_ssh_public_key", "vaultadmin_authorized_keys",
                 "disk_size", "nvidia_driver_branch", "cuda_version", "ovmf_code", "ovmf_vars", "accelerator"):
        if name not in validated:
            problem(f"variable {name}: needs a validation block")
    for name, body in variables.items():
        for message in re.findall(r'error_message\s*=\s*"([^"]*)"', body):
            if not re.match(r"^[A-Z].*[.!?]$", message):
                problem(f"variable {name}: error_message must be a sentence (capital letter, final period)")
    if "build_password" not in variables:
        problem("the build password must be a variable (build_password)")
    disk_default = attribute(variables.get("disk_size", ""), "default")
    if disk_default != '"50G"':
        problem(f"disk_size default is {disk_default}, the issue asks for 50G")

    # The qemu source and the build.
    template = texts.get("ubuntu-24.04-demo-box.pkr.hcl", "")
    if not template:
        problem("ubuntu-24.04-demo-box.pkr.hcl is missing")
    sources = dict(blocks(template, "source"))
    qemu = next((body for label, body in sources.items()), "")
    expect = {
        "accelerator": "var.accelerator", "efi_boot": "true", "efi_firmware_code": "var.ovmf_code",
        "efi_firmware_vars": "var.ovmf_vars", "format": '"qcow2"', "headless": "var.headless",
        "disk_size": "var.disk_size", "communicator": '"ssh"',
    }
    for key, value in expect.items():
        if attribute(qemu, key) != value:
            problem(f"source qemu: {key} should be {value}, is {attribute(qemu, key)}")
    boot = re.search(r"boot_command\s*=\s*\[(.*?)\]", qemu, re.S)
    boot_text = boot.group(1) if boot else ""
    if not re.search(r"\bautoinstall\b", boot_text):
        problem("boot_command: 'autoinstall' must be on the kernel command line (else subiquity asks to confirm)")
    if "ds=nocloud\\\\;" not in boot_text:
        problem("boot_command: GRUB ends commands at ';': write ds=nocloud\\\\;s=... in HCL")
    if "ssh_password" in qemu:
        problem("source qemu: the build uses a key (ssh_private_key_file), not a password over SSH")
    build = next((body for _, body in blocks(template, "build")), "")
    ansible = next((body for label, body in blocks(build, "provisioner") if label == "ansible"), "")
    if attribute(ansible, "use_proxy") != "false":
        problem("provisioner ansible: use_proxy = false (the proxy's ssh-rsa host key is refused by OpenSSH >= 8.8)")
    if "playbooks/site.yml" not in template:
        problem("provisioner ansible: must run ansible/playbooks/site.yml")
    if "vault_image_build" not in template:
        problem("provisioner ansible: must set vault_image_build")
    post = dict(blocks(build, "post-processor"))
    if "manifest" not in post:
        problem("post-processor manifest is missing")
    if '["sha256"]' not in (attribute(post.get("checksum", ""), "checksum_types") or ""):
        problem("post-processor checksum must make sha256")
    if "cleanup.sh" not in build or "vault-build-finalize" not in template:
        problem("the build must end with scripts/cleanup.sh and remove the build account at shutdown")

    # The user-data template: render as templatefile() would, with sample values.
    call = re.search(r'templatefile\("\$\{path\.root\}/([^"]+)",\s*\{(.*?)\}\)', template, re.S)
    if not call:
        problem("user-data: no templatefile() call found")
        return report()
    passed = set(re.findall(r"^\s*(\w+)\s*=", call.group(2), re.M))
    source = open(os.path.join(args.packer_dir, call.group(1)), encoding="utf-8").read()
    used = set(re.findall(r"\$\{(\w+)\}", source))
    if used != passed:
        problem(f"user-data: placeholders {sorted(used)} differ from templatefile() arguments {sorted(passed)}")
    if "%{" in source:
        problem("user-data: template directives (%{...}) are not rendered by this check; keep the template flat")
    sample = {
        "hostname": "vault-cube", "build_username": "packer",
        "build_password_hash": "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
        "build_ssh_public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF1rPLWXb9F5vqfZ1m4z vault-build",
    }
    rendered = re.sub(r"\$\{(\w+)\}", lambda m: sample.get(m.group(1), "SAMPLE"), source)
    if args.render_to:
        with open(args.render_to, "w", encoding="utf-8") as out:
            out.write(rendered)
    if not rendered.startswith("#cloud-config\n"):
        problem("user-data: the first line must be #cloud-config")
    try:
        document = yaml.safe_load(rendered)
    except yaml.YAMLError as error:
        problem(f"user-data: not YAML after rendering: {error}")
        return report()
    if set(document) != {"autoinstall"}:
        problem(f"user-data: only 'autoinstall' may be at the top level (24.04), found {sorted(document)}")
    auto = document.get("autoinstall", {})
    if auto.get("version") != 1:
        problem("user-data: autoinstall.version must be 1")
    early = " ".join(map(str, auto.get("early-commands") or []))
    if "ssh.socket" not in early or "ssh.service" not in early:
        problem("user-data: early-commands must stop the installer's ssh.socket and ssh.service")
    identity = auto.get("identity", {})
    if identity.get("password") != sample["build_password_hash"] or identity.get("username") != "packer":
        problem("user-data: identity must carry the build account and its password hash, intact")
    ssh = auto.get("ssh", {})
    if ssh.get("allow-pw") is not False or ssh.get("install-server") is not True:
        problem("user-data: ssh must install the server with passwords off")
    if sample["build_ssh_public_key"] not in ssh.get("authorized-keys", []):
        problem("user-data: the build key must be authorized")
    if auto.get("apt", {}).get("fallback") != "offline-install":
        problem("user-data: apt.fallback: offline-install (install from the ISO without a mirror)")
    late = " ".join(map(str, auto.get("late-commands") or []))
    for needle, why in (("/etc/sudoers.d/90-vault-build", "the build account's sudo rule"),
                        ("visudo -cf", "the sudo rule checked"), ("efibootmgr -o", "the UEFI boot order fixed")):
        if needle not in late:
            problem(f"user-data: late-commands lack {why} ({needle})")
    if "python3" not in auto.get("packages", []):
        problem("user-data: python3 must be installed for Ansible")
    return report()


def report():
    for message in problems:
        print(f"check_packer_template: {message}", file=sys.stderr)
    print(f"check_packer_template: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
