/** labs-p2p: files whose strings are not in the catalogues yet (this list shrinks to empty, then goes) */
export default [
  'components/dht/DhtLookups.vue',
  'components/dht/DhtRing.vue',
  'components/overlays/OverlayCompare.vue',
  'components/overlays/OverlayQueries.vue',
  'views/DhtView.vue',
  'views/OverlaysView.vue',
];
