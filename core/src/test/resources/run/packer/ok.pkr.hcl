# Synthetic test template: a passing build with artifacts (null + file builders).
source "null" "ok" {
  communicator = "none"
}

source "file" "art" {
  content = "hello, world\n"
  target  = "out/artifact.txt"
}

build {
  sources = ["source.null.ok", "source.file.art"]

  provisioner "shell-local" {
    inline = ["echo hello, from shell-local"]
  }
}
