/**
 * Graph helpers for secondary suppression in two-dimensional tables.
 *
 * Take the table with its margins as an (R+1)×(C+1) grid: every line (row or column, the margin
 * lines included) says "members sum to the line's total". Make a bipartite graph whose nodes are the
 * grid's lines and whose edges are the suppressed numbers (number (i, j) joins row line i and column
 * line j). The values the suppressed numbers can take, given everything published, differ from the
 * truth exactly by combinations of alternating cycles; so a suppressed number is determined exactly
 * if and only if its edge lies on no cycle, i.e. it is a bridge. Every suppressed number here is ≥ 1,
 * so shifting ±1 around a cycle keeps all values non-negative: a number on a cycle is really hidden.
 * A line with exactly one suppressed number is a node of degree 1, whose edge is a bridge: the usual
 * "two per line" rule is necessary, but not sufficient (two cycles joined by one number).
 */

export type Edge = readonly [number, number];

/** Indices of the edges that lie on no cycle (Tarjan's bridge finding, iterative; no parallel edges). */
export function findBridges(nodeCount: number, edges: readonly Edge[]): number[] {
  const adjacent: { to: number; edge: number }[][] = Array.from({ length: nodeCount }, () => []);
  edges.forEach(([a, b], e) => {
    adjacent[a].push({ to: b, edge: e });
    adjacent[b].push({ to: a, edge: e });
  });
  const order = new Array<number>(nodeCount).fill(-1);
  const low = new Array<number>(nodeCount).fill(0);
  const bridges: number[] = [];
  let counter = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    const stack: { node: number; viaEdge: number; next: number }[] = [{ node: root, viaEdge: -1, next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next < adjacent[frame.node].length) {
        const { to, edge } = adjacent[frame.node][frame.next++];
        if (edge === frame.viaEdge) continue;
        if (order[to] === -1) {
          order[to] = low[to] = counter++;
          stack.push({ node: to, viaEdge: edge, next: 0 });
        } else {
          low[frame.node] = Math.min(low[frame.node], order[to]);
        }
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low[parent.node] = Math.min(low[parent.node], low[frame.node]);
          if (low[frame.node] > order[parent.node]) bridges.push(frame.viaEdge);
        }
      }
    }
  }
  return bridges.sort((x, y) => x - y);
}

/** Nodes reachable from `start` without crossing edge `removed`. */
export function reachableWithout(nodeCount: number, edges: readonly Edge[], removed: number, start: number): Set<number> {
  const adjacent: number[][] = Array.from({ length: nodeCount }, () => []);
  edges.forEach(([a, b], e) => {
    if (e === removed) return;
    adjacent[a].push(b);
    adjacent[b].push(a);
  });
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const next of adjacent[queue.pop() as number]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
