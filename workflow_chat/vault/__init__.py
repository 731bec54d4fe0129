"""The credentials vault's cryptography: master keys from the environment (keys.py) and
MultiFernet encryption (cipher.py). Rows live in services/credentials.py; rotation is
`python -m workflow_chat.vault` (see __main__.py for the procedure)."""
