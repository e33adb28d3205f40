/**
 * Where the shipped templates are: `templates/` at the repository's top. This module stays at the
 * top of `src/` so that one relative path is right from the source (tests), from `build/src/`
 * (the benchmark, which copies `templates/` into `build/`) and from a `dist/` bundle.
 */
export const TEMPLATES_DIR = new URL('../templates/', import.meta.url)
