// Query a built Pagefind index from Node, the way the browser does, for the tests.
//
//   node tests/pagefind_query.mjs OUTPUT/pagefind "mot" ['{"rubrique": "Startups"}']
//
// Prints JSON: {count, indexes, filters, results: [{url, meta, excerpt, filters}]}, over
// every index of the bundle, as theme/static/js/search.js asks them: the archives
// parties.json lists are merged (mergeIndex); the date-sorted list (no query) is asked of
// each index in turn, singled out by its « partie » filter. Pagefind's
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
let folders = [];
try {
  folders = JSON.parse(await readFile(path.join(bundle, "parties.json"), "utf8"));
} catch {}
const only = (part, filters) => ({ ...filters, partie: String(part) });
await pagefind.options({ basePath: base, baseUrl: "/", ...(folders.length ? { mergeFilter: only(0, {}) } : {}) });
await pagefind.init("fr");
for (const [i, folder] of folders.entries()) {
  await pagefind.mergeIndex(new URL(folder, base).href, { baseUrl: "/", mergeFilter: only(i + 1, {}) });
}
const filters = JSON.parse(filtersArg || "{}");
let found;
if (query || !folders.length) {
  found = (await pagefind.search(query || null, query ? { filters } : { filters, sort: { date: "desc" } })).results;
} else {
  const parts = [0, ...folders.map((_, i) => i + 1)];
  const answers = await Promise.all(parts.map((part) =>
    pagefind.search(null, { filters: only(part, filters), sort: { date: "desc" } })));
  found = answers.flatMap((answer) => answer.results);
}
const results = await Promise.all(found.slice(0, 50).map((result) => result.data()));
console.log(JSON.stringify({
  count: found.length,
  indexes: folders.length + 1,
  filters: await pagefind.filters(),
  results: results.map(({ url, meta, excerpt, filters }) => ({ url, meta, excerpt, filters })),
}));
