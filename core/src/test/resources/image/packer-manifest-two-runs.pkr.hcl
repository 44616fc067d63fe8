source "null" "ok" {
  communicator = "none"
}

source "file" "art" {
  content = "hello, world\nline2\n"
  target  = "out/artifact.txt"
}

build {
  sources = ["source.null.ok", "source.file.art"]

  post-processor "manifest" {
    output     = "out/manifest.json"
    strip_path = true
    custom_data = {
      image = "golden"
    }
  }
}
