# The local environment keeps its state in this folder (git ignores it): the emulator holds
# everything in memory, so there is nothing worth sharing.
terraform {
  backend "local" {}
}
