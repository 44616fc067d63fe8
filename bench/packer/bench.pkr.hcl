# Benchmark template (synthetic): a null build with a shell-local provisioner that prints a few
# hundred lines, and a file artifact; builds in well under a second of Packer's own time.
variable "lines" {
  type    = string
  default = "200"
}

source "null" "bench" {
  communicator = "none"
}

source "file" "bench" {
  content = "benchmark artifact\n"
  target  = "out/bench.txt"
}

build {
  sources = ["source.null.bench", "source.file.bench"]

  provisioner "shell-local" {
    inline = ["i=0; while [ $i -lt ${var.lines} ]; do echo \"line $i, with a comma\"; i=$((i+1)); done"]
  }
}
