"""Blueprint glue: toolchain, emulator, Terraform runner, packaging, policy, registry."""
