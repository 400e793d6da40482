import { describe, expect, it } from 'vitest';
import { classifyStatement } from './index';
import { ALL_CASES, MYSQL_CASES, ORACLE_CASES, POSTGRESQL_CASES, SQLSERVER_CASES } from './statement-cases';

describe('classifyStatement', () => {
  it('has a table of at least 150 statements covering every engine', () => {
    // Prepare / Act
    const perEngine = [POSTGRESQL_CASES, MYSQL_CASES, ORACLE_CASES, SQLSERVER_CASES].map((c) => c.length);
    // Assess
    expect(ALL_CASES.length).toBeGreaterThanOrEqual(150);
    for (const n of perEngine) expect(n).toBeGreaterThanOrEqual(25);
  });

  it.each(ALL_CASES.map(([engine, text, expected]) => ({ engine, text, expected })))(
    '$engine: $text → $expected',
    ({ engine, text, expected }) => {
      // Act
      const cls = classifyStatement(text, engine);
      // Assess
      expect(cls).toBe(expected);
    },
  );
});
