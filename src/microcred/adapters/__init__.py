"""The outside world behind the services: the database (tables, engine, migrations), the key
store, the document resolver and PDF rendering."""
