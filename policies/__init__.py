"""Blueprint's own checkov checks; checkov imports every module here (see README.md)."""
