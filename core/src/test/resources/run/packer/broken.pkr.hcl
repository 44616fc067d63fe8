# Synthetic test template: a syntax error.
source "null" "broken" {
  communicator =
}
