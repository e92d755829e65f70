/**
 * Counts the SQL statements a repository sends, in total and by repository method. Counted
 * at the real repository, so a benchmark can assert "one query per cold resolution".
 */
export class QueryStats {
  /** Statements sent since creation or the last `reset()`. */
  queries = 0
  /** The same count, split by repository method name. */
  byMethod: Record<string, number> = {}

  record(method: string, statements = 1): void {
    this.queries += statements
    this.byMethod[method] = (this.byMethod[method] ?? 0) + statements
  }

  reset(): void {
    this.queries = 0
    this.byMethod = {}
  }
}
