"""Route groups. Each module exposes ``router``; the app factory mounts the ones asked for."""
