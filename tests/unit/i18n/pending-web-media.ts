/** web-media: files whose strings are not in the catalogues yet (this list shrinks to empty, then goes) */
export default [
  'components/video/videoChart.ts',
  'components/voip/PhoneCard.vue',
  'components/voip/ReceiverPlot.vue',
  'components/web/WebServicesPane.vue',
  'views/VideoView.vue',
  'views/VoipView.vue',
];
