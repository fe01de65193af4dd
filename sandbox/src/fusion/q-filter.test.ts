import { describe, expect, it } from 'vitest';
import { compileQ, parseFusionDate, parseRowMatch, QueryError } from './q-filter.js';
import type { Row, Schema } from './schemas.js';

const schema: Schema = {
  POHeaderId: 'integer',
  OrderNumber: 'string',
  StatusCode: 'string',
  Total: 'number',
  CreationDate: 'datetime',
  OrderDay: 'date',
  FrozenFlag: 'boolean',
  Carrier: 'string',
};

const rows: Row[] = [
  {
    POHeaderId: 1,
    OrderNumber: 'US1001',
    StatusCode: 'OPEN',
    Total: 100.5,
    CreationDate: '2026-01-10T08:00:00.000+00:00',
    OrderDay: '2026-01-10',
    FrozenFlag: false,
    Carrier: 'UPS',
  },
  {
    POHeaderId: 2,
    OrderNumber: 'US1002',
    StatusCode: 'INCOMPLETE',
    Total: 20,
    CreationDate: '2026-01-11T09:30:00.000+00:00',
    OrderDay: '2026-01-11',
    FrozenFlag: false,
    Carrier: null,
  },
  {
    POHeaderId: 3,
    OrderNumber: 'US2003',
    StatusCode: 'OPEN',
    Total: 999,
    CreationDate: '2026-01-12T23:59:59.000-05:00',
    OrderDay: '2026-01-12',
    FrozenFlag: true,
    Carrier: 'FedEx',
  },
  {
    POHeaderId: 4,
    OrderNumber: "O'Brien-4",
    StatusCode: 'CLOSED',
    Total: 0,
    CreationDate: '2026-01-13T00:00:00.000+00:00',
    OrderDay: '2026-01-13',
    FrozenFlag: false,
    Carrier: 'UPS',
  },
];

function ids(q: string, version = 2): number[] {
  const pred = compileQ(q, version, schema);
  return rows.filter(pred).map((r) => r.POHeaderId as number);
}

function errorOf(q: string, version = 2): QueryError {
  try {
    compileQ(q, version, schema);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`expected q '${q}' to fail`);
}

