# Variables of the Vault Cube demo-box image. Secrets have no default: pass them with
# -var-file (not committed) or PKR_VAR_build_password. Example values: example.pkrvars.hcl.

variable "iso_url" {
  type        = string
  default     = "https://releases.ubuntu.com/noble/ubuntu-24.04.4-live-server-amd64.iso"
  description = "Ubuntu 24.04 live-server ISO, a URL or a local path. Older point releases move to old-releases.ubuntu.com."

  validation {
    condition     = can(regex("ubuntu-24\\.04(\\.[0-9]+)?-live-server-amd64\\.iso$", var.iso_url))
    error_message = "The iso_url must name an Ubuntu 24.04 live-server amd64 ISO."
  }
}

variable "iso_checksum" {
  type        = string
  default     = "file:https://releases.ubuntu.com/noble/SHA256SUMS"
  description = "Checksum of the ISO: sha256:<hex>, or file:<URL of a SHA256SUMS file>."

  validation {
    condition     = can(regex("^(sha256:[0-9a-fA-F]{64}|file:.+)$", var.iso_checksum))
    error_message = "The iso_checksum must be sha256:<64 hex digits> or file:<SHA256SUMS>; an unchecked ISO (none) is refused."
  }
}

variable "accelerator" {
  type        = string
  default     = "kvm"
  description = "QEMU accelerator: kvm (needs /dev/kvm), or tcg (emulation, hours; for debugging only)."

  validation {
    condition     = contains(["kvm", "tcg"], var.accelerator)
    error_message = "The accelerator must be kvm or tcg."
  }
}

variable "cpus" {
  type        = number
  default     = 4
  description = "Virtual CPUs of the build VM."

  validation {
    condition     = var.cpus >= 2
    error_message = "The build VM needs at least 2 CPUs."
  }
}

variable "memory" {
  type        = number
  default     = 8192
  description = "Memory of the build VM in MiB (the installer and DKMS builds need 4096 at least)."

  validation {
    condition     = var.memory >= 4096
    error_message = "The build VM needs at least 4096 MiB of memory."
  }
}

variable "disk_size" {
  type        = string
  default     = "50G"
  description = "Size of the image's disk (qcow2, sparse). The root partition grows to the real disk at first boot."

  validation {
    condition     = can(regex("^[0-9]+G$", var.disk_size)) && can(tonumber(trimsuffix(var.disk_size, "G"))) && tonumber(trimsuffix(var.disk_size, "G")) >= 50
    error_message = "The disk_size must be given in G and be at least 50G (driver, CUDA, Docker and three framework environments)."
  }
}

variable "headless" {
  type        = bool
  default     = true
  description = "Run QEMU without a window (the console stays reachable over VNC on 127.0.0.1)."
}

variable "ovmf_code" {
  type        = string
  default     = "/usr/share/OVMF/OVMF_CODE_4M.fd"
  description = "UEFI firmware code. Ubuntu 24.04 hosts ship only the 4M files; the plugin's 2M default does not exist there."

  validation {
    condition     = can(regex("OVMF_CODE_4M(\\.[a-z]+)?\\.fd$", var.ovmf_code))
    error_message = "The ovmf_code must be a 4M OVMF_CODE file (OVMF_CODE_4M.fd, OVMF_CODE_4M.secboot.fd, ...)."
  }
}

variable "ovmf_vars" {
  type        = string
  default     = "/usr/share/OVMF/OVMF_VARS_4M.fd"
  description = "UEFI variable store template (copied into the output directory), matching ovmf_code."

  validation {
    condition     = can(regex("OVMF_VARS_4M(\\.[a-z]+)?\\.fd$", var.ovmf_vars))
    error_message = "The ovmf_vars must be a 4M OVMF_VARS file matching ovmf_code."
  }
}

variable "boot_wait" {
  type        = string
  default     = "5s"
  description = "Wait before typing at GRUB: long enough for its menu, shorter than its 30 s timeout."
}

variable "ssh_timeout" {
  type        = string
  default     = "60m"
  description = "How long Packer waits for SSH: covers the whole unattended install."
}

