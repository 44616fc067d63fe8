# Synthetic test template: a passing build (null + file builders) with one sensitive variable,
# "word", which the tests set to a word of Packer's own output ("Build", "finished").
variable "word" {
  type      = string
  sensitive = true
}

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
    inline = ["echo the word is ${var.word}"]
  }
}
