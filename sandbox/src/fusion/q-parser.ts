/**
 * Parsers for the ADF `q` parameter: row-match expressions (REST-Framework-Version 2+) and
 * query-by-example (version 1). Both produce the same expression tree, which q-filter.ts type-checks and
 * evaluates. Syntax errors are QueryError 400.
 */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 500,
  ) {
    super(message);
  }
}

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number; text: string };

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'cmp'; attr: string; op: CmpOp; value: Literal }
  | { kind: 'in'; attr: string; values: Literal[]; negated: boolean }
  | { kind: 'like'; attr: string; pattern: Literal; negated: boolean }
  | { kind: 'between'; attr: string; low: Literal; high: Literal; negated: boolean }
  | { kind: 'null'; attr: string; negated: boolean };

// ---------------------------------------------------------------- row-match (v2+) tokenizer and parser

type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'lp' | 'rp' | 'comma'; pos: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c === '(' ? 'lp' : c === ')' ? 'rp' : 'comma', pos: i });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= src.length) throw new QueryError(`unterminated string literal at position ${i} in q`, 400);
        if (src[j] === c) {
          if (src[j + 1] === c) {
            v += c;
            j += 2;
            continue;
          }
          break;
        }
        v += src[j];
        j++;
      }
      out.push({ t: 'str', v, pos: i });
      i = j + 1;
      continue;
    }
    const op = /^(<=|>=|<>|!=|=|<|>)/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[1] === '<>' ? '!=' : op[1]!, pos: i });
      i += op[1]!.length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'ident', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    throw new QueryError(`unexpected character '${c}' at position ${i} in q`, 400);
  }
  return out;
}

