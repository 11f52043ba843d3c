// Entry point of the `chaingnn` executable (see bin.mjs).
import { buildProgram } from './buildProgram.js';

await buildProgram().parseAsync(process.argv);
