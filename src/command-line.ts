import { NAME } from './version.js'
console.log(NAME)
