# Synthetic test template: sensitive values that the provisioner prints (packer <= 1.15.0 leaks
# them in -machine-readable output) and that the file builder writes, to compare bytes.
variable "token" {
  type      = string
  sensitive = true
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "default-Pa55,word"
}

# Not declared sensitive: the test passes it with --sensitive-var.
variable "api_key" {
  type    = string
  default = ""
}

variable "greeting" {
  type    = string
  default = "hello"
}

source "file" "token" {
  content = var.token
  target  = "out/token.txt"
}

build {
  sources = ["source.file.token"]

  provisioner "shell-local" {
    environment_vars = ["TOKEN=${var.token}", "DB=${var.db_password}", "API=${var.api_key}"]
    inline = [
      "echo \"greeting=${var.greeting}\"",
      "printf 'token=%s\\n' \"$TOKEN\"",
      "printf 'db=%s api=%s\\n' \"$DB\" \"$API\"",
      "printf 'stderr token=%s\\n' \"$TOKEN\" 1>&2",
    ]
  }
}
