# Synthetic test template: a long provisioner step to abort in the middle of.
source "null" "long" {
  communicator = "none"
}

build {
  sources = ["source.null.long"]

  provisioner "shell-local" {
    inline = ["echo long step started", "sleep 120", "echo long step finished"]
  }
}
