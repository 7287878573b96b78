// Query a built Pagefind index from Node, the way the browser does, for the tests.
//
//   node tests/pagefind_query.mjs OUTPUT/pagefind "mot" ['{"rubrique": "Startups"}']
//
// Prints JSON: {count, filters, results: [{url, meta, excerpt, filters}]}. Pagefind's
// pagefind.js fetches its fragments relative to its own URL; Node's fetch cannot read
// file: URLs, so fetch is replaced by a reader confined to the bundle folder.
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const [bundleArg, query, filtersArg] = process.argv.slice(2);
const bundle = path.resolve(bundleArg);
const base = pathToFileURL(bundle + path.sep).href;

globalThis.fetch = async (input) => {
  const url = new URL(String(input), base);
  url.search = "";
  const file = fileURLToPath(url);
  if (!file.startsWith(bundle + path.sep)) {
    return new Response("outside the bundle", { status: 404 });
  }
  try {
    return new Response(await readFile(file), { status: 200 });
  } catch {
    return new Response("not found", { status: 404 });
  }
};

const pagefind = await import(new URL("pagefind.js", base).href);
await pagefind.options({ basePath: base, baseUrl: "/" });
await pagefind.init("fr");
const search = await pagefind.search(query || null, { filters: JSON.parse(filtersArg || "{}") });
const results = await Promise.all(search.results.slice(0, 50).map((result) => result.data()));
console.log(JSON.stringify({
  count: search.results.length,
  filters: await pagefind.filters(),
  results: results.map(({ url, meta, excerpt, filters }) => ({ url, meta, excerpt, filters })),
}));
