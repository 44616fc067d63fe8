# Vault Cube demo box: Ubuntu 24.04 LTS installed unattended (autoinstall) in a UEFI QEMU/KVM VM,
# configured by ansible/playbooks/site.yml in image-build mode, cleaned, checksummed.
#
#   packer init .                       # Packer >= 1.11: installs the qemu and ansible plugins
#   packer build -var-file=site.pkrvars.hcl .
#
# Needs /dev/kvm, qemu-system-x86, ovmf and ansible on the build host. The template is also
# syntax-checked with Debian 12's Packer 1.6.6 (without plugins.pkr.hcl) in the tests.

locals {
  disk_name        = "${var.image_name}-${var.image_version}.qcow2"
  image_directory  = "${var.output_directory}/${var.image_name}"
  ansible_root     = "${path.root}/../ansible"
  ansible_playbook = "${local.ansible_root}/playbooks/site.yml"

  # Autoinstall served over Packer's HTTP server. bcrypt() salts anew on every build; the hash
  # only lives in the installer's memory and the build account, which is removed at the end.
  user_data = templatefile("${path.root}/http/user-data.pkrtpl.hcl", {
    hostname             = var.hostname
    build_username       = var.build_username
    build_password_hash  = bcrypt(var.build_password)
    build_ssh_public_key = var.build_ssh_public_key
  })

  # Passed to Ansible as one JSON argument (argv, no shell): any character arrives intact.
  ansible_extra_vars = jsonencode({
    vault_image_build           = true
    common_hostname             = var.hostname
    users_admin_authorized_keys = var.vaultadmin_authorized_keys
    users_locked_accounts       = [var.build_username]
    nvidia_driver_branch        = var.nvidia_driver_branch
    nvidia_cuda_version         = var.cuda_version
  })
}

source "qemu" "ubuntu_2404" {
  iso_url      = var.iso_url
  iso_checksum = var.iso_checksum

  accelerator  = var.accelerator
  machine_type = "q35"
  cpu_model    = var.accelerator == "kvm" ? "host" : "max"
  cpus         = var.cpus
  memory       = var.memory
  headless     = var.headless

  # UEFI, with the 4M firmware set explicitly (Ubuntu 24.04 hosts have no 2M OVMF files). The
  # variable store is kept beside the disk: it holds the boot entry the installer created.
  efi_boot          = true
  efi_firmware_code = var.ovmf_code
  efi_firmware_vars = var.ovmf_vars
  efi_drop_efivars  = false

  disk_size          = var.disk_size
  format             = "qcow2"
  disk_interface     = "virtio"
  disk_discard       = "unmap"
  disk_detect_zeroes = "unmap"
  disk_compression   = true
  net_device         = "virtio-net"
  vnc_bind_address   = "127.0.0.1"

  http_content = {
    "/user-data" = local.user_data
    "/meta-data" = file("${path.root}/http/meta-data")
  }

  # GRUB command line, not the menu entry (its layout changes between point releases):
  # - "autoinstall" on the kernel command line, or subiquity stops at "Continue with autoinstall?";
  # - GRUB ends a command at ";", so the NoCloud seed is written "ds=nocloud\;s=..." (HCL "\\;");
  # - arguments after "---" are copied to the installed system's command line: none here.
  boot_wait = var.boot_wait
  boot_command = [
    "c<wait>",
    "linux /casper/vmlinuz autoinstall ds=nocloud\\;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ ---<enter><wait>",
    "initrd /casper/initrd<enter><wait>",
    "boot<enter>",
  ]

  # The installer's own sshd is stopped by user-data's early-commands, so the first SSH answer
  # comes from the installed system, as the build account, with its key.
  communicator           = "ssh"
  ssh_username           = var.build_username
  ssh_private_key_file   = var.build_ssh_private_key_file
  ssh_timeout            = var.ssh_timeout
  ssh_handshake_attempts = 500

  # Removes the build account (keys, sudo rule) and powers off: scripts/finalize.sh.
  shutdown_command = "sudo -n VAULT_BUILD_USER=${var.build_username} /usr/local/sbin/vault-build-finalize"
  shutdown_timeout = "15m"

  output_directory = local.image_directory
  vm_name          = local.disk_name
}

build {
  name    = "demo-box"
  sources = ["source.qemu.ubuntu_2404"]

  # First boot: cloud-init finishes, apt's timers stop for the build (an unattended openssh
  # upgrade would restart sshd with the hardened configuration and lock the build account out).
  provisioner "shell" {
    execute_command = "sudo -n env {{ .Vars }} bash '{{ .Path }}'"
    script          = "${path.root}/scripts/first-boot-wait.sh"
  }

  # use_proxy = false: the plugin's proxy offers only ssh-rsa host keys, which OpenSSH >= 8.8
  # clients refuse ("no matching host key type found", ansible rc 4).
  provisioner "ansible" {
    playbook_file = local.ansible_playbook
    user          = var.build_username
    use_proxy     = false
    extra_arguments = concat(
      ["--become", "--extra-vars", local.ansible_extra_vars],
      var.ansible_extra_vars_file == "" ? [] : ["--extra-vars", "@${var.ansible_extra_vars_file}"],
    )
    ansible_env_vars = [
      "ANSIBLE_CONFIG=${local.ansible_root}/ansible.cfg",
      "ANSIBLE_HOST_KEY_CHECKING=False",
      "ANSIBLE_NOCOLOR=1",
    ]
  }

  provisioner "file" {
    source      = "${path.root}/scripts/finalize.sh"
    destination = "/tmp/vault-build-finalize.sh"
  }

  provisioner "shell" {
    execute_command  = "sudo -n env {{ .Vars }} bash '{{ .Path }}'"
    environment_vars = ["VAULT_BUILD_USER=${var.build_username}", "VAULT_FINALIZE_SCRIPT=/tmp/vault-build-finalize.sh"]
    script           = "${path.root}/scripts/cleanup.sh"
  }

  # One line "<sha256><TAB><file name>" (Packer's format, not sha256sum's).
  post-processor "checksum" {
    checksum_types = ["sha256"]
    output         = "${local.image_directory}/${local.disk_name}.{{ .ChecksumType }}"
  }

  post-processor "manifest" {
    output     = "${var.output_directory}/packer-manifest.json"
    strip_path = true
    custom_data = {
      image_name           = var.image_name
      image_version        = var.image_version
      ubuntu_iso           = basename(var.iso_url)
      nvidia_driver_branch = var.nvidia_driver_branch
      cuda_version         = var.cuda_version
    }
  }
}
