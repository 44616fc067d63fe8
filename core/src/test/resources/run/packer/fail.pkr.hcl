# Synthetic test template: build null.bad fails in its provisioner, null.good succeeds.
source "null" "good" {
  communicator = "none"
}

source "null" "bad" {
  communicator = "none"
}

build {
  sources = ["source.null.good", "source.null.bad"]

  provisioner "shell-local" {
    only   = ["null.bad"]
    inline = ["echo 'about to fail, with comma' 1>&2", "exit 3"]
  }
}
