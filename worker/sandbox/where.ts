/**
 * Xero's `where` filter: `Field=="x"`, `!=`, `> < >= <=`, `&&`/`AND`, `||`/`OR`, parentheses,
 * `DateTime(2026,01,31)`, `Guid("…")`, `.Contains/.StartsWith/.EndsWith("x")`, `!` negation.
 * Evaluated against a "where view" of each record: dates as epoch ms, amounts as numbers.
 */

export class WhereError extends Error {}

type Value = string | number | boolean | null;
type Node =
  | { op: "and" | "or"; left: Node; right: Node }
  | { op: "not"; inner: Node }
  | { op: "cmp"; path: string[]; cmp: string; value: Value }
  | { op: "call"; path: string[]; method: string; value: string }
  | { op: "truthy"; path: string[] };

const TOKEN = /\s*(\(|\)|,|==|!=|>=|<=|>|<|&&|\|\||!|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m?.[1])
      throw new WhereError(`Unable to parse the where clause near '${src.slice(TOKEN.lastIndex)}'`);
    out.push(m[1]);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly t: string[]) {}
  private peek = () => this.t[this.i];
  private next(): string {
    const tok = this.t[this.i++];
    if (tok === undefined) throw new WhereError("Unexpected end of where clause");
    return tok;
  }
  private expect(tok: string) {
    if (this.next() !== tok) throw new WhereError(`Expected '${tok}' in where clause`);
  }
  parse(): Node {
    const n = this.or();
    if (this.i !== this.t.length) throw new WhereError(`Unexpected '${this.peek()}' in where clause`);
    return n;
  }
  private or(): Node {
    let left = this.and();
    while (this.peek() === "||" || this.peek()?.toUpperCase() === "OR") {
      this.next();
      left = { op: "or", left, right: this.and() };
    }
    return left;
  }
  private and(): Node {
    let left = this.unary();
    while (this.peek() === "&&" || this.peek()?.toUpperCase() === "AND") {
      this.next();
      left = { op: "and", left, right: this.unary() };
    }
    return left;
  }
  private unary(): Node {
    const tok = this.peek();
    if (tok === "!") {
      this.next();
      return { op: "not", inner: this.unary() };
    }
    if (tok === "(") {
      this.next();
      const n = this.or();
      this.expect(")");
      return n;
    }
    return this.comparison();
  }
  private comparison(): Node {
    const ident = this.next();
    const parts = ident.split(".");
    const last = parts[parts.length - 1] ?? "";
    if (["Contains", "StartsWith", "EndsWith"].includes(last) && this.peek() === "(") {
      this.next();
      const v = this.value();
      this.expect(")");
      return { op: "call", path: parts.slice(0, -1), method: last, value: String(v) };
    }
    const cmp = this.peek();
    if (cmp && ["==", "!=", ">", "<", ">=", "<="].includes(cmp)) {
      this.next();
      return { op: "cmp", path: parts, cmp, value: this.value() };
    }
    return { op: "truthy", path: parts };
  }
  private value(): Value {
    const tok = this.next();
    if (tok.startsWith('"')) return JSON.parse(tok) as string;
    if (/^-?\d/.test(tok)) return Number(tok);
    if (tok === "true" || tok === "false") return tok === "true";
    if (tok === "null") return null;
    if (tok === "Guid") {
      this.expect("(");
      const v = this.value();
      this.expect(")");
      return String(v).toLowerCase();
    }
    if (tok === "DateTime" || tok === "DateTimeOffset") {
      this.expect("(");
      const nums: number[] = [];
      while (this.peek() !== ")") {
        const v = this.value();
        nums.push(Number(v));
        if (this.peek() === ",") this.next();
      }
      this.expect(")");
      const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0] = nums;
      return Date.UTC(y, mo - 1, d, h, mi, s);
    }
    throw new WhereError(`Unexpected '${tok}' in where clause`);
  }
}

function resolve(view: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = view;
  for (const p of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    const rec = cur as Record<string, unknown>;
    const key = Object.keys(rec).find((k) => k.toLowerCase() === p.toLowerCase());
    cur = key === undefined ? undefined : rec[key];
  }
  return cur;
}

const norm = (v: unknown): unknown => (typeof v === "string" ? v.toLowerCase() : v);

function evaluate(n: Node, view: Record<string, unknown>): boolean {
  switch (n.op) {
    case "and":
      return evaluate(n.left, view) && evaluate(n.right, view);
    case "or":
      return evaluate(n.left, view) || evaluate(n.right, view);
    case "not":
      return !evaluate(n.inner, view);
    case "truthy":
      return Boolean(resolve(view, n.path));
    case "call": {
      const v = String(resolve(view, n.path) ?? "").toLowerCase();
      const arg = n.value.toLowerCase();
      if (n.method === "Contains") return v.includes(arg);
      if (n.method === "StartsWith") return v.startsWith(arg);
      return v.endsWith(arg);
    }
    case "cmp": {
      const a = norm(resolve(view, n.path) ?? null);
      const b = norm(n.value);
      switch (n.cmp) {
        case "==":
          return a === b;
        case "!=":
          return a !== b;
        default: {
          if (a === null || b === null) return false;
          if (n.cmp === ">") return (a as number) > (b as number);
          if (n.cmp === "<") return (a as number) < (b as number);
          if (n.cmp === ">=") return (a as number) >= (b as number);
          return (a as number) <= (b as number);
        }
      }
    }
  }
}

export function compileWhere(src: string): (view: Record<string, unknown>) => boolean {
  const ast = new Parser(tokenize(src)).parse();
  return (view) => evaluate(ast, view);
}

export function applyWhere<T>(list: T[], src: string, view: (t: T) => Record<string, unknown>): T[] {
  const pred = compileWhere(src);
  return list.filter((t) => pred(view(t)));
}