class RowMatchParser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): Expr {
    if (this.toks.length === 0) throw new QueryError('q is empty', 400);
    const e = this.or();
    const rest = this.toks[this.i];
    if (rest) throw new QueryError(`unexpected ${describe(rest)} at position ${rest.pos} in q`, 400);
    return e;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private isKw(tok: Token | undefined, kw: string): boolean {
    return tok?.t === 'ident' && tok.v.toUpperCase() === kw;
  }
  private eatKw(kw: string): boolean {
    if (this.isKw(this.peek(), kw)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expectKw(kw: string): void {
    if (!this.eatKw(kw)) throw this.expected(kw);
  }
  private expected(what: string): QueryError {
    const tok = this.peek();
    return new QueryError(
      tok
        ? `expected ${what} but found ${describe(tok)} at position ${tok.pos} in q`
        : `expected ${what} at end of q`,
      400,
    );
  }

  private or(): Expr {
    let left = this.and();
    while (this.eatKw('OR')) left = { kind: 'or', left, right: this.and() };
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.eatKw('AND')) left = { kind: 'and', left, right: this.not() };
    return left;
  }
  private not(): Expr {
    if (this.eatKw('NOT')) return { kind: 'not', expr: this.not() };
    return this.primary();
  }
  private primary(): Expr {
    const tok = this.peek();
    if (tok?.t === 'lp') {
      this.i++;
      const e = this.or();
      if (this.peek()?.t !== 'rp') throw this.expected("')'");
      this.i++;
      return e;
    }
    if (tok?.t !== 'ident' || ['AND', 'OR', 'NOT'].includes(tok.v.toUpperCase()))
      throw this.expected('an attribute name');
    this.i++;
    return this.predicate(tok.v);
  }
  private predicate(attr: string): Expr {
    const tok = this.peek();
    if (tok?.t === 'op') {
      this.i++;
      return { kind: 'cmp', attr, op: tok.v as CmpOp, value: this.literal() };
    }
    if (this.eatKw('IS')) {
      const negated = this.eatKw('NOT');
      this.expectKw('NULL');
      return { kind: 'null', attr, negated };
    }
    const negated = this.eatKw('NOT');
    if (this.eatKw('IN')) {
      if (this.peek()?.t !== 'lp') throw this.expected("'(' after IN");
      this.i++;
      const values = [this.literal()];
      while (this.peek()?.t === 'comma') {
        this.i++;
        values.push(this.literal());
      }
      if (this.peek()?.t !== 'rp') throw this.expected("')' closing the IN list");
      this.i++;
      return { kind: 'in', attr, values, negated };
    }
    if (this.eatKw('LIKE')) return { kind: 'like', attr, pattern: this.literal(), negated };
    if (this.eatKw('BETWEEN')) {
      const low = this.literal();
      this.expectKw('AND');
      return { kind: 'between', attr, low, high: this.literal(), negated };
    }
    throw this.expected(`an operator after ${attr} (=, !=, <, <=, >, >=, IN, LIKE, BETWEEN, IS NULL)`);
  }
  private literal(): Literal {
    const tok = this.peek();
    if (tok?.t === 'str') {
      this.i++;
      return { kind: 'string', value: tok.v };
    }
    if (tok?.t === 'num') {
      this.i++;
      return { kind: 'number', value: Number(tok.v), text: tok.v };
    }
    if (tok?.t === 'ident' && /^(true|false)$/i.test(tok.v)) {
      this.i++;
      return { kind: 'string', value: tok.v.toLowerCase() };
    }
    throw this.expected('a literal value');
  }
}

function describe(tok: Token): string {
  if (tok.t === 'ident' || tok.t === 'num' || tok.t === 'op') return `'${tok.v}'`;
  if (tok.t === 'str') return `'${tok.v}' (string)`;
  return tok.t === 'lp' ? "'('" : tok.t === 'rp' ? "')'" : "','";
}

export function parseRowMatch(q: string): Expr {
  return new RowMatchParser(tokenize(q)).parse();
}

// ---------------------------------------------------------------- query by example (v1)

/** `Attr=value;Attr2>=10 and <=30;Attr3!=X` — `;` joins clauses with AND; values may be quoted. */
export function parseQueryByExample(q: string): Expr {
  const clauses = splitOutsideQuotes(q, ';').filter((c) => c.trim() !== '');
  if (clauses.length === 0) throw new QueryError('q is empty', 400);
  const exprs = clauses.map(parseQbeClause);
  return exprs.reduce((left, right) => ({ kind: 'and', left, right }));
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function parseQbeClause(clause: string): Expr {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(clause);
  if (!m)
    throw new QueryError(`query-by-example clause '${clause.trim()}' must start with an attribute name`, 400);
  const attr = m[1]!;
  let rest = clause.slice(m[0].length);
  let expr: Expr | null = null;
  let joiner: 'and' | 'or' = 'and';
  for (;;) {
    const op = /^(<=|>=|<>|!=|=|<|>)\s*/.exec(rest);
    if (!op) {
      throw new QueryError(
        `query-by-example clause for ${attr} needs an operator (=, !=, <, <=, >, >=) before '${rest.trim()}'` +
          ' (row-match expressions need REST-Framework-Version 2 or later)',
        400,
      );
    }
    rest = rest.slice(op[0].length);
    let raw: string;
    let quoted = false;
    const q = /^'((?:[^']|'')*)'|^"([^"]*)"/.exec(rest);
    if (q) {
      raw = q[1] !== undefined ? q[1].replace(/''/g, "'") : q[2]!;
      quoted = true;
      rest = rest.slice(q[0].length);
    } else {
      const end = /\s+(and|or)\s+/i.exec(rest);
      raw = (end ? rest.slice(0, end.index) : rest).trim();
      rest = end ? rest.slice(end.index) : '';
    }
    if (raw === '' && !quoted) throw new QueryError(`query-by-example clause for ${attr} has no value`, 400);
    const symbol = op[1] === '<>' ? '!=' : (op[1] as CmpOp);
    const value: Literal = { kind: 'string', value: raw };
    const part: Expr =
      symbol === '=' && !quoted && /[%*]/.test(raw)
        ? { kind: 'like', attr, pattern: { kind: 'string', value: raw.replace(/\*/g, '%') }, negated: false }
        : { kind: 'cmp', attr, op: symbol, value };
    expr = expr === null ? part : { kind: joiner, left: expr, right: part };
    const cont = /^\s*(and|or)\s+/i.exec(rest);
    if (cont) {
      joiner = cont[1]!.toLowerCase() as 'and' | 'or';
      rest = rest.slice(cont[0].length);
      continue;
    }
    if (rest.trim() !== '') {
      throw new QueryError(`unexpected '${rest.trim()}' in query-by-example clause for ${attr}`, 400);
    }
    return expr;
  }
}
