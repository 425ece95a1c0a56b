// Writes dist/grammars.pack.json, the bundled grammars as one file, each event template reduced to
// its index fields (src/io/grammar-pack.ts says why and when it is used). Run after
// `tsc -p tsconfig.build.json`: it uses the compiled grammar loader, so the pack is exactly what
// that loader would read and parse.
import { packBundledGrammars } from '../dist/io/grammar-files.js';

packBundledGrammars();