describe('row-match q (REST-Framework-Version 2+)', () => {
  it('supports every comparison operator on numbers', () => {
    expect(ids('Total = 20')).toEqual([2]);
    expect(ids('Total != 20')).toEqual([1, 3, 4]);
    expect(ids('Total <> 20')).toEqual([1, 3, 4]);
    expect(ids('Total < 20')).toEqual([4]);
    expect(ids('Total <= 20')).toEqual([2, 4]);
    expect(ids('Total > 100.5')).toEqual([3]);
    expect(ids('Total >= 100.5')).toEqual([1, 3]);
  });

  it('compares strings and accepts quoted numbers for numeric attributes', () => {
    expect(ids("StatusCode = 'OPEN'")).toEqual([1, 3]);
    expect(ids('StatusCode="OPEN"')).toEqual([1, 3]);
    expect(ids("POHeaderId = '3'")).toEqual([3]);
    expect(ids("OrderNumber = 'O''Brien-4'")).toEqual([4]);
  });

  it('gives AND precedence over OR and honours parentheses', () => {
    expect(ids("StatusCode = 'CLOSED' or StatusCode = 'OPEN' and Total > 500")).toEqual([3, 4]);
    expect(ids("(StatusCode = 'CLOSED' or StatusCode = 'OPEN') and Total > 500")).toEqual([3]);
    expect(ids("not StatusCode = 'OPEN' AND Total >= 0")).toEqual([2, 4]);
  });

  it('supports IN, NOT IN, LIKE, NOT LIKE, BETWEEN, IS NULL and IS NOT NULL', () => {
    expect(ids("StatusCode IN ('OPEN', 'CLOSED')")).toEqual([1, 3, 4]);
    expect(ids('POHeaderId not in (1, 2)')).toEqual([3, 4]);
    expect(ids("OrderNumber LIKE 'US1%'")).toEqual([1, 2]);
    expect(ids("OrderNumber LIKE 'US_00_'")).toEqual([1, 2, 3]);
    expect(ids("OrderNumber NOT LIKE 'US%'")).toEqual([4]);
    expect(ids('Total BETWEEN 20 AND 100.5')).toEqual([1, 2]);
    expect(ids('Total NOT BETWEEN 20 AND 100.5')).toEqual([3, 4]);
    expect(ids('Carrier IS NULL')).toEqual([2]);
    expect(ids('Carrier is not null')).toEqual([1, 3, 4]);
  });

  it('treats NULL as unknown in comparisons', () => {
    expect(ids("Carrier != 'UPS'")).toEqual([3]);
  });

  it('compares date-times by instant, across offsets and formats', () => {
    expect(ids("CreationDate > '2026-01-12T00:00:00Z'")).toEqual([3, 4]);
    expect(ids("CreationDate > '2026-01-13T04:00:00+00:00'")).toEqual([3]);
    expect(ids("CreationDate >= '2026-01-11T09:30:00.000+00:00'")).toEqual([2, 3, 4]);
    expect(ids("CreationDate < '2026-01-11'")).toEqual([1]);
    expect(ids("CreationDate BETWEEN '2026-01-11T00:00' AND '2026-01-12T12:00:00'")).toEqual([2]);
    expect(ids("OrderDay = '2026-01-12'")).toEqual([3]);
  });

  it('compares booleans', () => {
    expect(ids("FrozenFlag = 'true'")).toEqual([3]);
    expect(ids('FrozenFlag = false')).toEqual([1, 2, 4]);
  });

  it('answers 500 for a literal of the wrong type, as Fusion does', () => {
    expect(errorOf("POHeaderId = 'abc'").status).toBe(500);
    expect(errorOf("CreationDate > 'yesterday'").status).toBe(500);
    expect(errorOf('CreationDate > 20260101').status).toBe(500);
    expect(errorOf("Total LIKE '1%'").status).toBe(500);
    expect(errorOf("FrozenFlag = 'maybe'").message).toContain('FrozenFlag');
  });

  it('answers 400 for syntax errors and unknown attributes, naming the problem', () => {
    expect(errorOf('Nope = 1').status).toBe(400);
    expect(errorOf('Nope = 1').message).toContain('Nope');
    expect(errorOf("StatusCode = 'OPEN").message).toContain('unterminated');
    expect(errorOf("(StatusCode = 'OPEN'").message).toContain("')'");
    expect(errorOf('StatusCode').message).toContain('operator');
    expect(errorOf("StatusCode = 'OPEN' StatusCode").status).toBe(400);
    expect(errorOf('Total IN 1, 2').status).toBe(400);
    expect(errorOf('Total BETWEEN 1 OR 2').status).toBe(400);
    expect(errorOf('').status).toBe(400);
    expect(errorOf('Total = #').message).toContain('#');
  });

  it('builds a left-associative tree', () => {
    expect(parseRowMatch('A = 1 and B = 2 or C = 3')).toMatchObject({ kind: 'or', left: { kind: 'and' } });
  });
});

describe('query-by-example q (REST-Framework-Version 1)', () => {
  it('joins clauses with ; as AND and takes unquoted or quoted values', () => {
    expect(ids('StatusCode=OPEN', 1)).toEqual([1, 3]);
    expect(ids("StatusCode='OPEN';Carrier=UPS", 1)).toEqual([1]);
    expect(ids('StatusCode=OPEN;Total>500', 1)).toEqual([3]);
  });

  it('supports a range on one attribute with and / or', () => {
    expect(ids('Total>=20 and <=100.5', 1)).toEqual([1, 2]);
    expect(ids('Total<1 or >500', 1)).toEqual([3, 4]);
  });

  it('treats wildcards in an unquoted equality as LIKE', () => {
    expect(ids('OrderNumber=US1*', 1)).toEqual([1, 2]);
    expect(ids('OrderNumber=%20%', 1)).toEqual([3]);
  });

  it('compares dates and numbers with type checks', () => {
    expect(ids('CreationDate>2026-01-12', 1)).toEqual([3, 4]);
    expect(errorOf('POHeaderId=abc', 1).status).toBe(500);
  });

  it('refuses row-match syntax with a hint about the framework version', () => {
    const err = errorOf("CreationDate > '2026-01-01' and StatusCode = 'OPEN'", 1);
    expect(err.status).toBe(400);
    expect(err.message).toContain('REST-Framework-Version 2');
    expect(errorOf('=OPEN', 1).status).toBe(400);
    expect(errorOf('StatusCode OPEN', 1).status).toBe(400);
  });
});

describe('parseFusionDate', () => {
  it('accepts the documented formats and rejects others', () => {
    expect(parseFusionDate('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(parseFusionDate('2026-03-01T10:00:00')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseFusionDate('2026-03-01T10:00:00.250-02:00')).toBe(Date.UTC(2026, 2, 1, 12, 0, 0, 250));
    expect(parseFusionDate('01/03/2026')).toBeNull();
    expect(parseFusionDate('2026-13-45')).toBeNull();
  });
});
