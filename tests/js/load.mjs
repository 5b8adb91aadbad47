// Loads a module of the default theme's search (themes/default/static/search/) as an ES
// module whatever Node's default module type (a data: URL is always one). fold.js and
// rank.js import nothing, so they load alone.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function theme(name) {
  const path = fileURLToPath(new URL("../../themes/default/static/search/" + name, import.meta.url));
  const source = readFileSync(path, "utf8");
  return import("data:text/javascript;charset=utf-8," + encodeURIComponent(source));
}

// The contract of the meta.json the Rust test built (PAPERSHELF_SEARCH_META), as the
// browser reads it.
export function meta() {
  const path = process.env.PAPERSHELF_SEARCH_META;
  if (!path) {
    throw new Error("PAPERSHELF_SEARCH_META is not set: run through `cargo test --test it search::node_unit_tests`");
  }
  return JSON.parse(readFileSync(path, "utf8"));
}
