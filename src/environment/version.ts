/** The action's name and version, used in the User-Agent and in generated files. */
export const NAME = 'preprint-digest'
export const VERSION = '0.1.0'
