/** web-media: files whose strings are not in the catalogues yet (this list shrinks to empty, then goes) */
export default [
  'components/video/videoChart.ts',
  'components/voip/PhoneCard.vue',
  'components/voip/ReceiverPlot.vue',
  'components/web/CachingExperiment.vue',
  'components/web/CookiesPane.vue',
  'components/web/ExperimentsPane.vue',
  'components/web/LabCaPane.vue',
  'components/web/ProxyPane.vue',
  'components/web/SitesPane.vue',
  'components/web/WebServicesPane.vue',
  'components/web/charts.ts',
  'views/VideoView.vue',
  'views/VoipView.vue',
  'views/WebView.vue',
];
