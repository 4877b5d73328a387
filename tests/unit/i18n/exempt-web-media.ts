import type { Exemption } from './scan';

const COOKIE = "a cookie attribute's name as its Set-Cookie header writes it (RFC 6265 §4.1.2): the student compares it with the header";

/** web-media: strings that stay as written, and why */
const exempt: Exemption[] = [
  { file: 'components/web/CookiesPane.vue', text: 'Expires= ', why: COOKIE },
  { file: 'components/web/CookiesPane.vue', text: 'Domain= ', why: COOKIE },
  { file: 'components/web/CookiesPane.vue', text: 'Path= ', why: COOKIE },
  { file: 'components/web/CookiesPane.vue', text: 'Secure', why: COOKIE },
  { file: 'components/web/CookiesPane.vue', text: 'HttpOnly', why: COOKIE },
  { file: 'components/web/SitesPane.vue', text: 'Last-Modified:  ', why: "a file's Last-Modified header line as the web server sends it (RFC 9110 §8.8.2)" },
  ...['ListOrders', 'GetOrder', 'CreateOrder', 'UpdateOrder', 'DeleteOrder'].map((text) => ({
    file: 'components/web/WebServicesPane.vue',
    text,
    why: "a SOAP operation's name as the WSDL and the envelope write it, shown beside the REST request it matches",
  })),
  {
    file: 'components/web/WebServicesPane.vue',
    text: 'Ethernet switch',
    why: "the item field's starting value: order data the request carries to the lab's order service (the student types over it)",
  },
];
export default exempt;
