# DEMO ONLY: stands in for ubuntu-24.04-demo-box.pkr.hcl (packer/), which needs KVM, the Ubuntu ISO
# and Packer >= 1.11. This template builds, with Debian's packer 1.6.6 and no VM, a small
# deterministic file in place of the qcow2 image, so that the demo pipeline checksums and promotes
# an artifact built by a real `packer build` on any machine. Same content every time: promoting it
# twice is a no-op.

variable "output_dir" {
  type        = string
  description = "Directory of the artifact and Packer's manifest; it is created when missing."

  validation {
    condition     = length(var.output_dir) > 0
    error_message = "The output_dir variable must not be empty."
  }
}

locals {
  # The demo pipeline promotes this file by name.
  image_name = "vault-cube-demo"
}

source "file" "demo" {
  content = <<-EOT
    Vault Cube golden image: DEMO ARTIFACT (not a bootable disk).
    Built by examples/demo/packer/demo-artifact.pkr.hcl with Packer's file builder so that the demo
    pipeline can checksum, gate and promote a real build output on a machine without KVM.
    The real image: packer/ubuntu-24.04-demo-box.pkr.hcl (Ubuntu 24.04, 4x RTX 5090).
  EOT
  target  = "${var.output_dir}/${local.image_name}.img"
}

build {
  sources = ["source.file.demo"]

  post-processor "manifest" {
    output     = "${var.output_dir}/packer-manifest.json"
    strip_path = true
  }
}
