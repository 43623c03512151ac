"""The ``microcred`` command: sign, verify and convert files, operate the platform, serve it.
Commands call services (or core for files); exit 2 on bad input with one line on stderr."""