variable "hostname" {
  type        = string
  default     = "vault-cube"
  description = "Host name of the image."

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.hostname))
    error_message = "The hostname must be one lowercase RFC 1123 label."
  }
}

variable "build_username" {
  type        = string
  default     = "packer"
  description = "Temporary account Packer and Ansible use during the build; removed at shutdown (scripts/finalize.sh)."

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.build_username)) && contains(["root", "vaultadmin"], var.build_username) == false
    error_message = "The build_username must be a valid login name other than root and vaultadmin (it is deleted at the end)."
  }
}

variable "build_password" {
  type        = string
  sensitive   = true
  description = "Password of the build account during the install (console access while debugging). No default: the image keeps no password; the account is locked after Ansible and removed at shutdown."

  validation {
    condition     = length(var.build_password) >= 12
    error_message = "The build_password must be at least 12 characters."
  }
}

variable "build_ssh_public_key" {
  type        = string
  description = "Public key authorized for the build account (its private key is build_ssh_private_key_file)."

  validation {
    condition     = can(regex("^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+", var.build_ssh_public_key))
    error_message = "The build_ssh_public_key must be an OpenSSH public key (ssh-ed25519 ...)."
  }
}

variable "build_ssh_private_key_file" {
  type        = string
  description = "Private key of the build account, for Packer's SSH and for Ansible (use_proxy = false)."

  validation {
    condition     = length(var.build_ssh_private_key_file) > 0
    error_message = "The build_ssh_private_key_file must be set."
  }
}

variable "vaultadmin_authorized_keys" {
  type        = list(string)
  description = "Public keys of vaultadmin, the only way into the finished image (no passwords)."

  validation {
    condition     = length(var.vaultadmin_authorized_keys) > 0 && length([for k in var.vaultadmin_authorized_keys : k if can(regex("^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa|sk-ssh-ed25519@openssh\\.com) [A-Za-z0-9+/=]+", k)) == false]) == 0
    error_message = "The vaultadmin_authorized_keys must hold at least one OpenSSH public key, and only keys."
  }
}

variable "nvidia_driver_branch" {
  type        = string
  default     = "580"
  description = "NVIDIA driver branch (open kernel modules). The RTX 5090 needs 570 or newer."

  validation {
    condition     = can(regex("^[0-9]{3}$", var.nvidia_driver_branch)) && tonumber(var.nvidia_driver_branch) >= 570
    error_message = "The nvidia_driver_branch must be 570 or newer: older drivers do not know the RTX 5090."
  }
}

variable "cuda_version" {
  type        = string
  default     = "12.8"
  description = "CUDA toolkit version (major.minor). 12.8 is the first with sm_120 (RTX 5090)."

  validation {
    condition     = can(regex("^1[2-9]\\.[0-9]+$", var.cuda_version)) && (tonumber(split(".", var.cuda_version)[0]) > 12 || tonumber(split(".", var.cuda_version)[1]) >= 8)
    error_message = "The cuda_version must be 12.8 or newer."
  }
}

variable "ansible_extra_vars_file" {
  type        = string
  default     = ""
  description = "Optional YAML/JSON file of extra Ansible variables (site settings); passed as --extra-vars @FILE."
}

variable "image_name" {
  type        = string
  default     = "vault-cube-demo-box"
  description = "Name of the image; the disk is <image_name>-<image_version>.qcow2."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]*$", var.image_name))
    error_message = "The image_name may hold lowercase letters, digits, dots, dashes and underscores."
  }
}

variable "image_version" {
  type        = string
  default     = "1.0.0"
  description = "Version of the image (semantic version), recorded in the manifest."

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.image_version))
    error_message = "The image_version must be a semantic version such as 1.0.0 or 1.1.0-rc.1."
  }
}

variable "output_directory" {
  type        = string
  default     = "output"
  description = "Directory of the build results: <image_name>/ (disk, UEFI variables, checksum) and packer-manifest.json. The image directory must not exist yet."
}
