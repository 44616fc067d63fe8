# Plugins of the demo-box template, in a file of its own: Packer 1.6.6 (Debian 12) rejects this
# block, so CI syntax-checks the other files without it. Builds need Packer 1.11 or newer
# (`packer init .` installs the plugins).
packer {
  required_version = ">= 1.11.0"
  required_plugins {
    qemu = {
      version = "~> 1.1"
      source  = "github.com/hashicorp/qemu"
    }
    ansible = {
      version = "~> 1.1"
      source  = "github.com/hashicorp/ansible"
    }
  }
}
