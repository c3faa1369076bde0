/**
 * The app team's first call sequence, written against the types generated from the served OpenAPI
 * document (src/schema.d.ts, from `npm run generate`): if the API drops or renames a field this
 * script reads, `tsc --strict` fails here before any app ships against it.
 *
 *   node build/list-events-and-offers.js [base-url] [email] [password]
 *   (or API_BASE_URL, API_EMAIL, API_PASSWORD in the environment; argv wins; API_PAGE_SIZE,
 *   200 by default, the most the API gives, sets the rows asked for per page)
 *
 * It reads the public events list without a token, signs in through allauth's app API, then
 * lists every page of the events and of the person's offers with the session token, and prints
 * each list's `count` and its rows. Any HTTP error, or a list whose pages disagree with its
 * count, ends it with exit status 1.
 */
import type { paths } from "./schema.js";

/** The paged lists this script reads; each is checked against the generated `paths`. */
type PagedList = "/api/v1/public/events/" | "/api/v1/events/" | "/api/v1/offers/";
type Page<P extends PagedList> = paths[P]["get"]["responses"][200]["content"]["application/json"];
type Row<P extends PagedList> = Page<P>["results"][number];

/** allauth's app API is outside the project's schema: the one field used is checked when read. */
interface LoginAnswer {
  meta?: { session_token?: unknown };
}

class HttpError extends Error {
  constructor(method: string, url: string, status: number, body: string) {
    super(`${method} ${url}: HTTP ${status}\n${body.slice(0, 2000)}`);
  }
}

function setting(position: number, name: string): string {
  const value = process.argv[2 + position] ?? process.env[name];
  if (!value) {
    throw new Error(`give ${name} in the environment or as argument ${position + 1}`);
  }
  return value;
}

async function send(method: "GET" | "POST", url: string, headers: Record<string, string>, body?: string) {
  const init: RequestInit = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(url, init);
  if (!response.ok) {
    throw new HttpError(method, url, response.status, await response.text());
  }
  return response;
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await send(
    "POST",
    `${base}/_allauth/app/v1/auth/login`,
    { "Content-Type": "application/json" },
    JSON.stringify({ email, password }),
  );
  const answer = (await response.json()) as LoginAnswer;
  const token = answer.meta?.session_token;
  if (typeof token !== "string" || token === "") {
    throw new Error("the sign-in answer carries no meta.session_token");
  }
  return token;
}

/** Every row of a paged list, following `next`, and the `count` its first page announced. */
async function everyRow<P extends PagedList>(
  base: string,
  path: P,
  token: string | null,
  pageSize: number,
): Promise<{ count: number; rows: Row<P>[] }> {
  const headers: Record<string, string> = token === null ? {} : { "X-Session-Token": token };
  const rows: Row<P>[] = [];
  let count: number | null = null;
  let url: string | null | undefined = `${base}${path}?page_size=${pageSize}`;
  while (url) {
    const page = (await (await send("GET", url, headers)).json()) as Page<P>;
    count ??= page.count;
    rows.push(...page.results);
    url = page.next;
  }
  if (rows.length !== count) {
    throw new Error(`${path}: count says ${count}, its pages hold ${rows.length} rows`);
  }
  return { count, rows };
}

async function main(): Promise<void> {
  const base = setting(0, "API_BASE_URL").replace(/\/+$/, "");
  const email = setting(1, "API_EMAIL");
  const password = setting(2, "API_PASSWORD");
  const pageSize = Number(process.env["API_PAGE_SIZE"] ?? "200");
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new Error("API_PAGE_SIZE must be a whole number from 1");
  }

  const upcoming = await everyRow(base, "/api/v1/public/events/", null, pageSize);
  console.log(`public events (no token): ${upcoming.count}`);

  const token = await signIn(base, email, password);
  console.log(`signed in as ${email}`);

  const events = await everyRow(base, "/api/v1/events/", token, pageSize);
  console.log(`events: ${events.count}`);
  for (const event of events.rows) {
    console.log(`- event ${event.id}: ${event.title} (${event.starts_at}, free places: ${event.free_places})`);
  }

  const offers = await everyRow(base, "/api/v1/offers/", token, pageSize);
  console.log(`offers: ${offers.count}`);
  for (const offer of offers.rows) {
    console.log(`- offer ${offer.id}: ${offer.status ?? "-"}, valid until ${offer.valid_until}`);
  }
}

try {
  await main();
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  console.error(error instanceof Error ? error.message + cause : error);
  process.exitCode = 1;
}
