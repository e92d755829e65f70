export interface Ranking {
  /** Mid-ranks (1-based; tied values share the average of their ranks), in input order. */
  ranks: number[]
  /** Sizes of the groups of tied values that have more than one member. */
  tieGroups: number[]
}

/** Mid-ranks of `values`, as R's `rank(ties.method = "average")`. */
export function midRanks(values: readonly number[]): Ranking {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b])
  const ranks = new Array<number>(values.length)
  const tieGroups: number[] = []
  let i = 0
  while (i < order.length) {
    let j = i + 1
    while (j < order.length && values[order[j]] === values[order[i]]) j++
    const rank = (i + 1 + j) / 2
    for (let k = i; k < j; k++) ranks[order[k]] = rank
    if (j - i > 1) tieGroups.push(j - i)
    i = j
  }
  return { ranks, tieGroups }
}
