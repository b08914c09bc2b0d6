import { Edge, findBridges, reachableWithout } from './bridges';

describe('findBridges', () => {
  it('finds none on a cycle, and every edge of a tree', () => {
    expect(
      findBridges(4, [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 0],
      ]),
    ).toEqual([]);
    expect(
      findBridges(4, [
        [0, 1],
        [1, 2],
        [1, 3],
      ]),
    ).toEqual([0, 1, 2]);
  });

  it('finds the one edge joining two cycles, although every node has degree ≥ 2', () => {
    // rows 0-3 are nodes 0-3, columns 0-3 are nodes 4-7: two suppressed rectangles joined by number (1, 2).
    // prettier-ignore
    const edges: Edge[] = [
      [0, 4], [0, 5], [1, 4], [1, 5], // rectangle rows 0-1 × columns 0-1
      [2, 6], [2, 7], [3, 6], [3, 7], // rectangle rows 2-3 × columns 2-3
      [1, 6], // the joining number
    ];
    expect(findBridges(8, edges)).toEqual([8]);
    // Closing it (number (0, 6) joins the two sides) leaves no bridge.
    expect(findBridges(8, [...edges, [0, 6]])).toEqual([]);
  });

  it('handles several components and isolated nodes', () => {
    expect(
      findBridges(7, [
        [0, 1],
        [1, 2],
        [2, 0],
        [3, 4],
      ]),
    ).toEqual([3]);
  });

  it('splits a component at a bridge', () => {
    const edges: Edge[] = [
      [0, 1],
      [1, 2],
      [2, 3],
    ];
    expect([...reachableWithout(4, edges, 1, 0)].sort()).toEqual([0, 1]);
    expect([...reachableWithout(4, edges, 1, 3)].sort()).toEqual([2, 3]);
  });
});
