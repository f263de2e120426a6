"""The application: settings, the one context every front end builds, and the use cases over it."""
