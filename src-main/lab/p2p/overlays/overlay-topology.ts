/**
 * The overlay's shape, built from the scenario (the same for the three overlays): who is a
 * neighbour of whom, as adjacency lists, and what a flood costs on it. With duplicate
 * suppression a servent forwards a Query once, to every neighbour but the one it came from,
 * if its TTL lasts (Peterson & Davie §9.4.1; K&R §2.5): the asker sends deg(a) messages and
 * every peer at 1 ≤ distance ≤ TTL − 1 sends deg(v) − 1 more, so
 *     messages = deg(a) + Σ_{1 ≤ d(v) ≤ TTL−1} (deg(v) − 1),   reached = #{v : 1 ≤ d(v) ≤ TTL}.
 * On a tree, where every peer is reached once, that is the number of peers within TTL hops.
 */
import { seededRandom } from '../choker';

export type TopologySpec =
  | { kind: 'random'; degree: number }
  | { kind: 'ring' }
  | { kind: 'line' }
  | { kind: 'complete' }
  | { kind: 'tree'; degree: number }
  | { kind: 'edges'; edges: [number, number][] };

export type Graph = number[][];

function addEdge(g: Graph, a: number, b: number): boolean {
  if (a === b || g[a].includes(b)) return false;
  g[a].push(b);
  g[b].push(a);
  return true;
}

export function buildGraph(n: number, spec: TopologySpec, seed: number): Graph {
  const g: Graph = Array.from({ length: n }, () => []);
  switch (spec.kind) {
    case 'line':
    case 'ring':
      for (let i = 0; i + 1 < n; i++) addEdge(g, i, i + 1);
      if (spec.kind === 'ring' && n > 2) addEdge(g, n - 1, 0);
      break;
    case 'complete':
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) addEdge(g, i, j);
      break;
    case 'tree':
      // each peer's parent is (i − 1) / degree: peer 0 the root with `degree` children
      for (let i = 1; i < n; i++) addEdge(g, i, Math.floor((i - 1) / spec.degree));
      break;
    case 'edges':
      for (const [a, b] of spec.edges) addEdge(g, a, b);
      break;
    case 'random': {
      // a ring keeps it connected, then random links until every peer has `degree` neighbours
      const random = seededRandom(seed);
      for (let i = 0; i < n && n > 1; i++) addEdge(g, i, (i + 1) % n);
      for (let i = 0; i < n; i++) {
        for (let tries = 0; g[i].length < spec.degree && tries < 50 * spec.degree; tries++) {
          const j = Math.floor(random() * n);
          if (g[j].length < spec.degree) addEdge(g, i, j);
        }
      }
      break;
    }
  }
  return g;
}

export function distances(g: Graph, from: number): number[] {
  const d = new Array<number>(g.length).fill(Infinity);
  d[from] = 0;
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of g[v]) if (d[w] === Infinity) {
      d[w] = d[v] + 1;
      queue.push(w);
    }
  }
  return d;
}

/** the flood's query messages and the peers it reaches, by the formula above */
export function floodFormula(g: Graph, from: number, ttl: number): { messages: number; reached: number } {
  const d = distances(g, from);
  let messages = g[from].length;
  let reached = 0;
  for (let v = 0; v < g.length; v++) {
    if (d[v] >= 1 && d[v] <= ttl - 1) messages += g[v].length - 1;
    if (d[v] >= 1 && d[v] <= ttl) reached++;
  }
  return { messages, reached };
}

export const edgeCount = (g: Graph): number => g.reduce((n, a) => n + a.length, 0) / 2;
