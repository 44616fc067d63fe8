# Example settings of a demo-box build. Copy this file OUTSIDE the repository, fill it in, and
# give the password through the environment, never in a file:
#   export PKR_VAR_build_password='...'          # at least 12 characters
#   packer build -var-file=$HOME/vault-cube.pkrvars.hcl .

build_ssh_public_key       = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithTheBuildKeyReplaceWithTheBuildKey vault-build"
build_ssh_private_key_file = "~/.ssh/vault_build_ed25519"

vaultadmin_authorized_keys = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithAnAdministratorKeyReplaceWithAKey ops@example.com",
]

hostname             = "vault-cube"
image_version        = "1.0.0"
nvidia_driver_branch = "580"
cuda_version         = "12.8"

# Site settings for any role (static address, DNS, SSH port ...), as YAML:
# ansible_extra_vars_file = "/home/me/vault-cube-site.yml"
