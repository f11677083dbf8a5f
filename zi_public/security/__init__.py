"""Security building blocks: passwords, codes, encryption, uploads, permissions, headers."""
