"""Server-rendered pages (Jinja2): the wallet, claiming, sharing, verifying, the catalogue and
the provider console. Pages call services; they never import ``api`` or the database."""
