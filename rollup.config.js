import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

// Source maps map our code only: a dependency's lines get no mapping (so they stay lines of the
// bundle), which keeps the maps a fraction of the bundle's size.
const oursOnly = {
  name: 'map-src-only',
  transform(code, id) {
    return id.includes('/node_modules/') || id.startsWith('\0') ? { code, map: { mappings: '' } } : null
  }
}

const plugins = () => [
  oursOnly,
  typescript({
    tsconfig: './tsconfig.json',
    outDir: 'dist',
    rootDir: 'src',
    declaration: false,
    sourceMap: true
  }),
  nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
  commonjs(),
  json()
]

// Warnings from @actions/core's own code (this-is-undefined, a circular import) are harmless, and
// so is a dependency's warning that cannot be placed in its source, which `oursOnly` leaves unmapped.
const onwarn = (warning, warn) => {
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
  if (warning.code === 'SOURCEMAP_ERROR' && warning.id?.includes('/node_modules/')) return
  warn(warning)
}

// Each entry is a small file that enables source maps and then imports its bundle (src/action/index.ts
// → dist/main.js, src/cli/cli.ts → dist/command-line.js), with a source map beside it. The maps hold
// mappings only (paths into src/ and node_modules/, no copies of the sources).
const output = {
  dir: 'dist',
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: '[name].js',
  sourcemap: true,
  sourcemapExcludeSources: true
}

export default [
  { input: 'src/action/index.ts', output, plugins: plugins(), onwarn },
  {
    input: 'src/cli/cli.ts',
    output: { ...output, banner: chunk => (chunk.isEntry ? '#!/usr/bin/env node' : '') },
    plugins: plugins(),
    onwarn
  }
]
