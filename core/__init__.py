"""The floor under every app, in no app's words: framework-free domain errors and the one
handler that maps them to HTTP, API plumbing, authentication and access-rule helpers, and the
personal-data guards. It imports no app of the project; every app may import it."""
