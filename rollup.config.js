import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

const plugins = () => [
  typescript({
    tsconfig: './tsconfig.json',
    outDir: 'dist',
    rootDir: 'src',
    declaration: false,
    sourceMap: false
  }),
  nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
  commonjs(),
  json()
]

// Warnings from @actions/core's own code (this-is-undefined, a circular import) are harmless.
const onwarn = (warning, warn) => {
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
  warn(warning)
}

export default [
  { input: 'src/index.ts', output: { file: 'dist/index.js', format: 'es' }, plugins: plugins(), onwarn },
  {
    input: 'src/cli.ts',
    output: { file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node' },
    plugins: plugins(),
    onwarn
  }
]
