#cloud-config
# Ubuntu 24.04 autoinstall of the Vault Cube demo box, rendered by Packer's templatefile() and
# served over Packer's HTTP server. Everything must sit under "autoinstall:" (24.04 rejects other
# top-level keys when delivered as cloud-config).
autoinstall:
  version: 1
  # Packer must not reach the live installer's own sshd: it would exhaust its handshake
  # attempts against an account that does not exist yet. 24.04 socket-activates it.
  early-commands:
    - systemctl stop ssh.socket ssh.service || true
  refresh-installer:
    update: false
  locale: en_US.UTF-8
  keyboard:
    layout: us
  timezone: Etc/UTC
  # No network or no mirror: install from the ISO instead of failing.
  apt:
    fallback: offline-install
  storage:
    layout:
      name: direct
  identity:
    hostname: ${hostname}
    username: ${build_username}
    password: '${build_password_hash}'
  ssh:
    install-server: true
    allow-pw: false
    authorized-keys:
      - '${build_ssh_public_key}'
  packages:
    - python3
    - efibootmgr
  late-commands:
    # The build account runs Ansible with sudo; the rule and the account go at shutdown.
    - echo '${build_username} ALL=(ALL) NOPASSWD:ALL' > /target/etc/sudoers.d/90-vault-build
    - chmod 0440 /target/etc/sudoers.d/90-vault-build
    - curtin in-target --target=/target -- visudo -cf /etc/sudoers.d/90-vault-build
    # After the install's reboot the firmware must boot the disk, not the ISO again: put the
    # "ubuntu" entry first in the UEFI boot order.
    - >-
      curtin in-target --target=/target -- sh -c 'entry=$(efibootmgr | sed -n "s/^Boot\([0-9A-Fa-f]\{4\}\)\*\{0,1\} ubuntu.*/\1/p" | head -n 1);
      [ -z "$entry" ] || efibootmgr -o "$entry,$(efibootmgr | sed -n "s/^BootOrder: //p" | sed "s/$entry,\{0,1\}//; s/,$//")"'
  shutdown: reboot
