import type { Exemption } from './scan';

/** web-media: strings that stay as written, and why */
const exempt: Exemption[] = [];
export default exempt;
