"""Front ends: LibCST source -> layer graph, one per framework."""
